"""Content packs: the slides, questions and consent text a clinic shows its patients.

A pack is a folder of YAML files (and pictures). Loading validates all of it and reports
every problem as `file:line: message`. A loaded pack has a canonical form (sorted JSON,
pictures by digest) whose SHA-256 is the content version every visit records.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from kiosk.pack_limits import (
    MAX_CHOICE_TEXT,
    MAX_CHOICES,
    MAX_FLAG_WORDING,
    MAX_PACK_PIXELS,
    MAX_PICTURE_ALT,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    MAX_SIGNATURE_MEANING,
    MAX_SLIDE_TEXT,
    MAX_SLIDES,
    MAX_STATEMENT_TEXT,
    MAX_STATEMENTS,
    MAX_TITLE,
    quoted,
)
from kiosk.pack_reader import ContentProblem, Fields, PackReader
from kiosk.pictures import picture_pixels, picture_problem
from kiosk.translations import TranslationReader, language_words

PACK_FILE = "pack.yaml"
SLIDES_FILE = "slides.yaml"
QUESTIONS_FILE = "questions.yaml"
CONSENT_FILE = "consent.yaml"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class Answer(StrEnum):
    """The answers to a contraindication question."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"

    @property
    def words(self) -> str:
        """How the answer reads on the staff summary."""
        return {"yes": "Yes", "no": "No", "not_sure": "Not sure"}[self.value]


class QuestionKind(StrEnum):
    """How a question is answered on the kiosk."""

    YES_NO = "yes_no_not_sure"
    SINGLE_CHOICE = "single_choice"
    SHORT_TEXT = "short_text"


# A typed answer is a few words ("which medicines today?"), not a letter.
SHORT_TEXT_LIMIT = 200


class ContentPackError(Exception):
    """A pack that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class TextRun:
    """A stretch of slide text, bold or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of slide text."""

    runs: tuple[TextRun, ...]


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is a tuple of runs."""

    items: tuple[tuple[TextRun, ...], ...]


SlideBlock = Paragraph | BulletList


def _runs(line: str) -> tuple[TextRun, ...]:
    parts = line.split("**")
    return tuple(TextRun(part, bold=index % 2 == 1) for index, part in enumerate(parts) if part)


def slide_text_problems(text: str) -> list[tuple[int, str]]:
    """Problems in slide text as (line offset, message); the text is otherwise free."""
    problems = []
    for offset, line in enumerate(text.splitlines()):
        if line.count("**") % 2:
            problems.append((offset, "a '**' that starts bold text is never closed on this line"))
    return problems


def parse_slide_text(text: str) -> tuple[SlideBlock, ...]:
    """Split slide text into paragraphs and bullet lists.

    Blank lines separate paragraphs, lines starting with '- ' are bullets and
    `**words**` are bold. Nothing else is special, so any text shows as typed.
    """
    blocks: list[SlideBlock] = []
    paragraph: list[str] = []
    bullets: list[tuple[TextRun, ...]] = []

    def close() -> None:
        if paragraph:
            blocks.append(Paragraph(_runs(" ".join(paragraph))))
            paragraph.clear()
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith(("- ", "• ")):
            if paragraph:
                close()
            bullets.append(_runs(line[2:].strip()))
        else:
            if bullets:
                close()
            paragraph.append(line)
    close()
    return tuple(blocks)


@dataclass(frozen=True)
class Slide:
    """One educational slide."""

    id: str
    title: str
    text: str
    picture: str | None = None
    picture_alt: str | None = None

    @property
    def blocks(self) -> tuple[SlideBlock, ...]:
        """The slide's text as paragraphs and bullet lists."""
        return parse_slide_text(self.text)


