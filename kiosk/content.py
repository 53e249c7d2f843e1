"""Content packs: the slides, questions and consent text a clinic shows its patients.

This is the pack as the rest of the kiosk sees it, already validated (loading a folder
is `kiosk.pack_loader`). A pack has a canonical form (sorted JSON, pictures by digest)
whose SHA-256 is the content version every visit records, and its patient-facing words
in other languages (read from the pack by `kiosk.translations`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any


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


class QuestionSection(StrEnum):
    """When a question is asked: every visit, or only a returning patient's (issue 27)."""

    # The contraindication questions: every visit, first or return.
    SCREENING = "screening"
    # Before today's infusion (food and drink, new medicines, alcohol, pregnancy).
    PRE_INFUSION = "pre_infusion"
    # How the last infusion went, and the long-term watch list.
    SIDE_EFFECTS = "side_effects"
    # Right after the slides: does the patient take away what one slide says (teach-back)?
    TEACH_BACK = "teach_back"

    @property
    def return_visits_only(self) -> bool:
        """Asked only of a patient who comes back, among the questionnaire's questions."""
        return self in (QuestionSection.PRE_INFUSION, QuestionSection.SIDE_EFFECTS)

    @property
    def in_questionnaire(self) -> bool:
        """Asked among the questions (a teach-back question is asked after the slides)."""
        return self is not QuestionSection.TEACH_BACK


class TeachBackResult(StrEnum):
    """How a patient answered a teach-back question (stored, printed, noted for staff)."""

    RIGHT_FIRST_TIME = "right_first_time"
    # Wrong (or not sure) first; right once the slide was shown again.
    RIGHT_AFTER_REVIEW = "right_after_review"
    # Wrong after the slide too: a soft note for staff to go over it (never a refusal).
    STILL_WRONG = "still_wrong"

    @property
    def words(self) -> str:
        """How the result reads for staff."""
        return {
            "right_first_time": "Right first time",
            "right_after_review": "Right after seeing the slide again",
            "still_wrong": "Still wrong after seeing the slide again",
        }[self.value]


class ReturnConsent(StrEnum):
    """The clinic's rule for re-signing consent on a return visit."""

    EVERY_VISIT = "every_visit"
    # Only when the slides were shown again (changed text, an old consent, or asked for).
    WHEN_SLIDES_SHOWN = "when_slides_shown"


# A typed answer is a few words ("which medicines today?"), not a letter.
SHORT_TEXT_LIMIT = 200

# How fast a patient reads a slide, and the share of that reading time under which the
# summary and the desk note that the education may not have been read (pack settings).
READING_WORDS_PER_MINUTE = 200
READING_TIME_FRACTION = Fraction(1, 3)
# A returning patient's consent stands this long before the slides are shown again.
CONSENT_VALID_DAYS = 365

# A language's name in English, for admins and staff.
LANGUAGE_WORDS = {"en": "English", "es": "Spanish"}


def language_words(code: str) -> str:
    """A language's name in English, for admins and staff."""
    return LANGUAGE_WORDS.get(code, code)


_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def word_count(text: str) -> int:
    """How many words a reader reads in `text` (markup such as '**' and '- ' is not a word)."""
    return len(_WORD.findall(text))


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


def plain_words(text: str) -> str:
    """Text as a reader reads it, to find a quoted sentence in a slide: no '**' bold
    marks, no bullet marks, every run of spaces and line breaks one space."""
    lines = [line.strip() for line in text.replace("**", "").splitlines()]
    lines = [line[2:] if line.startswith(("- ", "• ")) else line for line in lines]
    return " ".join(" ".join(lines).split())


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

    @property
    def words(self) -> int:
        """The words a patient reads on the slide: its title and its text."""
        return word_count(self.title) + word_count(self.text)


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
    section: QuestionSection = QuestionSection.SCREENING
    # A teach-back question only: the slide it checks, the answer that shows the patient
    # took it in, and the sentence of that slide quoted when the slide is shown again.
    slide: str | None = None
    right_answer: str | None = None
    key_sentence: str = ""
    # An item of a scored questionnaire (`Measure.as_questions`): the measure's ID, and
    # the instructions read above it. Never part of the pack's own questions.
    measure: str | None = None
    lead: str = ""
    # The publisher's attribution, printed under each of a measure's items.
    attribution: str = ""

    @property
    def is_teach_back(self) -> bool:
        """Asked right after the slides, about one of them (not a questionnaire question)."""
        return self.section is QuestionSection.TEACH_BACK

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
class ScoredChoice:
    """One answer to a scored item, and the points it counts towards the total."""

    id: str
    text: str
    score: int


@dataclass(frozen=True)
class MeasureItem:
    """One scored item of a questionnaire (its ID, such as `phq9-9`, names it everywhere)."""

    id: str
    text: str


