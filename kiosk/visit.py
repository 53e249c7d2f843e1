"""One patient's visit at the kiosk, as a state machine with no screen.

The window asks the visit which step it is on and shows the screen for it; screens
call the methods below. Every rule about what comes next lives here, so it is tested
without a display. Times are UTC from an injected clock.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

# The clock is here too, where the visit's users have always found it.
from kiosk.clock import Clock as Clock  # noqa: PLC0414 - named again to be found here
from kiosk.clock import utc_now as utc_now  # noqa: PLC0414 - named again to be found here
from kiosk.content import (
    SHORT_TEXT_LIMIT,
    Answer,
    ContentPack,
    Measure,
    Question,
    QuestionKind,
    ReturnConsent,
    TeachBackResult,
)
from kiosk.measures import MeasureScore, measure_due, not_asked_wording, visit_scores
from kiosk.rules import Flag, visit_flags
from kiosk.signature import Signature


class Step(StrEnum):
    """The screens of a visit, in order."""

    WELCOME = "welcome"
    DETAILS = "details"
    # A returning patient whose slides have not changed: one screen in their place.
    REMINDER = "reminder"
    SLIDES = "slides"
    # After the slides: a few questions on what they said (teach-back), each tied to a slide.
    TEACH_BACK = "teach_back"
    # A teach-back answer that was not right: its slide again, its key sentence quoted.
    TEACH_BACK_REVIEW = "teach_back_review"
    QUESTIONS = "questions"
    REVIEW = "review"
    CONSENT = "consent"
    RIDE_HOME = "ride_home"
    DONE = "done"


class VisitFlow(StrEnum):
    """Which visit the kiosk runs: the whole first visit, or a return visit.

    Decided by `kiosk.expected.which_flow` from the name and birth date typed, against
    the day's expected list only.
    """

    FIRST_VISIT = "first_visit"
    RETURN_WITH_SLIDES = "return_with_slides"
    RETURN_WITHOUT_SLIDES = "return_without_slides"

    @property
    def is_return(self) -> bool:
        """A return visit (with or without the slides)."""
        return self is not VisitFlow.FIRST_VISIT


class Ending(StrEnum):
    """How a visit ended."""

    COMPLETED = "completed"
    STOPPED_TO_TALK = "stopped_to_talk"
    ABANDONED = "abandoned"


class RideStatus(StrEnum):
    """Whether the patient has a ride home, as stored and printed."""

    ARRANGED = "arranged"
    NONE_YET = "none_yet"
    NOT_ASKED = "not_asked"


class DetailsProblem(StrEnum):
    """What is wrong with the patient's details; the screen words each one."""

    FIRST_NAME_MISSING = "first_name_missing"
    LAST_NAME_MISSING = "last_name_missing"
    NAME_TOO_LONG = "name_too_long"
    BIRTH_DATE_MISSING = "birth_date_missing"
    BIRTH_MONTH_MISSING = "birth_month_missing"
    BIRTH_DATE_INVALID = "birth_date_invalid"
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    BIRTH_DATE_TOO_OLD = "birth_date_too_old"


class RideHomeProblem(StrEnum):
    """What is wrong with the ride-home details; the screen words each one."""

    NAME_MISSING = "name_missing"
    PHONE_MISSING = "phone_missing"
    PHONE_INVALID = "phone_invalid"
    RELATIONSHIP_MISSING = "relationship_missing"


class TypedSignatureProblem(StrEnum):
    """Why a typed name was not taken as a signature; the screen words each one."""

    NAME_MISSING = "name_missing"
    NAME_DIFFERS = "name_differs"


class VisitError(Exception):
    """A method was called at a step where it makes no sense (a bug in the caller)."""


MAX_NAME_LENGTH = 80


@dataclass(frozen=True)
class PatientDetails:
    """Who the patient says they are."""

    first_name: str
    last_name: str
    date_of_birth: date

    @property
    def full_name(self) -> str:
        """First and last name, as printed under the signature."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class GivenAnswer:
    """An answer and when it was (last) given: an `Answer`, a choice's ID, or typed words."""

    answer: str
    answered_at: datetime


