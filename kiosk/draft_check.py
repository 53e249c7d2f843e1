"""What stands between the admins' draft and publishing, named as the editor shows it.

A content pack's loader names problems by file and line; an admin in the editor sees
slides and questions, so each problem here names its item by number and title ("slide 3
“How it works”") and says where the editor should open it (`Place`), translations
included. Out-of-date translations are listed too: those of contraindication questions
and consent statements stop a publish, the others are worth a look.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.content import ContentPack, language_words, text_keys
from kiosk.measure_check import measure_warnings
from kiosk.pack_archive import pack_files
from kiosk.pack_limits import quoted
from kiosk.pack_loader import ContentPackError, load_pack
from kiosk.pack_reader import ContentProblem
from kiosk.risk import risk_path_problems
from kiosk.translations import (
    TranslatedFrom,
    describe_key,
    must_be_current,
    out_of_date,
)

# How much of a title or question a problem quotes.
QUOTED_TITLE = 60
# How much of an old and a new wording an out-of-date translation quotes.
QUOTED_WORDING = 200


@dataclass(frozen=True)
class Place:
    """Where in the editor a problem is: a part, its row, and the language to edit."""

    part: str  # "slide", "question", "statement" (the consent tab), "clinic" or "measure"
    row: int  # counted from 0; -1 for what is not in a list (the signature's meaning)
    language: str = ""  # "" for the clinic's own words, else the translation's code


@dataclass(frozen=True)
class DraftProblem:
    """One problem with the draft, in words, and where to go to fix it."""

    words: str
    place: Place | None
    blocks: bool = True  # False: publishing goes ahead, but an admin should look


def check_pack(pack: ContentPack) -> ContentPack:
    """The pack as it would be published, or ContentPackError with every problem.

    The pack is written out as a content folder and loaded back, so an edited pack meets
    exactly the rules an imported one does (and comes back with its text tidied).
    Each problem names the slide, question or statement it is in (`ContentProblem.where`).
    """
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "pack"
        for name, data in pack_files(pack).items():
            path = folder.joinpath(*PurePosixPath(name).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return load_pack(folder)


def draft_problems(pack: ContentPack, translated_from: TranslatedFrom) -> list[DraftProblem]:
    """Every problem with the draft, the ones that stop a publish first.

    Raises OSError when the scratch folder it is checked in cannot be written.
    """
    try:
        check_pack(pack)
        found: list[DraftProblem] = []
    except ContentPackError as error:
        found = [named(pack, problem) for problem in error.problems]
    # The risk path (`kiosk.risk`): no PHQ-9 without who responds, nor without item 9.
    found += [DraftProblem(words, Place("clinic", -1)) for words in risk_path_problems(pack)]
    stale = out_of_date_problems(pack, translated_from)
    # A changed validated instrument is worth a look, never a refusal.
    changed = [
        DraftProblem(warning, Place("measure", row), blocks=False)
        for warning in measure_warnings(pack)
        for row, measure in enumerate(pack.measures)
        if warning.startswith(f"{measure.name}:")
    ]
    return found + [p for p in stale if p.blocks] + [p for p in stale if not p.blocks] + changed


def item_name(pack: ContentPack, part: str, row: int) -> str:
    """An item as the editor lists it: 'slide 3 “How it works”'."""
    if part == "slide" and 0 <= row < len(pack.slides):
        return _titled("slide", row, pack.slides[row].title, "(no title yet)")
    if part == "question" and 0 <= row < len(pack.questions):
        return _titled("question", row, pack.questions[row].text, "(no wording yet)")
    if part == "measure" and 0 <= row < len(pack.measures):
        return f"measure {row + 1} “{pack.measures[row].name}”"
    if part == "statement" and 0 <= row < len(pack.consent_statements):
        return _titled("consent statement", row, pack.consent_statements[row].text, "(no text yet)")
    return f"{'consent statement' if part == 'statement' else part} {row + 1}"


def _titled(kind: str, row: int, title: str, untitled: str) -> str:
    # As the editor's lists show it, so the admin finds it at a glance.
    title = quoted(title, QUOTED_TITLE)
    return f"{kind} {row + 1} “{title}”" if title else f"{kind} {row + 1} {untitled}"


def named(pack: ContentPack, problem: ContentProblem) -> DraftProblem:
    """A loader's problem named by item number and title, with where to open it."""
    if problem.key:
        language = problem.where.removeprefix("the ").removesuffix(" translation")
        code = next((c for c in pack.translations if language_words(c) == language), "")
        place, name, field = key_place(pack, problem.key, code)
        rest = problem.message.removeprefix(describe_key(problem.key))
        return DraftProblem(f"{language}, {name}: {field}{rest}", place)
    if problem.item is not None:
        part, row = problem.item
        return DraftProblem(
            _first_up(f"{item_name(pack, part, row)}: {problem.message}"), Place(part, row)
        )
    return DraftProblem(_first_up(problem.in_words()), None)


def _first_up(words: str) -> str:
    return words[:1].upper() + words[1:]


def key_place(pack: ContentPack, key: str, language: str = "") -> tuple[Place, str, str]:
    """Where a piece of text is: its place, its item's name, and which of its words."""
    parts = key.split(".")
    if parts[0] == "slide":
        row = next((n for n, s in enumerate(pack.slides) if s.id == parts[1]), -1)
        fields = {
            "title": "the title",
            "text": "the text",
            "picture_alt": "the picture description",
        }
        return Place("slide", row, language), item_name(pack, "slide", row), fields[parts[-1]]
    if parts[0] == "question":
        row = next((n for n, q in enumerate(pack.questions) if q.id == parts[1]), -1)
        field = "the key sentence" if parts[2] == "key_sentence" else "the question"
        if parts[2] == "choice" and row >= 0:
            choice = next((c for c in pack.questions[row].choices if c.id == parts[3]), None)
            field = f"the choice “{quoted(choice.text if choice else parts[3], QUOTED_TITLE)}”"
        return Place("question", row, language), item_name(pack, "question", row), field
    if parts[0] == "consent":
        row = next((n for n, s in enumerate(pack.consent_statements) if s.id == parts[1]), -1)
        return (
            Place("statement", row, language),
            item_name(pack, "statement", row),
            "the statement",
        )
    if key == "signature_meaning":
        return Place("statement", -1, language), "the consent", "the meaning of the signature"
    return Place("clinic", -1, language), "the clinic", "the clinic name"


def out_of_date_problems(pack: ContentPack, translated_from: TranslatedFrom) -> list[DraftProblem]:
    """Each out-of-date translation, saying what it was translated from."""
    base = text_keys(pack)
    found = []
    for language, keys in out_of_date(pack, translated_from).items():
        for key in keys:
            place, name, field = key_place(pack, key, language)
            blocks = must_be_current(pack, key)
            was = quoted(translated_from[language][key], QUOTED_WORDING)
            now = quoted(base[key], QUOTED_WORDING)
            found.append(
                DraftProblem(
                    f"{language_words(language)}, {name}: {field} was translated from “{was}”, "
                    f"which now reads “{now}”. "
                    + (
                        "Translate it again, or confirm it is still right, before publishing."
                        if blocks
                        else "It may be out of date: translate it again, or confirm it."
                    ),
                    place,
                    blocks,
                )
            )
    return found