@dataclass(frozen=True)
class SeverityBand:
    """A range of totals, both ends included, and what the publisher calls it."""

    lowest: int
    highest: int
    name: str


@dataclass(frozen=True)
class DifficultyItem:
    """The unscored question after the items: how hard the problems made daily life."""

    id: str
    text: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Measure:
    """A scored questionnaire (the PHQ-9, the GAD-7): the same choices for every item,
    a total, severity bands, and maybe an unscored difficulty item.

    `validated`: the wording, scores and bands are a published instrument's; changed, it
    is no longer that instrument, so the editor locks it and Check warns. `every_nth_visit`
    0 never asks it (the default); 1 at every visit; 3 at a patient's first visit and
    every third one after it.
    """

    id: str
    name: str
    instructions: str
    choices: tuple[ScoredChoice, ...]
    items: tuple[MeasureItem, ...]
    bands: tuple[SeverityBand, ...]
    attribution: str = ""
    difficulty: DifficultyItem | None = None
    validated: bool = False
    every_nth_visit: int = 0

    @property
    def turned_on(self) -> bool:
        """Whether the clinic asks it at all."""
        return self.every_nth_visit > 0

    @property
    def highest_total(self) -> int:
        """The most the items can add up to."""
        return len(self.items) * max((choice.score for choice in self.choices), default=0)

    def score(self, choice_id: str) -> int | None:
        """The points of an answer to a scored item (None for no such choice)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.score
        return None

    def band(self, total: int) -> str:
        """The severity band of a total ("" for a total outside every band)."""
        for band in self.bands:
            if band.lowest <= total <= band.highest:
                return band.name
        return ""

    def item_ids(self) -> tuple[str, ...]:
        """Every question ID it asks: the items, then the difficulty item."""
        difficulty = (self.difficulty.id,) if self.difficulty else ()
        return (*(item.id for item in self.items), *difficulty)

    def as_questions(self) -> tuple[Question, ...]:
        """The measure's items as the kiosk's question screens ask them: one at a time,
        the choices as big buttons, the instructions above; never a flag of their own."""
        choices = tuple(Choice(choice.id, choice.text) for choice in self.choices)
        questions = [
            Question(
                item.id,
                item.text,
                (),
                "",
                contraindication=False,
                kind=QuestionKind.SINGLE_CHOICE,
                choices=choices,
                measure=self.id,
                lead=self.instructions,
                attribution=self.attribution,
            )
            for item in self.items
        ]
        if self.difficulty is not None:
            questions.append(
                Question(
                    self.difficulty.id,
                    self.difficulty.text,
                    (),
                    "",
                    contraindication=False,
                    kind=QuestionKind.SINGLE_CHOICE,
                    choices=self.difficulty.choices,
                    measure=self.id,
                    attribution=self.attribution,
                )
            )
        return tuple(questions)


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
    reading_words_per_minute: int = READING_WORDS_PER_MINUTE
    reading_time_fraction: Fraction = READING_TIME_FRACTION
    # A returning patient reads the slides again once their last consent is older than
    # this (the clinic's period), or the slides' clinical text changed since (issue 27).
    consent_valid_days: int = CONSENT_VALID_DAYS
    return_consent: ReturnConsent = ReturnConsent.EVERY_VISIT
    # Scored questionnaires (issue 28), off until the clinic turns them on. Their words in
    # another language come only from the clinic's translation file (the publisher's own
    # version): a measure without them is not asked in that language.
    measures: tuple[Measure, ...] = ()
    # Who responds when a PHQ-9 answer about self-harm raises an alert (`kiosk.risk`):
    # until the clinic names someone the PHQ-9 cannot be turned on.
    risk_responder: str = ""
    # Whether the kiosk's "Read to me" is heard through headphones only: without them the
    # self-harm item is not read aloud in the waiting room.
    kiosk_has_headphones: bool = False

    @property
    def teach_back(self) -> tuple[Question, ...]:
        """The teach-back questions, in the pack's order (asked after the slides)."""
        return tuple(question for question in self.questions if question.is_teach_back)

    def slide(self, slide_id: str) -> Slide:
        """The slide with this id."""
        for slide in self.slides:
            if slide.id == slide_id:
                return slide
        raise KeyError(slide_id)

    @property
    def languages(self) -> tuple[str, ...]:
        """The pack's own language first, then each translation."""
        return (self.language, *sorted(self.translations))

    def in_language(self, language: str, *, missing: str | None = None) -> ContentPack:
        """What a patient reading `language` sees (for showing; a visit stores this pack).

        With `missing`, words not translated yet read as `missing` instead of failing.
        """
        if language == self.language:
            return self
        found = self.translations.get(language, {})
        words: Mapping[str, str] = (
            found if missing is None else _Filled(found, text_keys(self), missing)
        )
        return replace(
            self,
            language=language,
            clinic_name=words.get("clinic_name", self.clinic_name),
            signature_meaning=words["signature_meaning"],
            slides=tuple(
                replace(
                    slide,
                    title=words[f"slide.{slide.id}.title"],
                    text=words[f"slide.{slide.id}.text"],
                    picture_alt=words.get(f"slide.{slide.id}.picture_alt", slide.picture_alt),
                )
                for slide in self.slides
            ),
            questions=tuple(
                replace(
                    question,
                    text=words[f"question.{question.id}.text"],
                    key_sentence=words.get(
                        f"question.{question.id}.key_sentence", question.key_sentence
                    ),
                    choices=tuple(
                        replace(choice, text=words[f"question.{question.id}.choice.{choice.id}"])
                        for choice in question.choices
                    ),
                )
                for question in self.questions
            ),
            consent_statements=tuple(
                replace(statement, text=words[f"consent.{statement.id}"])
                for statement in self.consent_statements
            ),
            measures=tuple(
                _measure_in(measure, found)
                for measure in self.measures
                if measure_translated(measure, found)
            ),
            translations={},
        )

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id."""
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise KeyError(measure_id)

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def canonical(self) -> dict[str, Any]:
        """The pack as plain data: the same pack always gives the same data."""
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
            # Only a pack that changes how reading is judged says so: one that keeps the
            # defaults keeps the version it had before these were settings.
            **(
                {
                    "reading": {
                        "words_per_minute": self.reading_words_per_minute,
                        "time_fraction": str(self.reading_time_fraction),
                    }
                }
                if (self.reading_words_per_minute, self.reading_time_fraction)
                != (READING_WORDS_PER_MINUTE, READING_TIME_FRACTION)
                else {}
            ),
            # Only a clinic period other than the default says so (the version stays).
            **(
                {
                    "return_visits": {
                        "consent_valid_days": self.consent_valid_days,
                        "return_consent": self.return_consent.value,
                    }
                }
                if (self.consent_valid_days, self.return_consent)
                != (CONSENT_VALID_DAYS, ReturnConsent.EVERY_VISIT)
                else {}
            ),
            # Only a pack with measures says so: one without keeps its old version.
            **(
                {"measures": [_canonical_measure(m) for m in self.measures]}
                if self.measures
                else {}
            ),
            # Only a clinic that set up the risk path says so (the version stays).
            **(
                {
                    "risk_path": {
                        "responder": self.risk_responder,
                        "headphones": self.kiosk_has_headphones,
                    }
                }
                if self.risk_responder or self.kiosk_has_headphones
                else {}
            ),
            # Only a pack with translations says so: one without keeps its old version.
            **(
                {
                    # Only words for text the pack has: an item removed in the editor
                    # takes its translations with it.
                    "translations": {
                        language: {
                            k: v
                            for k, v in sorted(words.items())
                            if k in text or k in measure_keys(self)
                        }
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
    # Only a return visit's question says so: a screening question keeps its old form.
    if question.section is not QuestionSection.SCREENING:
        data["section"] = question.section.value
    if question.is_teach_back:
        data["teach_back"] = {
            "slide": question.slide,
            "right_answer": question.right_answer,
            "key_sentence": question.key_sentence,
        }
    return data


def _canonical_measure(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "name": measure.name,
        "instructions": measure.instructions,
        "choices": [{"id": c.id, "text": c.text, "score": c.score} for c in measure.choices],
        "items": [{"id": i.id, "text": i.text} for i in measure.items],
        "bands": [{"from": b.lowest, "to": b.highest, "name": b.name} for b in measure.bands],
        "attribution": measure.attribution,
        "difficulty": (
            {
                "id": measure.difficulty.id,
                "text": measure.difficulty.text,
                "choices": [{"id": c.id, "text": c.text} for c in measure.difficulty.choices],
            }
            if measure.difficulty
            else None
        ),
        "validated": measure.validated,
        "every_nth_visit": measure.every_nth_visit,
    }


def _measure_from_canonical(data: Mapping[str, Any]) -> Measure:
    difficulty = data.get("difficulty")
    return Measure(
        id=data["id"],
        name=data["name"],
        instructions=data["instructions"],
        choices=tuple(ScoredChoice(c["id"], c["text"], c["score"]) for c in data["choices"]),
        items=tuple(MeasureItem(i["id"], i["text"]) for i in data["items"]),
        bands=tuple(SeverityBand(b["from"], b["to"], b["name"]) for b in data["bands"]),
        attribution=data.get("attribution", ""),
        difficulty=(
            DifficultyItem(
                difficulty["id"],
                difficulty["text"],
                tuple(Choice(c["id"], c["text"]) for c in difficulty["choices"]),
            )
            if difficulty
            else None
        ),
        validated=data.get("validated", False),
        every_nth_visit=data.get("every_nth_visit", 0),
    )


def measure_keys(pack: ContentPack) -> dict[str, str]:
    """Every piece of a measure's patient-facing text, by key, in the pack's own language.

    Apart from `text_keys`: a translation need not have them (a measure without its
    publisher's version in a language is not asked in it), but has all of one or none.
    """
    keys: dict[str, str] = {}
    for measure in pack.measures:
        keys.update(measure_text(measure))
    return keys


def measure_text(measure: Measure) -> dict[str, str]:
    """One measure's patient-facing text, by key (`measure.<id>.…`)."""
    prefix = f"measure.{measure.id}"
    keys = {f"{prefix}.instructions": measure.instructions}
    for choice in measure.choices:
        keys[f"{prefix}.choice.{choice.id}"] = choice.text
    for item in measure.items:
        keys[f"{prefix}.item.{item.id}"] = item.text
    if measure.difficulty is not None:
        keys[f"{prefix}.difficulty"] = measure.difficulty.text
        for answer in measure.difficulty.choices:
            keys[f"{prefix}.difficulty_choice.{answer.id}"] = answer.text
    return keys


def measure_translated(measure: Measure, words: Mapping[str, str]) -> bool:
    """Whether `words` hold every piece of the measure's text (then it can be asked)."""
    return all(words.get(key) for key in measure_text(measure))


def _measure_in(measure: Measure, words: Mapping[str, str]) -> Measure:
    prefix = f"measure.{measure.id}"
    difficulty = measure.difficulty
    return replace(
        measure,
        instructions=words[f"{prefix}.instructions"],
        choices=tuple(replace(c, text=words[f"{prefix}.choice.{c.id}"]) for c in measure.choices),
        items=tuple(replace(i, text=words[f"{prefix}.item.{i.id}"]) for i in measure.items),
        difficulty=(
            replace(
                difficulty,
                text=words[f"{prefix}.difficulty"],
                choices=tuple(
                    replace(c, text=words[f"{prefix}.difficulty_choice.{c.id}"])
                    for c in difficulty.choices
                ),
            )
            if difficulty is not None
            else None
        ),
    )


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
        section=QuestionSection(data.get("section", QuestionSection.SCREENING.value)),
        slide=data.get("teach_back", {}).get("slide"),
        right_answer=data.get("teach_back", {}).get("right_answer"),
        key_sentence=data.get("teach_back", {}).get("key_sentence", ""),
    )