@dataclass(frozen=True)
class TeachBackAnswer:
    """How a patient answered one teach-back question: the first answer, the one after
    the slide was shown again (when the first was not right), and what that makes."""

    first_answer: str
    result: TeachBackResult
    answer_after_review: str | None = None


@dataclass(frozen=True)
class RideHome:
    """Who takes the patient home; `None` fields mean "I don't have a ride yet"."""

    driver_name: str | None
    phone: str | None
    relationship: str | None

    @property
    def arranged(self) -> bool:
        """Whether someone is named to take the patient home."""
        return self.driver_name is not None


NO_RIDE_YET = RideHome(None, None, None)


@dataclass(frozen=True)
class SignedConsent:
    """The patient's signature and when it was given.

    Drawn with a finger (`signature` and its `png`), or, where the clinic allows it, the
    patient's full name typed in its place (`typed_name`, exactly as typed, tidied).
    """

    signature: Signature | None
    signed_name: str
    signed_at: datetime
    typed_name: str | None = None

    @functools.cached_property
    def png(self) -> bytes | None:
        """The drawn signature as the summary prints it (None when typed).

        Made when first asked for (storing the visit, off the screen's thread), not on
        the Sign tap: encoding a real signature's PNG takes 10–50 ms.
        """
        return None if self.signature is None else self.signature.png()

    @property
    def is_typed(self) -> bool:
        """Whether the patient typed their name rather than drawing a signature."""
        return self.typed_name is not None


def clean_name(value: str) -> str:
    """A name as typed: Unicode normalised (NFC), control characters dropped, spaces tidied.

    Control characters cannot be typed on the kiosk's keyboard, but they can arrive from
    the desk or a script, and would otherwise print as nothing or break a line.
    """
    visible = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in unicodedata.normalize("NFC", value)
        if ch in "\t\n\r" or unicodedata.category(ch) != "Cc"
    )
    return re.sub(r"\s+", " ", visible).strip()


def same_name(typed: str, entered: str) -> bool:
    """Whether a typed name is the name entered, ignoring case and spaces (both NFC)."""

    def key(name: str) -> str:
        folded = unicodedata.normalize("NFC", clean_name(name).casefold())
        return "".join(folded.split())

    return key(typed) == key(entered)


def parse_birth_date(value: str) -> date | None:
    """A date of birth typed on the number pad as MM/DD/YYYY (US clinic order)."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*", value)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class BirthDateParts:
    """A date of birth as the kiosk asks it: the day and the year typed, the month chosen
    by its name. Nothing in it can be read in another order: 05 is the day, whatever the
    patient's language, and June is June."""

    day: str
    month: int | None
    year: str

    @property
    def is_empty(self) -> bool:
        """Nothing typed or chosen yet."""
        return not self.day.strip() and self.month is None and not self.year.strip()

    def as_date(self) -> date | None:
        """The date, if the parts make one (a four-digit year: "80" could be 1880 or 1980)."""
        day, year = self.day.strip(), self.year.strip()
        if self.month is None or not re.fullmatch(r"\d{1,2}", day):
            return None
        if not re.fullmatch(r"\d{4}", year):
            return None
        try:
            return date(int(year), self.month, int(day))
        except ValueError:
            return None


