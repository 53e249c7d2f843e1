"""Content packs as folders and `.zip` files: written out for export, read back safely.

A zip from outside is treated as hostile until checked. Its table of contents is read
first, and the zip is refused — before anything is unpacked — when it has too many
entries, says it unpacks to too much, names a path outside the pack (`../`, an
absolute path, a symbolic link), or names one file twice. While unpacking, no entry may
grow beyond the size it declared. Only then is the pack loaded and validated like any
content folder.
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from kiosk.content import (
    CONSENT_VALID_DAYS,
    READING_TIME_FRACTION,
    READING_WORDS_PER_MINUTE,
    ContentPack,
    Measure,
    QuestionKind,
    QuestionSection,
    ReturnConsent,
    language_words,
)
from kiosk.pack_limits import MAX_FILE_BYTES, MAX_PACK_BYTES, quoted
from kiosk.pack_loader import (
    CONSENT_FILE,
    MEASURES_FILE,
    PACK_FILE,
    QUESTIONS_FILE,
    SLIDES_FILE,
    ContentPackError,
    load_pack,
)
from kiosk.pack_reader import ContentProblem
from kiosk.translations import TRANSLATIONS_FOLDER, translation_file_text

MAX_ZIP_ENTRIES = 500
_CHUNK = 64 * 1024


class _PackDumper(yaml.SafeDumper):
    """Writes text with line breaks as `|` blocks, the way an admin would type it.

    It never writes an anchor and alias (`&id001` … `*id001`) for a value met twice:
    a pack that repeats a value by an alias is refused on import.
    """

    def ignore_aliases(self, data: Any) -> bool:
        """Every value is written out in full."""
        return True


# Characters YAML reads as line breaks that are not "\n": only double quotes, which
# escape them, bring them back exactly as typed.
_OTHER_LINE_BREAKS = frozenset("\x85\u2028\u2029\r")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _OTHER_LINE_BREAKS.intersection(value):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _text)


def _yaml(heading: str, data: dict[str, Any]) -> bytes:
    body = yaml.dump(
        data, Dumper=_PackDumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    return (heading + body).encode("utf-8")


def _settings(pack: ContentPack) -> dict[str, Any]:
    """The pack file's settings: each one not at its default (a default goes unsaid)."""
    settings: dict[str, Any] = {"seconds_before_next": pack.seconds_before_next}
    if pack.reading_words_per_minute != READING_WORDS_PER_MINUTE:
        settings["reading_words_per_minute"] = pack.reading_words_per_minute
    if pack.reading_time_fraction != READING_TIME_FRACTION:
        settings["reading_time_fraction"] = str(pack.reading_time_fraction)
    if pack.consent_valid_days != CONSENT_VALID_DAYS:
        settings["consent_valid_days"] = pack.consent_valid_days
    if pack.return_consent is not ReturnConsent.EVERY_VISIT:
        settings["return_consent"] = pack.return_consent.value
    if pack.risk_responder:
        settings["risk_responder"] = pack.risk_responder
    if pack.kiosk_has_headphones:
        settings["kiosk_has_headphones"] = True
    return settings


def _measure_entry(measure: Measure) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": measure.id,
        "name": measure.name,
        "validated": measure.validated,
        "every_nth_visit": measure.every_nth_visit,
        "instructions": measure.instructions,
        "choices": [{"id": c.id, "text": c.text, "score": c.score} for c in measure.choices],
        "items": [{"id": i.id, "text": i.text} for i in measure.items],
    }
    if measure.difficulty is not None:
        entry["difficulty"] = {
            "id": measure.difficulty.id,
            "text": measure.difficulty.text,
            "choices": [{"id": c.id, "text": c.text} for c in measure.difficulty.choices],
        }
    entry["bands"] = [{"from": b.lowest, "to": b.highest, "name": b.name} for b in measure.bands]
    if measure.attribution:
        entry["attribution"] = measure.attribution
    return entry