def pack_from_canonical(canonical_bytes: bytes, pictures: Mapping[str, bytes]) -> ContentPack:
    """Rebuild a pack from its stored canonical bytes and pictures."""
    data = json.loads(canonical_bytes.decode("utf-8"))
    reading = data.get("reading", {})
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
        reading_words_per_minute=reading.get("words_per_minute", READING_WORDS_PER_MINUTE),
        reading_time_fraction=Fraction(reading.get("time_fraction", str(READING_TIME_FRACTION))),
        consent_valid_days=data.get("return_visits", {}).get(
            "consent_valid_days", CONSENT_VALID_DAYS
        ),
        return_consent=ReturnConsent(
            data.get("return_visits", {}).get("return_consent", ReturnConsent.EVERY_VISIT.value)
        ),
        measures=tuple(_measure_from_canonical(m) for m in data.get("measures", ())),
        risk_responder=data.get("risk_path", {}).get("responder", ""),
        kiosk_has_headphones=data.get("risk_path", {}).get("headphones", False),
    )


def text_keys(pack: ContentPack) -> dict[str, str]:
    """Every piece of patient-facing text in the pack, by key, in the pack's own language."""
    keys = {"clinic_name": pack.clinic_name, "signature_meaning": pack.signature_meaning}
    for slide in pack.slides:
        keys[f"slide.{slide.id}.title"] = slide.title
        keys[f"slide.{slide.id}.text"] = slide.text
        if slide.picture:
            keys[f"slide.{slide.id}.picture_alt"] = slide.picture_alt or ""
    for question in pack.questions:
        keys[f"question.{question.id}.text"] = question.text
        if question.is_teach_back:
            keys[f"question.{question.id}.key_sentence"] = question.key_sentence
        for choice in question.choices:
            keys[f"question.{question.id}.choice.{choice.id}"] = choice.text
    for statement in pack.consent_statements:
        keys[f"consent.{statement.id}"] = statement.text
    return keys


class _Filled(dict[str, str]):
    """Translated words, with `missing` for every key of the pack not translated yet."""

    def __init__(self, words: Mapping[str, str], keys: Mapping[str, str], missing: str) -> None:
        super().__init__({key: words.get(key, missing) for key in keys})
        self.update(words)
