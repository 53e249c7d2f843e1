"""A stored visit as plain, frozen data: what the summary and the command line read.

Built by the store from the database rows and the content version the patient saw,
so a summary printed years later still shows the text that patient was shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from functools import cached_property

from kiosk.content import (
    READING_TIME_FRACTION,
    READING_WORDS_PER_MINUTE,
    Measure,
    TeachBackResult,
)
from kiosk.signature import Signature
from kiosk.visit import Ending, RideStatus


@dataclass(frozen=True)
class RecordedAnswer:
    """A question as the patient saw it, and their answer."""

    question_text: str
    # An `Answer` value, a choice's ID, or the patient's typed words.
    answer: str
    answered_at: datetime
    flagged: bool
    # How the answer reads: "Not sure", the choice's text, the typed words.
    words: str
    # The question in the clinic's language, when the patient read it in another.
    clinic_question_text: str | None = None
    # For an item of a scored questionnaire, the measure's ID ("phq9").
    measure: str | None = None


@dataclass(frozen=True)
class RecordedMeasure:
    """A scored questionnaire the visit answered in full: its total and band, and the
    measure as the content version had it (its bands, for a chart; its attribution)."""

    measure: Measure
    total: int
    band: str


@dataclass(frozen=True)
class TrendPoint:
    """One visit's total of a measure, for a patient's trend."""

    visit_id: str
    finished_at: datetime
    total: int
    band: str


@dataclass(frozen=True)
class RecordedAcknowledgement:
    """A consent statement as the patient saw it, and when they acknowledged it."""

    statement_text: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class RecordedSlide:
    """A slide's title, the seconds the patient spent on it, and the words it has."""

    title: str
    seconds: float
    words: int = 0


@dataclass(frozen=True)
class RecordedRide:
    """Who takes the patient home."""

    status: RideStatus
    driver_name: str | None
    phone: str | None
    relationship: str | None


@dataclass(frozen=True)
class RecordedCorrection:
    """A typo staff corrected: which detail, what the patient typed, what it became."""

    detail: str  # "first name", "last name" or "date of birth"
    typed: str
    became: str
    corrected_by: str
    corrected_at: datetime


@dataclass(frozen=True)
class RecordedTeachBack:
    """A teach-back question as the patient read it, what they tapped, and the outcome."""

    question_text: str
    result: TeachBackResult
    # How the answers read ("Yes", "No", "Not sure"): the first, and the one after the
    # slide was shown again (none when the first was right).
    first_answer_words: str
    answer_after_review_words: str | None
    right_answer_words: str
    # The title of the slide it is about, as the patient read it.
    slide_title: str
    # The question in the clinic's language, when the patient read it in another.
    clinic_question_text: str | None = None


def teach_back_counts(results: tuple[tuple[str, TeachBackResult], ...]) -> dict[str, object]:
    """How a visit's teach-back went, in figures (right first time, after the slide
    again, still wrong, of how many) and by question ID: what `kiosk visits --json` gives."""
    outcomes = [result for _, result in results]
    return {
        "right_first_time": outcomes.count(TeachBackResult.RIGHT_FIRST_TIME),
        "right_after_review": outcomes.count(TeachBackResult.RIGHT_AFTER_REVIEW),
        "still_wrong": outcomes.count(TeachBackResult.STILL_WRONG),
        "of": len(outcomes),
        "questions": {question_id: result.value for question_id, result in results},
    }


