"""Content packs: the slides, questions and consent text a clinic shows its patients.

A pack is a folder of YAML files (and pictures). Loading validates all of it and reports
every problem as `file:line: message`. A loaded pack has a canonical form (sorted JSON,
pictures by digest) whose SHA-256 is the content version every visit records.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from PIL import Image, UnidentifiedImageError

from kiosk.pack_reader import ContentProblem, Fields, PackReader

PACK_FILE = "pack.yaml"
SLIDES_FILE = "slides.yaml"
QUESTIONS_FILE = "questions.yaml"
CONSENT_FILE = "consent.yaml"

PICTURE_FORMATS = ("PNG", "JPEG", "WEBP")
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
class Question:
    """A contraindication question; some answers raise a flag for clinician review."""

    id: str
    text: str
    flag_answers: tuple[Answer, ...]
    flag_wording: str
    contraindication: bool = True

    def raises_flag(self, answer: Answer) -> bool:
        """Whether this answer needs a clinician to review the visit."""
        return answer in self.flag_answers


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

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def canonical(self) -> dict[str, Any]:
        """The pack as plain data: the same pack always gives the same data."""
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
            "questions": [
                {
                    "id": q.id,
                    "text": q.text,
                    "contraindication": q.contraindication,
                    "flag_answers": [a.value for a in q.flag_answers],
                    "flag_wording": q.flag_wording,
                }
                for q in self.questions
            ],
            "consent": {
                "statements": [{"id": c.id, "text": c.text} for c in self.consent_statements],
                "signature_meaning": self.signature_meaning,
            },
            "pictures": {
                name: hashlib.sha256(data).hexdigest()
                for name, data in sorted(self.pictures.items())
            },
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


def pack_from_canonical(canonical_bytes: bytes, pictures: Mapping[str, bytes]) -> ContentPack:
    """Rebuild a pack from its stored canonical bytes and pictures."""
    data = json.loads(canonical_bytes.decode("utf-8"))
    return ContentPack(
        clinic_name=data["clinic_name"],
        language=data["language"],
        seconds_before_next=data["seconds_before_next"],
        logo=data["logo"],
        slides=tuple(Slide(**slide) for slide in data["slides"]),
        questions=tuple(
            Question(
                id=q["id"],
                text=q["text"],
                contraindication=q["contraindication"],
                flag_answers=tuple(Answer(a) for a in q["flag_answers"]),
                flag_wording=q["flag_wording"],
            )
            for q in data["questions"]
        ),
        consent_statements=tuple(ConsentStatement(**c) for c in data["consent"]["statements"]),
        signature_meaning=data["consent"]["signature_meaning"],
        pictures=dict(pictures),
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


@dataclass
class _PackLoader:
    reader: PackReader
    pictures: dict[str, bytes] = field(default_factory=dict)

    def load(self) -> ContentPack | None:
        settings = self._pack_file()
        slides = self._slides()
        questions = self._questions()
        consent = self._consent()
        if settings is None or consent is None:
            return None
        clinic_name, language, seconds, logo = settings
        statements, meaning = consent
        return ContentPack(
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
        clinic_name = r.text(file, pairs, "clinic_name", node, "the pack")
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
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            self.reader.report(
                file, node, f"the picture '{name}' must be inside the content folder"
            )
            return None
        path = self.reader.folder.joinpath(*relative.parts)
        if not path.is_file():
            self.reader.report(file, node, f"the picture '{name}' is not in the content folder")
            return None
        data = path.read_bytes()
        try:
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            self.reader.report(
                file,
                node,
                f"the picture '{name}' is damaged or is not a picture; "
                "save it again as PNG, JPEG or WebP",
            )
            return None
        if image_format not in PICTURE_FORMATS:
            self.reader.report(
                file, node, f"the picture '{name}' is a {image_format} file; use PNG, JPEG or WebP"
            )
            return None
        self.pictures[relative.as_posix()] = data
        return relative.as_posix()

    def _identifier(
        self, file: str, pairs: Fields, owner: yaml.Node, what: str, seen: set[str]
    ) -> str:
        identifier = self.reader.text(file, pairs, "id", owner, what) or ""
        if identifier and not _ID.match(identifier):
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{identifier}' should use only "
                "small letters, digits and hyphens, like 'after-the-infusion'",
            )
        if identifier and identifier in seen:
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{identifier}' is used twice; each one must be different",
            )
        seen.add(identifier)
        return identifier

    def _items(
        self, file: str, key: str, what: str, also: frozenset[str] = frozenset()
    ) -> tuple[Fields | None, yaml.Node | None, list[tuple[yaml.Node, Fields]]]:
        """The file's top-level pairs and node, and the items of its list under `key`."""
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
        result = []
        for item in items:
            fields_ = self.reader.mapping(file, item, f"each item of '{key}'")
            if fields_ is not None:
                result.append((item, fields_))
        return pairs, node, result

    def _slides(self) -> list[Slide]:
        file, r, seen = SLIDES_FILE, self.reader, set[str]()
        slides = []
        for node, pairs in self._items(file, "slides", "slides")[2]:
            r.unknown(file, pairs, {"id", "title", "text", "picture", "picture_alt"}, "a slide")
            identifier = self._identifier(file, pairs, node, "this slide", seen)
            title = r.text(file, pairs, "title", node, "this slide") or ""
            text = r.text(file, pairs, "text", node, "this slide") or ""
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
            alt = r.text(file, pairs, "picture_alt", node, "this slide", required=False)
            if picture and not alt:
                r.report(
                    file,
                    pairs["picture"][1],
                    "a slide with a picture needs 'picture_alt': "
                    "a sentence describing the picture for people who cannot see it",
                )
            slides.append(Slide(identifier, title, text, picture, alt))
        return slides

    def _questions(self) -> list[Question]:
        file, r, seen = QUESTIONS_FILE, self.reader, set[str]()
        allowed_answers = tuple(answer.value for answer in Answer)
        questions = []
        for node, pairs in self._items(file, "questions", "questions")[2]:
            r.unknown(
                file,
                pairs,
                {"id", "text", "contraindication", "flag_when", "flag_wording"},
                "a question",
            )
            identifier = self._identifier(file, pairs, node, "this question", seen)
            text = r.text(file, pairs, "text", node, "this question") or ""
            contraindication = r.switch(file, pairs, "contraindication", default=True)
            flag_when = r.words(file, pairs, "flag_when", allowed_answers, "this question")
            if flag_when is None:
                flag_when = [Answer.YES.value, Answer.NOT_SURE.value]
            wording = (
                r.text(file, pairs, "flag_wording", node, "this question", required=bool(flag_when))
                or ""
            )
            questions.append(
                Question(
                    identifier, text, tuple(Answer(a) for a in flag_when), wording, contraindication
                )
            )
        return questions

    def _consent(self) -> tuple[list[ConsentStatement], str] | None:
        file, r, seen = CONSENT_FILE, self.reader, set[str]()
        top, owner, items = self._items(
            file, "statements", "consent", frozenset({"signature_meaning"})
        )
        statements = []
        for node, pairs in items:
            r.unknown(file, pairs, {"id", "text"}, "a consent statement")
            identifier = self._identifier(file, pairs, node, "this statement", seen)
            text = r.text(file, pairs, "text", node, "this statement") or ""
            statements.append(ConsentStatement(identifier, text))
        if top is None or owner is None:
            return None
        meaning = r.text(file, top, "signature_meaning", owner, "the consent file") or ""
        return statements, meaning