@dataclass
class Visit:
    """A patient's visit, from Welcome to Done."""

    content: ContentPack
    clock: Clock = utc_now
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    step: Step = Step.WELCOME
    started_at: datetime | None = None
    finished_at: datetime | None = None
    ending: Ending | None = None
    details: PatientDetails | None = None
    slide_index: int = 0
    slide_seconds: dict[str, float] = field(default_factory=dict)
    question_index: int = 0
    answers: dict[str, GivenAnswer] = field(default_factory=dict)
    answers_confirmed_at: datetime | None = None
    acknowledged: dict[str, datetime] = field(default_factory=dict)
    consent: SignedConsent | None = None
    ride_home: RideHome | None = None
    # Set when a member of staff checks the patient in at the desk (their username).
    assisted_by: str | None = None
    signed_on_paper_at: datetime | None = None
    # The language the patient chose on Welcome; the content's own language by default.
    language: str = ""
    # Whether the clinic lets a typed full name stand for a drawn signature (a weaker
    # signature: the clinic's counsel decides, through the `typed_signature` setting).
    typed_signature_allowed: bool = False
    # Which flow runs; set with the details (`enter_details`), a first visit by default.
    flow: VisitFlow = VisitFlow.FIRST_VISIT
    # On the reminder, the patient asked to see the slides again.
    slides_asked_for: bool = False
    # Teach-back: the question on show (an index into `content.teach_back`), each answered
    # question's outcome, and the first answer of the one asked again after its slide.
    teach_back_index: int = 0
    teach_back: dict[str, TeachBackAnswer] = field(default_factory=dict)
    _teach_back_first: str | None = None
    # How many stored visits of this patient came before, where the kiosk can know
    # (a measure asked every Nth visit counts them); None where it cannot.
    visits_before: int | None = 0
    # Told of every answer to a scored item just recorded, with its score (a plain
    # callback: the check-in service may act on one at once, before the visit ends).
    scored_answer_recorded: Callable[[str, int], None] | None = None
    _revising: bool = False
    _slide_shown_at: datetime | None = None

    def __post_init__(self) -> None:
        self.language = self.language or self.content.language
        if self.language not in self.content.languages:
            raise VisitError(f"the content has no {self.language!r} text")
        # What the patient reads. IDs, flag rules and the stored version come from
        # `content`, the same in every language.
        self.shown = self.content.in_language(self.language)

    # --- where the visit is -------------------------------------------------------------
    @property
    def is_finished(self) -> bool:
        """True once the visit reached Done (stored) or was abandoned (not stored)."""
        return self.ending is not None

    @property
    def should_be_stored(self) -> bool:
        """A finished visit is stored unless the patient walked away."""
        return self.ending in (Ending.COMPLETED, Ending.STOPPED_TO_TALK)

    @property
    def flags(self) -> list[Flag]:
        """What needs a person's attention, computed by the rules."""
        return visit_flags(
            self.content,
            {question_id: given.answer for question_id, given in self.answers.items()},
            has_ride_home=self.ride_home is not None and self.ride_home.arranged,
            stopped_to_talk=self.ending is Ending.STOPPED_TO_TALK,
            measures_not_asked=[
                not_asked_wording(measure, self.language) for measure in self.measures_not_asked
            ],
        )

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions this visit asks: a first visit the screening ones, a return
        visit those and the pre-infusion and side-effect ones, in the pack's order; then
        the items of each measure due today that the patient's language has."""
        asked = questions_asked(self.content.questions, self.flow)
        return asked + _measure_questions(self.measures_asked)

    @property
    def shown_questions(self) -> tuple[Question, ...]:
        """`questions` as the patient reads them (in the visit's language)."""
        shown = {measure.id for measure in self.measures_asked}
        return questions_asked(self.shown.questions, self.flow) + _measure_questions(
            tuple(measure for measure in self.shown.measures if measure.id in shown)
        )

    @property
    def measures_due(self) -> tuple[Measure, ...]:
        """The measures the clinic asks at this visit (by its schedule), in the pack's order."""
        return tuple(m for m in self.content.measures if measure_due(m, self.visits_before))

    @property
    def measures_asked(self) -> tuple[Measure, ...]:
        """The measures due that the patient's language has (the publisher's version)."""
        here = {measure.id for measure in self.shown.measures}
        return tuple(measure for measure in self.measures_due if measure.id in here)

    @property
    def measures_not_asked(self) -> tuple[Measure, ...]:
        """The measures due that this visit skips: none in the patient's language."""
        here = {measure.id for measure in self.shown.measures}
        return tuple(measure for measure in self.measures_due if measure.id not in here)

    @property
    def measure_scores(self) -> tuple[MeasureScore, ...]:
        """The total and band of each measure answered in full."""
        return visit_scores(
            self.content, {item_id: given.answer for item_id, given in self.answers.items()}
        )

    @property
    def shows_slides(self) -> bool:
        """Whether the slides are part of this visit (not only the reminder)."""
        return self.flow is not VisitFlow.RETURN_WITHOUT_SLIDES or self.slides_asked_for

    @property
    def teach_back_question(self) -> Question:
        """The teach-back question on show (or whose slide is on show again)."""
        return self.content.teach_back[self.teach_back_index]

    @property
    def shown_teach_back_question(self) -> Question:
        """`teach_back_question` as the patient reads it (in the visit's language)."""
        return self.shown.teach_back[self.teach_back_index]

    @property
    def teach_back_asked_again(self) -> bool:
        """Whether the question on show is asked again, after its slide was shown again."""
        return self._teach_back_first is not None

    @property
    def consent_needed(self) -> bool:
        """Whether the patient signs today: always, but on a return visit whose slides
        were not shown, where the clinic's rule keeps the last consent."""
        if self.content.return_consent is ReturnConsent.EVERY_VISIT:
            return True
        return self.shows_slides

    @property
    def ride_status(self) -> RideStatus:
        """Arranged, none yet (flagged), or not asked because the visit stopped at consent."""
        if self.ending is Ending.STOPPED_TO_TALK:
            return RideStatus.NOT_ASKED
        if self.ride_home is not None and self.ride_home.arranged:
            return RideStatus.ARRANGED
        return RideStatus.NONE_YET

    @property
    def current_question_flagged(self) -> bool:
        """Whether the answer just given to the current question raises a flag."""
        question = self.questions[self.question_index]
        given = self.answers.get(question.id)
        return given is not None and question.raises_flag(given.answer)

    @property
    def page(self) -> tuple[object, ...]:
        """What is under the patient's finger, as far as a second tap is concerned.

        A tap that lands just after this changes belongs to the page before (a double
        tap), and is held back for `KioskTiming.double_tap_guard_seconds`. A tap that
        changes nothing under the finger, such as ticking one consent statement of
        several, leaves it as it was: the next statement may be tapped at once. The
        last statement ticked does change it: the page then moves on to the pad.
        """
        if self.step is Step.SLIDES:
            return (self.step, self.slide_index)
        if self.step is Step.QUESTIONS:
            # An answer that raises a flag brings a calm message and Continue.
            return (self.step, self.question_index, self.current_question_flagged)
        if self.step is Step.CONSENT:
            return (self.step, self.all_acknowledged, self.is_signed)
        if self.step in (Step.TEACH_BACK, Step.TEACH_BACK_REVIEW):
            return (self.step, self.teach_back_index)
        return (self.step,)

    def seconds_until_next(self) -> float:
        """How long until Next may be tapped on the current slide (0 when it may)."""
        if self.step is not Step.SLIDES or self._slide_shown_at is None:
            return 0.0
        shown_for = (self.clock() - self._slide_shown_at).total_seconds()
        return max(0.0, self.content.seconds_before_next - shown_for)

    # --- moving through the visit -------------------------------------------------------
    def _expect(self, *steps: Step) -> None:
        if self.step not in steps:
            expected = " or ".join(step.value for step in steps)
            raise VisitError(f"the visit is at {self.step.value}, not {expected}")

    def start(self) -> None:
        """The patient tapped Start on Welcome."""
        self._expect(Step.WELCOME)
        self.started_at = self.clock()
        self.step = Step.DETAILS

    def enter_details(
        self,
        first_name: str,
        last_name: str,
        birth_date: str | BirthDateParts,
        *,
        flow: VisitFlow | Callable[[PatientDetails], VisitFlow] = VisitFlow.FIRST_VISIT,
    ) -> list[DetailsProblem]:
        """Check the patient's details; on success move to the slides.

        The kiosk's screen gives the date of birth as `BirthDateParts` (day, month by name,
        year); a string is read in US order, MM/DD/YYYY (scripts, the desk's own tools).
        `flow` is the flow to run, or what to ask for it once the details are sound.
        """
        self._expect(Step.DETAILS)
        problems, details = self.check_details(first_name, last_name, birth_date)
        if problems or details is None:
            return problems
        self.details = details
        self.flow = flow if isinstance(flow, VisitFlow) else flow(self.details)
        self._after_details()
        return []

    def check_details(
        self, first_name: str, last_name: str, birth_date: str | BirthDateParts
    ) -> tuple[list[DetailsProblem], PatientDetails | None]:
        """What is wrong with these details, or the details as they would be kept.

        Changes nothing: the check-in service asks which flow to run for sound details
        (off the screen's thread) before they are entered.
        """
        first, last = clean_name(first_name), clean_name(last_name)
        problems: list[DetailsProblem] = []
        if not first:
            problems.append(DetailsProblem.FIRST_NAME_MISSING)
        if not last:
            problems.append(DetailsProblem.LAST_NAME_MISSING)
        if len(first) > MAX_NAME_LENGTH or len(last) > MAX_NAME_LENGTH:
            problems.append(DetailsProblem.NAME_TOO_LONG)
        if isinstance(birth_date, BirthDateParts):
            born = birth_date.as_date()
            missing = birth_date.is_empty
            no_month = birth_date.month is None
        else:
            born = parse_birth_date(birth_date)
            missing = not birth_date.strip()
            no_month = False
        today = self.clock().date()
        if missing:
            problems.append(DetailsProblem.BIRTH_DATE_MISSING)
        elif no_month:
            problems.append(DetailsProblem.BIRTH_MONTH_MISSING)
        elif born is None:
            problems.append(DetailsProblem.BIRTH_DATE_INVALID)
        elif born > today:
            problems.append(DetailsProblem.BIRTH_DATE_IN_FUTURE)
        elif today.year - born.year > 120:
            problems.append(DetailsProblem.BIRTH_DATE_TOO_OLD)
        if problems or born is None:
            return problems, None
        return [], PatientDetails(first, last, born)

    def _after_details(self) -> None:
        # Details typed again can change the flow: answers it no longer asks go.
        asked = {question.id for question in self.questions}
        self.answers = {key: given for key, given in self.answers.items() if key in asked}
        if not self.shows_slides:
            self.teach_back = {}
        if self.shows_slides:
            self._show_slide(0)
        else:
            self.step = Step.REMINDER

    def show_information_again(self) -> None:
        """ "Show me the information again" on the reminder: every slide, as a first visit."""
        self._expect(Step.REMINDER)
        self.slides_asked_for = True
        self._show_slide(0)

    def continue_after_reminder(self) -> None:
        """Continue on the reminder: on to the questions."""
        self._expect(Step.REMINDER)
        self.step = Step.QUESTIONS
        self.question_index = 0

    def _show_slide(self, index: int) -> None:
        self.step = Step.SLIDES
        self.slide_index = index
        self._slide_shown_at = self.clock()

    def _leave_slide(self) -> None:
        if self._slide_shown_at is None:
            return
        slide = self.content.slides[self.slide_index]
        spent = (self.clock() - self._slide_shown_at).total_seconds()
        self.slide_seconds[slide.id] = self.slide_seconds.get(slide.id, 0.0) + max(spent, 0.0)
        self._slide_shown_at = None

    def next_slide(self) -> None:
        """Next on a slide: the next slide, or the first question after the last slide."""
        self._expect(Step.SLIDES)
        if self.seconds_until_next() > 0:
            raise VisitError("Next was tapped before the slide's minimum time")
        self._leave_slide()
        if self.slide_index + 1 < len(self.content.slides):
            self._show_slide(self.slide_index + 1)
        else:
            self._next_teach_back()

    def _next_teach_back(self) -> None:
        """The next teach-back question not answered yet, or the questions after the last.

        Answers stand: a patient who goes back to the slides from the questions is not
        asked again what they have already answered.
        """
        self._teach_back_first = None
        for index, question in enumerate(self.content.teach_back):
            if question.id not in self.teach_back:
                self.step = Step.TEACH_BACK
                self.teach_back_index = index
                return
        self.step = Step.QUESTIONS
        self.question_index = 0

    def answer_teach_back(self, answer: str) -> None:
        """The patient answered the teach-back question on show.

        Right: the next one. Otherwise, the first time, its slide again (the review);
        after the review, the answer is recorded either way and the visit moves on.
        """
        self._expect(Step.TEACH_BACK)
        question = self.teach_back_question
        if question.kind is QuestionKind.YES_NO and answer in tuple(Answer):
            answer = Answer(answer)
        if not question.accepts(answer):
            raise VisitError(f"{answer!r} is not an answer to question {question.id}")
        right = answer == question.right_answer
        first = self._teach_back_first
        if first is None and not right:
            self._teach_back_first = answer
            self.step = Step.TEACH_BACK_REVIEW
            return
        if first is None:
            self.teach_back[question.id] = TeachBackAnswer(answer, TeachBackResult.RIGHT_FIRST_TIME)
        else:
            result = TeachBackResult.RIGHT_AFTER_REVIEW if right else TeachBackResult.STILL_WRONG
            self.teach_back[question.id] = TeachBackAnswer(first, result, answer)
        self._next_teach_back()

    def ask_again(self) -> None:
        """After the slide was shown again: the same teach-back question, asked again."""
        self._expect(Step.TEACH_BACK_REVIEW)
        self.step = Step.TEACH_BACK

    def answer(self, answer: str) -> None:
        """The patient answered the current question (typed words are tidied first)."""
        self._expect(Step.QUESTIONS)
        question = self.questions[self.question_index]
        if question.kind is QuestionKind.SHORT_TEXT:
            answer = clean_name(answer)[:SHORT_TEXT_LIMIT]
        elif question.kind is QuestionKind.YES_NO and answer in tuple(Answer):
            answer = Answer(answer)
        if not question.accepts(answer):
            raise VisitError(f"{answer!r} is not an answer to question {question.id}")
        if question.measure is not None:
            score = self.content.measure(question.measure).score(answer)
            if score is not None:
                self.answer_measure_item(question.id, score)
                return
        self.answers[question.id] = GivenAnswer(answer, self.clock())

    def answer_measure_item(self, item_id: str, score: int) -> None:
        """The patient answered a scored item of a measure: the one place such an answer
        is recorded (the choice with that score), then `scored_answer_recorded` is told."""
        self._expect(Step.QUESTIONS)
        measure = next(
            (m for m in self.measures_asked if item_id in {item.id for item in m.items}), None
        )
        if measure is None:
            raise VisitError(f"{item_id!r} is not a scored item this visit asks")
        choice = next((c for c in measure.choices if c.score == score), None)
        if choice is None:
            raise VisitError(f"{score} is not a score of {measure.name}")
        self.answers[item_id] = GivenAnswer(choice.id, self.clock())
        if self.scored_answer_recorded is not None:
            self.scored_answer_recorded(item_id, score)

    def next_question(self) -> None:
        """After an answer: the next question, or the review of all answers."""
        self._expect(Step.QUESTIONS)
        if self.questions[self.question_index].id not in self.answers:
            raise VisitError("the current question has no answer yet")
        if self._revising or self.question_index + 1 >= len(self.questions):
            self._revising = False
            self.step = Step.REVIEW
        else:
            self.question_index += 1

    def change_answer(self, question_id: str) -> None:
        """On review, the patient tapped an answer to change it."""
        self._expect(Step.REVIEW)
        ids = [question.id for question in self.questions]
        self.question_index = ids.index(question_id)
        self._revising = True
        self.step = Step.QUESTIONS

    def confirm_answers(self) -> None:
        """ "I confirm these answers are correct"."""
        self._expect(Step.REVIEW)
        missing = [q.id for q in self.questions if q.id not in self.answers]
        if missing:
            raise VisitError(f"unanswered questions: {', '.join(missing)}")
        self.answers_confirmed_at = self.clock()
        # Where the clinic keeps the last consent (no slides today), on to the ride home.
        self.step = Step.CONSENT if self.consent_needed else Step.RIDE_HOME

    def acknowledge(self, statement_id: str) -> None:
        """The patient tapped to acknowledge one consent statement."""
        self._expect(Step.CONSENT)
        if statement_id not in {s.id for s in self.content.consent_statements}:
            raise VisitError(f"no consent statement {statement_id!r}")
        self.acknowledged.setdefault(statement_id, self.clock())

    @property
    def all_acknowledged(self) -> bool:
        """Whether every consent statement has been acknowledged."""
        return all(s.id in self.acknowledged for s in self.content.consent_statements)

    def sign(self, signature: Signature) -> None:
        """The patient signed (its PNG is made from these strokes when the visit is stored)."""
        self._expect(Step.CONSENT)
        if not self.all_acknowledged:
            raise VisitError("every consent statement must be acknowledged before signing")
        if signature.is_empty or self.details is None:
            raise VisitError("an empty signature cannot be accepted")
        self.consent = SignedConsent(signature, self.details.full_name, self.clock())
        self.step = Step.RIDE_HOME

    def sign_typed(self, typed_name: str) -> list[TypedSignatureProblem]:
        """The patient typed their full name as their signature; on success, ride home.

        Only where the clinic allows it. The name must be the one entered on the details
        screen (case and spaces aside), so that typing it is a deliberate act by that
        patient; what they typed is kept as typed.
        """
        self._expect(Step.CONSENT)
        if not self.typed_signature_allowed:
            raise VisitError("this clinic does not take a typed name as a signature")
        if not self.all_acknowledged:
            raise VisitError("every consent statement must be acknowledged before signing")
        if self.details is None:
            raise VisitError("a visit without the patient's details cannot be signed")
        typed = clean_name(typed_name)
        if not typed:
            return [TypedSignatureProblem.NAME_MISSING]
        if not same_name(typed, self.details.full_name):
            return [TypedSignatureProblem.NAME_DIFFERS]
        self.consent = SignedConsent(None, self.details.full_name, self.clock(), typed_name=typed)
        self.step = Step.RIDE_HOME
        return []

    def sign_on_paper(self) -> None:
        """At the desk only: the patient signed the consent on paper instead of the screen."""
        self._expect(Step.CONSENT)
        if self.assisted_by is None:
            raise VisitError("only a check-in at the desk can be signed on paper")
        if not self.all_acknowledged:
            raise VisitError("every consent statement must be acknowledged before signing")
        self.signed_on_paper_at = self.clock()
        self.step = Step.RIDE_HOME

    @property
    def is_signed(self) -> bool:
        """Signed on the screen or, at the desk, on paper."""
        return self.consent is not None or self.signed_on_paper_at is not None

    def talk_to_staff_first(self) -> None:
        """Ask to talk to someone first: the visit is stored, flagged and unsigned.

        The statements already acknowledged stay recorded: staff see how far the
        patient got before asking to talk.
        """
        self._expect(Step.CONSENT)
        self._finish(Ending.STOPPED_TO_TALK)

    def enter_ride_home(
        self, driver_name: str, phone: str, relationship: str
    ) -> list[RideHomeProblem]:
        """Who takes the patient home; on success the visit is done."""
        self._expect(Step.RIDE_HOME)
        name, relation = clean_name(driver_name), clean_name(relationship)
        digits = re.sub(r"\D", "", phone)
        problems: list[RideHomeProblem] = []
        if not name:
            problems.append(RideHomeProblem.NAME_MISSING)
        if not phone.strip():
            problems.append(RideHomeProblem.PHONE_MISSING)
        elif not 7 <= len(digits) <= 15:
            problems.append(RideHomeProblem.PHONE_INVALID)
        if not relation:
            problems.append(RideHomeProblem.RELATIONSHIP_MISSING)
        if problems:
            return problems
        self.ride_home = RideHome(name, phone.strip(), relation)
        self._finish(Ending.COMPLETED)
        return []

    def no_ride_yet(self) -> None:
        """ "I don't have a ride yet": the visit is done and flagged."""
        self._expect(Step.RIDE_HOME)
        self.ride_home = NO_RIDE_YET
        self._finish(Ending.COMPLETED)

    def _finish(self, ending: Ending) -> None:
        self.ending = ending
        self.finished_at = self.clock()
        self.step = Step.DONE

    def back(self) -> None:
        """Back: the screen before this one, where going back makes sense."""
        reminded = self.flow is VisitFlow.RETURN_WITHOUT_SLIDES
        if self.step is Step.SLIDES:
            self._leave_slide()
            if self.slide_index == 0:
                # Back to the reminder the patient asked the slides from.
                self.slides_asked_for = False
                self.step = Step.REMINDER if reminded else Step.DETAILS
            else:
                self._show_slide(self.slide_index - 1)
        elif self.step is Step.TEACH_BACK_REVIEW:
            self.ask_again()
        elif self.step is Step.TEACH_BACK and self.teach_back_asked_again:
            self.step = Step.TEACH_BACK_REVIEW
        elif self.step is Step.TEACH_BACK:
            # Back to the slides; answers already given stand.
            self._show_slide(len(self.content.slides) - 1)
        elif self.step is Step.QUESTIONS:
            self._back_from_question()
        elif self.step is Step.REVIEW:
            self.step = Step.QUESTIONS
            self.question_index = len(self.questions) - 1
        elif self.step is Step.CONSENT:
            self.step = Step.REVIEW
        elif self.step is Step.RIDE_HOME:
            # Going back to consent means signing again: the old signature no longer stands.
            self.consent = None
            self.signed_on_paper_at = None
            self.step = Step.CONSENT if self.consent_needed else Step.REVIEW
        elif self.step in (Step.DETAILS, Step.REMINDER):
            self.step = Step.WELCOME if self.step is Step.DETAILS else Step.DETAILS
        else:
            raise VisitError(f"there is no going back from {self.step.value}")

    def _back_from_question(self) -> None:
        if self._revising:
            self._revising = False
            self.step = Step.REVIEW
        elif self.question_index > 0:
            self.question_index -= 1
        elif self.shows_slides:
            self._show_slide(len(self.content.slides) - 1)
        else:
            self.step = Step.REMINDER

    def abandon(self) -> None:
        """The patient walked away (idle timeout): nothing is stored."""
        if self.ending is None:
            self._finish(Ending.ABANDONED)


