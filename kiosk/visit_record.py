"""A stored visit as plain, frozen data: what the summary and the command line read.

Built by the store from the database rows and the content version the patient saw,
so a summary printed years later still shows the text that patient was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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


@dataclass(frozen=True)
class RecordedAcknowledgement:
    """A consent statement as the patient saw it, and when they acknowledged it."""

    statement_text: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class RecordedSlide:
    """A slide's title and the seconds the patient spent on it."""

    title: str
    seconds: float


@dataclass(frozen=True)
class RecordedRide:
    """Who takes the patient home."""

    status: RideStatus
    driver_name: str | None
    phone: str | None
    relationship: str | None


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

    @property
    def patient_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


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