def pack_files(pack: ContentPack) -> dict[str, bytes]:
    """The files of `pack` as a content folder holds them: four YAML files and pictures."""
    settings: dict[str, Any] = {"clinic_name": pack.clinic_name, "language": pack.language}
    if pack.logo:
        settings["logo"] = pack.logo
    settings["settings"] = _settings(pack)
    slides = []
    for slide in pack.slides:
        item: dict[str, Any] = {"id": slide.id, "title": slide.title, "text": slide.text}
        if slide.picture:
            item["picture"] = slide.picture
            item["picture_alt"] = slide.picture_alt or ""
        slides.append(item)
    questions = []
    for question in pack.questions:
        entry: dict[str, Any] = {"id": question.id}
        if question.kind is not QuestionKind.YES_NO:
            entry["kind"] = question.kind.value
        entry["text"] = question.text
        if question.kind is QuestionKind.SINGLE_CHOICE:
            entry["choices"] = [{"id": c.id, "text": c.text} for c in question.choices]
        if question.is_teach_back:
            # Never a flag: the slide it is about, the right answer, the sentence quoted.
            entry["asked"] = question.section.value
            entry["slide"] = question.slide or ""
            entry["right_answer"] = str(question.right_answer or "")
            entry["key_sentence"] = question.key_sentence
            questions.append(entry)
            continue
        entry["contraindication"] = question.contraindication
        if question.kind is not QuestionKind.SHORT_TEXT:
            entry["flag_when"] = [str(answer) for answer in question.flag_answers]
            entry["flag_wording"] = question.flag_wording
        if question.section is not QuestionSection.SCREENING:
            entry["asked"] = question.section.value
        questions.append(entry)
    files = {
        PACK_FILE: _yaml("# The clinic's content pack (exported).\n", settings),
        SLIDES_FILE: _yaml(
            "# Slides, in order. A blank line starts a paragraph, '- ' a bullet, "
            "**words** are bold.\n",
            {"slides": slides},
        ),
        QUESTIONS_FILE: _yaml(
            "# Questions. Answers in flag_when ask a clinician to review the visit.\n",
            {"questions": questions},
        ),
        CONSENT_FILE: _yaml(
            "# Statements the patient acknowledges, and what signing means.\n",
            {
                "statements": [{"id": s.id, "text": s.text} for s in pack.consent_statements],
                "signature_meaning": pack.signature_meaning,
            },
        ),
    }
    if pack.measures:
        files[MEASURES_FILE] = _yaml(
            "# Scored questionnaires: the publisher's wording, scores and bands; "
            "every_nth_visit 0 never asks one.\n",
            {"measures": [_measure_entry(measure) for measure in pack.measures]},
        )
    for language in sorted(pack.translations):
        files[f"{TRANSLATIONS_FOLDER}/{language}.yaml"] = _yaml(
            f"# The pack's words in {language_words(language)}, by the IDs of its own files.\n",
            translation_file_text(pack, language),
        )
    files.update(pack.pictures)
    return files


class ExportError(Exception):
    """The pack cannot be written where asked; the message says why in one line."""


def export_pack(pack: ContentPack, target: Path) -> None:
    """Write `pack` to a new folder, or to a `.zip` file when `target` ends in `.zip`.

    Either appears complete or not at all: it is written beside the target first and
    renamed at the end, so a full disk never leaves half a pack under the target's name.
    """
    files = pack_files(pack)
    partial = target.with_name(target.name + ".partial")
    try:
        if target.suffix.lower() == ".zip":
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, data in sorted(files.items()):
                    archive.writestr(name, data)
            partial.replace(target)
            return
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise ExportError(f"{target} already exists and is not an empty folder; choose another")
        shutil.rmtree(partial, ignore_errors=True)
        for name, data in files.items():
            path = partial.joinpath(*PurePosixPath(name).parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            target.rmdir()
        partial.rename(target)
    except OSError as error:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)
        raise ExportError(f"the content cannot be written to {target}: {error.strerror}") from error


def read_pack(source: Path) -> ContentPack:
    """Load and validate a pack from a folder or a `.zip` file; ContentPackError if unusable."""
    if source.is_dir():
        return load_pack(source)
    if not source.is_file():
        raise ContentPackError(
            [ContentProblem(str(source), 1, "there is no content folder or .zip file here")]
        )
    if not zipfile.is_zipfile(source):
        raise ContentPackError(
            [
                ContentProblem(
                    source.name, 1, "this is neither a content folder nor a readable .zip file"
                )
            ]
        )
    try:
        with zipfile.ZipFile(source) as archive, tempfile.TemporaryDirectory() as unpacked:
            root = _checked_root(source, archive)
            folder = Path(unpacked) / "pack"
            folder.mkdir()
            _unpack(source, archive, root, folder)
            return load_pack(folder)
    except OSError as error:  # the temporary folder: a full disk, no permission
        raise _refuse(
            source, f"this .zip could not be unpacked to check it ({error.strerror})"
        ) from error