def _measure_questions(measures: tuple[Measure, ...]) -> tuple[Question, ...]:
    return tuple(question for measure in measures for question in measure.as_questions())


def questions_asked(questions: tuple[Question, ...], flow: VisitFlow) -> tuple[Question, ...]:
    """The questions a visit of this flow asks: a first visit, none of the return visit's."""
    asked = tuple(q for q in questions if q.section.in_questionnaire)
    if flow.is_return:
        return asked
    return tuple(q for q in asked if not q.section.return_visits_only)


@dataclass(frozen=True)
class KioskTiming:
    """When the kiosk acts by itself; the UI only runs the timers.

    After `timeout_seconds` without a tap, "Are you still there?" counts down
    `countdown_seconds`; when it runs out the visit is discarded (nothing stored) and
    the kiosk starts over. Done returns to Welcome after `done_seconds` by itself. Taps
    in the first `double_tap_guard_seconds` after a screen changes are ignored: they
    are the second half of a double tap meant for the screen before.
    """

    timeout_seconds: int = 90
    countdown_seconds: int = 30
    done_seconds: int = 15
    double_tap_guard_seconds: float = 0.4

    def watches(self, step: Step) -> bool:
        """Whether the idle timeout runs on this step (not on Welcome, nor on Done)."""
        return step not in (Step.WELCOME, Step.DONE)