@dataclass(frozen=True)
class Choice:
    """One answer a patient can pick in a single-choice question."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """A question; some answers raise a flag for clinician review.

    An answer is a string: an `Answer` for a yes / no / not sure question, a choice's ID
    for a single-choice question, the patient's own words for a short-text question
    (which never raises a flag).
    """

    id: str
    text: str
    flag_answers: tuple[str, ...]
    flag_wording: str
    contraindication: bool = True
    kind: QuestionKind = QuestionKind.YES_NO
    choices: tuple[Choice, ...] = ()

    def raises_flag(self, answer: str) -> bool:
        """Whether this answer needs a clinician to review the visit."""
        return self.kind is not QuestionKind.SHORT_TEXT and answer in self.flag_answers

    def possible_answers(self) -> tuple[str, ...]:
        """The answers a patient can tap (none for a short-text question)."""
        if self.kind is QuestionKind.YES_NO:
            return tuple(Answer)
        return tuple(choice.id for choice in self.choices)

    def accepts(self, answer: str) -> bool:
        """Whether `answer` is one this question can be given."""
        if self.kind is QuestionKind.SHORT_TEXT:
            return len(answer) <= SHORT_TEXT_LIMIT
        return answer in self.possible_answers()

    def answer_words(self, answer: str) -> str:
        """How an answer reads for staff: Yes / the choice's text / the typed words."""
        if self.kind is QuestionKind.YES_NO:
            return Answer(answer).words
        if self.kind is QuestionKind.SINGLE_CHOICE:
            for choice in self.choices:
                if choice.id == answer:
                    return choice.text
            return answer
        return answer or "(left empty)"


@dataclass(frozen=True)
class ConsentStatement:
    """A statement the patient acknowledges before signing."""

    id: str
    text: str


@dataclass(frozen=True)
class ContentPack:
    """A validated content pack, as shown to patients."""

    clinic_name: str
    language: str
    seconds_before_next: int
    slides: tuple[Slide, ...]
    questions: tuple[Question, ...]
    consent_statements: tuple[ConsentStatement, ...]
    signature_meaning: str
    pictures: Mapping[str, bytes] = field(default_factory=dict)
    logo: str | None = None
    # Patient-facing words in other languages: code → {text key → words} (kiosk.translations).
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        """The pack's own language first, then each translation."""
        return (self.language, *sorted(self.translations))

    def in_language(self, language: str, *, missing: str | None = None) -> ContentPack:
        """What a patient reading `language` sees (for showing; a visit stores this pack).

        With `missing`, words not translated yet read as `missing` instead of failing.
        """
        from kiosk.translations import in_language

        return in_language(self, language, missing=missing)

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def canonical(self) -> dict[str, Any]:
        """The pack as plain data: the same pack always gives the same data."""
        from kiosk.translations import text_keys

        text = text_keys(self) if self.translations else {}
        return {
            "format": 1,
            "clinic_name": self.clinic_name,
            "language": self.language,
            "seconds_before_next": self.seconds_before_next,
            "logo": self.logo,
            "slides": [
                {
                    "id": s.id,
                    "title": s.title,
                    "text": s.text,
                    "picture": s.picture,
                    "picture_alt": s.picture_alt,
                }
                for s in self.slides
            ],
            "questions": [_canonical_question(q) for q in self.questions],
            "consent": {
                "statements": [{"id": c.id, "text": c.text} for c in self.consent_statements],
                "signature_meaning": self.signature_meaning,
            },
            "pictures": {
                name: hashlib.sha256(data).hexdigest()
                for name, data in sorted(self.pictures.items())
            },
            # Only a pack with translations says so: one without keeps its old version.
            **(
                {
                    # Only words for text the pack has: an item removed in the editor
                    # takes its translations with it.
                    "translations": {
                        language: {k: v for k, v in sorted(words.items()) if k in text}
                        for language, words in sorted(self.translations.items())
                    }
                }
                if self.translations
                else {}
            ),
        }

    def canonical_bytes(self) -> bytes:
        """The canonical form as UTF-8 JSON with sorted keys."""
        return json.dumps(
            self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")

    @cached_property
    def version(self) -> str:
        """The content version: SHA-256 of the canonical bytes, in hex.

        Worked out once per pack: it hashes every picture, and each stored visit asks.
        """
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    @property
    def short_version(self) -> str:
        """The first 12 hex digits of the version, for people to read and compare."""
        return self.version[:12]


def _canonical_question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.id,
        "text": question.text,
        "contraindication": question.contraindication,
        "flag_answers": [str(a) for a in question.flag_answers],
        "flag_wording": question.flag_wording,
    }
    # Only other kinds say so: a yes / no / not sure question keeps the canonical form
    # (and so the content version) it had before questions had kinds.
    if question.kind is not QuestionKind.YES_NO:
        data["kind"] = question.kind.value
        data["choices"] = [{"id": c.id, "text": c.text} for c in question.choices]
    return data