@dataclass(frozen=True)
class VisitRecord:
    """Everything the front desk needs to know about one stored visit."""

    id: str
    clinic_name: str
    content_version: str
    content_label: str
    is_demo: bool
    ending: Ending
    # The language the patient read, and the clinic's (the content's own) language.
    language: str
    content_language: str
    started_at: datetime
    finished_at: datetime
    first_name: str
    last_name: str
    date_of_birth: date
    flags: tuple[str, ...]
    answers: tuple[RecordedAnswer, ...]
    acknowledgements: tuple[RecordedAcknowledgement, ...]
    slides: tuple[RecordedSlide, ...]
    signature_meaning: str
    signed_name: str | None
    signed_at: datetime | None
    signature_png: bytes | None
    ride: RecordedRide
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None
    voided_by: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    open_flags: tuple[str, ...] = ()
    assisted_by: str | None = None
    signed_on_paper_at: datetime | None = None
    # The full name the patient typed as their signature, where the clinic allows it.
    typed_signature: str | None = None
    # A drawn signature's strokes as stored (JSON): `signature_strokes` reads them when a
    # summary prints them, not each time staff open the visit.
    stored_strokes: str | None = None
    # Each flag's kind (a `FlagKind` value), beside `flags`.
    flag_kinds: tuple[str, ...] = ()
    # The content's settings for judging whether the slides were read.
    reading_words_per_minute: int = READING_WORDS_PER_MINUTE
    reading_time_fraction: Fraction = READING_TIME_FRACTION
    # The patient record staff linked the visit to (`kiosk.patients`), if any.
    patient_id: int | None = None
    # Which flow the kiosk ran (a `kiosk.visit.VisitFlow` value).
    flow: str = "first_visit"
    # Names or a birth date staff corrected: (what, typed, became, by, when).
    corrections: tuple[RecordedCorrection, ...] = ()
    # The teach-back questions asked after the slides, in order (none: not asked).
    teach_back: tuple[RecordedTeachBack, ...] = ()
    # Scored questionnaires answered in full (issue 28), in the pack's order.
    measures: tuple[RecordedMeasure, ...] = ()
    # Each of those measures' last ten totals up to this visit, oldest first: the linked
    # patient's visits, or this visit's alone.
    trends: Mapping[str, tuple[TrendPoint, ...]] = field(default_factory=dict)

    @cached_property
    def signature_strokes(self) -> Signature | None:
        """The strokes of a drawn signature, to print as lines rather than as a picture
        (None for none, or for strokes that cannot be read: the picture still prints)."""
        return Signature.from_stored(self.stored_strokes)

    @property
    def teach_back_still_wrong(self) -> tuple[RecordedTeachBack, ...]:
        """The teach-back answers still not right after the slide: a soft note for staff
        to go over them with the patient (never a flag: nothing is refused)."""
        return tuple(t for t in self.teach_back if t.result is TeachBackResult.STILL_WRONG)

    @property
    def patient_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def seconds_on_slides(self) -> float:
        """The time the patient spent on the slides, all together."""
        return sum(slide.seconds for slide in self.slides)

    @property
    def expected_reading_seconds(self) -> float:
        """How long the slides shown take to read, at the content's reading rate."""
        return sum(slide.words for slide in self.slides) * 60 / self.reading_words_per_minute

    @property
    def education_maybe_unread(self) -> bool:
        """Whether the time on the slides was too short for them to have been read.

        A soft note for staff, never a flag: under the content's share of the time the
        slides shown take to read.
        """
        expected = self.expected_reading_seconds
        return expected > 0 and self.seconds_on_slides < expected * self.reading_time_fraction


@dataclass(frozen=True)
class ListedFlag:
    """A flag as the visit list gives it: its kind and its words."""

    kind: str
    wording: str


@dataclass(frozen=True)
class VisitListing:
    """One line of the visit list."""

    id: str
    finished_at: datetime
    first_name: str
    last_name: str
    date_of_birth: date
    ending: Ending
    flag_count: int
    is_demo: bool
    flags: tuple[ListedFlag, ...] = ()
    patient_id: int | None = None
    return_visit: bool = False
    # Each teach-back question's ID and outcome, in order (none when none was asked).
    teach_back: tuple[tuple[str, TeachBackResult], ...] = ()
    # Each scored questionnaire answered in full: its ID and total ({"phq9": 14}).
    measures: Mapping[str, int] = field(default_factory=dict)