def _refuse(source: Path, message: str) -> ContentPackError:
    return ContentPackError([ContentProblem(source.name, 1, message)])


_DRIVE = re.compile(r"^[A-Za-z]:")


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name, entry = info.filename, f"the entry '{quoted(info.filename)}'"
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or _DRIVE.match(name) or ".." in parts:
        return f"{entry} points outside the pack; a content pack keeps its files inside"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"{entry} is a shortcut (symbolic link); a content pack holds the files themselves"
    if info.flag_bits & 0x1:
        return f"{entry} is protected by a password; export the pack without one"
    if info.file_size > MAX_FILE_BYTES:
        return (
            f"{entry} unpacks to {info.file_size / 1024 / 1024:.0f} MB; files in a "
            f"content pack can be at most {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    return None


def _same_file(name: str) -> str:
    """The file an entry's name lands on, on any disk: `./A.yaml` and `a.yaml` are one.

    Unpacking drops `.` and empty parts; Windows and macOS disks ignore case, and macOS
    composes accents (NFC), so those names are one file there too.
    """
    parts = PurePosixPath(name).parts
    return unicodedata.normalize("NFC", "/".join(parts)).casefold()


def _twice(entries: list[zipfile.ZipInfo]) -> list[str]:
    """A problem for each file the zip names more than once.

    Tools disagree on which of two such entries counts (unpacking keeps the last, a
    zip viewer shows the first), so what was checked might not be what was meant.
    """
    seen: dict[str, str] = {}
    problems = []
    for info in entries:
        if info.is_dir():
            continue
        same = _same_file(info.filename)
        if same in seen:
            first, again = quoted(seen[same]), quoted(info.filename)
            named = f"'{first}' twice" if first == again else f"'{first}' and '{again}'"
            problems.append(
                f"this .zip holds {named}, which are the same file once unpacked; tools "
                "disagree on which one counts, so make the .zip again from the pack's folder"
            )
        else:
            seen[same] = info.filename
    return problems


def _checked_root(source: Path, archive: zipfile.ZipFile) -> str:
    """Check the zip's table of contents; the folder inside it that holds the pack."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse(
            source,
            f"this .zip has {len(entries)} entries; a content pack can have at most "
            f"{MAX_ZIP_ENTRIES}",
        )
    declared = sum(info.file_size for info in entries)
    if declared > MAX_PACK_BYTES:
        raise _refuse(
            source,
            f"this .zip unpacks to {declared / 1024 / 1024:.0f} MB; a content pack can be at "
            f"most {MAX_PACK_BYTES // 1024 // 1024} MB",
        )
    problems = [
        ContentProblem(source.name, 1, problem)
        for problem in [*map(_entry_problem, entries), *_twice(entries)]
        if problem is not None
    ]
    if problems:
        raise ContentPackError(problems)
    names = {info.filename for info in entries if not info.is_dir()}
    if PACK_FILE in names:
        return ""
    # A zip made by "compress this folder" holds the folder itself.
    tops = {PurePosixPath(name).parts[0] for name in names}
    if len(tops) == 1 and f"{next(iter(tops))}/{PACK_FILE}" in names:
        return f"{next(iter(tops))}/"
    raise _refuse(source, f"this .zip has no {PACK_FILE}; is it a content pack?")


def _unpack(source: Path, archive: zipfile.ZipFile, root: str, folder: Path) -> None:
    for info in archive.infolist():
        if info.is_dir() or not info.filename.startswith(root):
            continue
        target = folder.joinpath(*PurePosixPath(info.filename[len(root) :]).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with archive.open(info) as entry, target.open("wb") as out:
                while chunk := entry.read(_CHUNK):
                    written += len(chunk)
                    # A table of contents can lie; what it declared was checked.
                    if written > info.file_size:
                        raise _refuse(
                            source,
                            f"the entry '{quoted(info.filename)}' is bigger than the .zip says; "
                            "the file is damaged or was made to trick",
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise _refuse(
                source,
                f"the entry '{quoted(info.filename)}' cannot be unpacked; the .zip is damaged",
            ) from error