def _question_from_canonical(data: Mapping[str, Any]) -> Question:
    kind = QuestionKind(data.get("kind", QuestionKind.YES_NO.value))
    flag_answers: tuple[str, ...] = tuple(
        Answer(a) if kind is QuestionKind.YES_NO else str(a) for a in data["flag_answers"]
    )
    return Question(
        id=data["id"],
        text=data["text"],
        contraindication=data["contraindication"],
        flag_answers=flag_answers,
        flag_wording=data["flag_wording"],
        kind=kind,
        choices=tuple(Choice(c["id"], c["text"]) for c in data.get("choices", ())),
    )


def pack_from_canonical(canonical_bytes: bytes, pictures: Mapping[str, bytes]) -> ContentPack:
    """Rebuild a pack from its stored canonical bytes and pictures."""
    data = json.loads(canonical_bytes.decode("utf-8"))
    return ContentPack(
        clinic_name=data["clinic_name"],
        language=data["language"],
        seconds_before_next=data["seconds_before_next"],
        logo=data["logo"],
        slides=tuple(Slide(**slide) for slide in data["slides"]),
        questions=tuple(_question_from_canonical(q) for q in data["questions"]),
        consent_statements=tuple(ConsentStatement(**c) for c in data["consent"]["statements"]),
        signature_meaning=data["consent"]["signature_meaning"],
        pictures=dict(pictures),
        translations=data.get("translations", {}),
    )


def bundled_pack_dir() -> Path:
    """The default pack shipped inside the package (found through importlib.resources)."""
    folder = resources.files("resources").joinpath("content", "default")
    if not isinstance(folder, Path):  # pragma: no cover - only zipped installs
        raise RuntimeError("the bundled content must be installed as files, not zipped")
    return folder


def load_pack(folder: Path) -> ContentPack:
    """Load and validate the pack in `folder`, or raise ContentPackError with every problem."""
    if not folder.is_dir():
        raise ContentPackError(
            [ContentProblem(str(folder), 1, "this content folder does not exist")]
        )
    reader = PackReader(folder)
    loader = _PackLoader(reader)
    pack = loader.load()
    if reader.problems or pack is None:
        raise ContentPackError(reader.problems)
    return pack


def _named(pairs: Fields) -> str:
    """' (its-id)' for an item with a readable id, so the editor can name it."""
    node = pairs.get("id", (None, None))[1]
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return f" ({quoted(str(node.value).strip())})"
    return ""


def _too_many(key: str, count: int, most: int) -> str:
    return f"'{key}' has {count:,} items; a content pack can have at most {most}"


@dataclass
class _PackLoader:
    reader: PackReader
    pictures: dict[str, bytes] = field(default_factory=dict)
    pixels: int = 0

    def load(self) -> ContentPack | None:
        settings = self._pack_file()
        slides = self._slides()
        questions = self._questions()
        consent = self._consent()
        if settings is None or consent is None:
            return None
        clinic_name, language, seconds, logo = settings
        statements, meaning = consent
        pack = ContentPack(
            clinic_name=clinic_name,
            language=language,
            seconds_before_next=seconds,
            slides=tuple(slides),
            questions=tuple(questions),
            consent_statements=tuple(statements),
            signature_meaning=meaning,
            pictures=dict(self.pictures),
            logo=logo,
        )
        if self.reader.problems:
            # Translations are checked against a sound pack; until then they would only
            # repeat the pack's own problems.
            return pack
        translations = TranslationReader(self.reader)
        return replace(
            pack,
            translations={
                code: self._translation(translations, pack, code)
                for code in translations.languages()
            },
        )

    def _translation(
        self, translations: TranslationReader, pack: ContentPack, code: str
    ) -> dict[str, str]:
        # Problems name the translation, for the editor to open.
        with self.reader.inside(f"the {language_words(code)} translation"):
            return translations.read(pack, code)

    def _top(self, file: str, allowed: set[str], what: str) -> tuple[Fields, yaml.Node] | None:
        node = self.reader.load(file)
        if node is None:
            return None
        pairs = self.reader.mapping(file, node, what)
        if pairs is None:
            return None
        self.reader.unknown(file, pairs, allowed, what)
        return pairs, node

    def _pack_file(self) -> tuple[str, str, int, str | None] | None:
        file, r = PACK_FILE, self.reader
        top = self._top(file, {"clinic_name", "language", "logo", "settings"}, "the pack file")
        if top is None:
            return None
        pairs, node = top
        clinic_name = r.text(file, pairs, "clinic_name", node, "the pack", longest=MAX_TITLE)
        language = r.text(file, pairs, "language", node, "the pack") or "en"
        if not re.fullmatch(r"[a-z]{2}", language):
            r.report(
                file, pairs["language"][1], "'language' should be a two-letter code such as en"
            )
        logo = self._picture(file, pairs, "logo", node)
        seconds = 0
        if "settings" in pairs:
            settings = r.mapping(file, pairs["settings"][1], "'settings'")
            if settings is not None:
                r.unknown(file, settings, {"seconds_before_next"}, "'settings'")
                seconds = r.whole_number(
                    file, settings, "seconds_before_next", 0, minimum=0, maximum=120
                )
        if clinic_name is None:
            return None
        return clinic_name, language, seconds, logo

    def _picture(self, file: str, pairs: Fields, key: str, owner: yaml.Node) -> str | None:
        name = self.reader.text(file, pairs, key, owner, "this item", required=False)
        if not name:
            return None
        node = pairs[key][1]
        relative = PurePosixPath(name).as_posix()
        if relative in self.pictures:  # on another slide too: checked once
            return relative
        data = self.reader.read(name, file, node, "the picture")
        if data is None:
            return None
        # Checking a picture decodes it: the pack's pictures together are bounded first.
        self.pixels += picture_pixels(data)
        if self.pixels > MAX_PACK_PIXELS:
            self.reader.report(
                file,
                node,
                f"with the picture '{quoted(name)}' the pack's pictures add up to more than "
                f"{MAX_PACK_PIXELS // 1_000_000} megapixels; make the pictures smaller",
            )
            return None
        problem = picture_problem(data, name)
        if problem is not None:
            self.reader.report(file, node, problem)
            return None
        self.pictures[relative] = data
        return relative

    def _identifier(
        self, file: str, pairs: Fields, owner: yaml.Node, what: str, seen: set[str]
    ) -> str:
        identifier = self.reader.text(file, pairs, "id", owner, what) or ""
        if identifier and not _ID.match(identifier):
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{quoted(identifier)}' should use only "
                "small letters, digits and hyphens, like 'after-the-infusion'",
            )
        if identifier and identifier in seen:
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{quoted(identifier)}' is used twice; each one must be different",
            )
        seen.add(identifier)
        return identifier

    def _items(
        self, file: str, key: str, what: str, most: int, also: frozenset[str] = frozenset()
    ) -> tuple[Fields | None, yaml.Node | None, list[tuple[yaml.Node, Fields]]]:
        """The file's top-level pairs and node, and the items of its list under `key`.

        Past `most` items the list is refused and only the first `most` are looked at,
        so a list of thousands costs no more than a full one.
        """
        top = self._top(file, {key} | also, f"the {what} file")
        if top is None:
            return None, None, []
        pairs, node = top
        if key not in pairs:
            self.reader.report(file, node, f"the {what} file needs '{key}:' with a list under it")
            return pairs, node, []
        items = self.reader.sequence(file, pairs[key][1], f"'{key}'")
        if not items:
            self.reader.report(file, pairs[key][1], f"there must be at least one item in '{key}'")
        if len(items) > most:
            self.reader.report(file, pairs[key][1], _too_many(key, len(items), most))
            items = items[:most]
        result = []
        for item in items:
            fields_ = self.reader.mapping(file, item, f"each item of '{key}'")
            if fields_ is not None:
                result.append((item, fields_))
        return pairs, node, result

    def _slides(self) -> list[Slide]:
        file, r, seen = SLIDES_FILE, self.reader, set[str]()
        slides = []
        for number, (node, pairs) in enumerate(
            self._items(file, "slides", "slides", MAX_SLIDES)[2], 1
        ):
            with r.inside(f"slide {number}{_named(pairs)}"):
                slides.append(self._slide(node, pairs, seen))
        return slides

    def _slide(self, node: yaml.Node, pairs: Fields, seen: set[str]) -> Slide:
        file, r = SLIDES_FILE, self.reader
        r.unknown(file, pairs, {"id", "title", "text", "picture", "picture_alt"}, "a slide")
        identifier = self._identifier(file, pairs, node, "this slide", seen)
        title = r.text(file, pairs, "title", node, "this slide", longest=MAX_TITLE) or ""
        text = r.text(file, pairs, "text", node, "this slide", longest=MAX_SLIDE_TEXT) or ""
        if "text" in pairs:
            first = pairs["text"][1].start_mark.line + 1
            # A block scalar (`text: |`) starts on the line after its key.
            if isinstance(pairs["text"][1], yaml.ScalarNode) and pairs["text"][1].style in (
                "|",
                ">",
            ):
                first += 1
            for offset, message in slide_text_problems(text):
                r.report(file, first + offset, message)
        picture = self._picture(file, pairs, "picture", node)
        alt = r.text(
            file, pairs, "picture_alt", node, "this slide", required=False, longest=MAX_PICTURE_ALT
        )
        if picture and not alt:
            r.report(
                file,
                pairs["picture"][1],
                "a slide with a picture needs 'picture_alt': "
                "a sentence describing the picture for people who cannot see it",
            )
        return Slide(identifier, title, text, picture, alt)

    def _questions(self) -> list[Question]:
        file, r, seen = QUESTIONS_FILE, self.reader, set[str]()
        questions = []
        for number, (node, pairs) in enumerate(
            self._items(file, "questions", "questions", MAX_QUESTIONS)[2], 1
        ):
            with r.inside(f"question {number}{_named(pairs)}"):
                questions.append(self._question(node, pairs, seen))
        return questions

    def _question_kind(self, pairs: Fields) -> QuestionKind:
        if "kind" not in pairs:
            return QuestionKind.YES_NO
        node = pairs["kind"][1]
        word = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            return QuestionKind(word)
        except ValueError:
            self.reader.report(
                QUESTIONS_FILE,
                node,
                f"'{quoted(word)}' is not a kind of question; use one of: "
                + ", ".join(kind.value for kind in QuestionKind),
            )
            return QuestionKind.YES_NO

    def _choices(self, node: yaml.Node, pairs: Fields, kind: QuestionKind) -> tuple[Choice, ...]:
        file, r = QUESTIONS_FILE, self.reader
        if kind is not QuestionKind.SINGLE_CHOICE:
            if "choices" in pairs:
                r.report(file, pairs["choices"][1], "only a single_choice question has 'choices'")
            return ()
        if "choices" not in pairs:
            r.report(file, node, "a single_choice question needs 'choices:' with a list under it")
            return ()
        items = r.sequence(file, pairs["choices"][1], "'choices'")
        if len(items) < 2:
            r.report(file, pairs["choices"][1], "a single_choice question needs at least 2 choices")
        if len(items) > MAX_CHOICES:
            r.report(file, pairs["choices"][1], _too_many("choices", len(items), MAX_CHOICES))
            items = items[:MAX_CHOICES]
        seen: set[str] = set()
        choices = []
        for item in items:
            fields_ = r.mapping(file, item, "each choice")
            if fields_ is None:
                continue
            r.unknown(file, fields_, {"id", "text"}, "a choice")
            identifier = self._identifier(file, fields_, item, "this choice", seen)
            text = r.text(file, fields_, "text", item, "this choice", longest=MAX_CHOICE_TEXT) or ""
            choices.append(Choice(identifier, text))
        return tuple(choices)

    def _question(self, node: yaml.Node, pairs: Fields, seen: set[str]) -> Question:
        file, r = QUESTIONS_FILE, self.reader
        r.unknown(
            file,
            pairs,
            {"id", "kind", "text", "choices", "contraindication", "flag_when", "flag_wording"},
            "a question",
        )
        identifier = self._identifier(file, pairs, node, "this question", seen)
        kind = self._question_kind(pairs)
        text = r.text(file, pairs, "text", node, "this question", longest=MAX_QUESTION_TEXT) or ""
        choices = self._choices(node, pairs, kind)
        contraindication = r.switch(
            file, pairs, "contraindication", default=kind is QuestionKind.YES_NO
        )
        if kind is QuestionKind.SHORT_TEXT and "flag_when" in pairs:
            r.report(
                file,
                pairs["flag_when"][1],
                "a short_text question cannot raise a flag: its answers are the patient's "
                "own words; remove 'flag_when'",
            )
        allowed = (
            tuple(answer.value for answer in Answer)
            if kind is QuestionKind.YES_NO
            else tuple(choice.id for choice in choices)
        )
        flag_when = r.words(file, pairs, "flag_when", allowed, "this question")
        if flag_when is None:
            flag_when = (
                [Answer.YES.value, Answer.NOT_SURE.value] if kind is QuestionKind.YES_NO else []
            )
        if kind is QuestionKind.SHORT_TEXT:
            flag_when = []
        wording = (
            r.text(
                file,
                pairs,
                "flag_wording",
                node,
                "this question",
                required=bool(flag_when),
                longest=MAX_FLAG_WORDING,
            )
            or ""
        )
        flag_answers: tuple[str, ...] = tuple(
            Answer(a) if kind is QuestionKind.YES_NO else a for a in flag_when
        )
        return Question(identifier, text, flag_answers, wording, contraindication, kind, choices)

    def _consent(self) -> tuple[list[ConsentStatement], str] | None:
        file, r, seen = CONSENT_FILE, self.reader, set[str]()
        top, owner, items = self._items(
            file, "statements", "consent", MAX_STATEMENTS, frozenset({"signature_meaning"})
        )
        statements = []
        for number, (node, pairs) in enumerate(items, 1):
            with r.inside(f"consent statement {number}{_named(pairs)}"):
                r.unknown(file, pairs, {"id", "text"}, "a consent statement")
                identifier = self._identifier(file, pairs, node, "this statement", seen)
                text = (
                    r.text(file, pairs, "text", node, "this statement", longest=MAX_STATEMENT_TEXT)
                    or ""
                )
                statements.append(ConsentStatement(identifier, text))
        if top is None or owner is None:
            return None
        meaning = (
            r.text(
                file,
                top,
                "signature_meaning",
                owner,
                "the consent file",
                longest=MAX_SIGNATURE_MEANING,
            )
            or ""
        )
        return statements, meaning
