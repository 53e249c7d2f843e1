"""A whole visit walked through the domain, as a patient's taps would make it.

For the tests, the benchmarks and anyone trying the desk with realistic visits: every
step is taken through `Visit`'s own methods, a few seconds apart on a clock that moves
only when told, so the times in a walked visit are exact and nothing waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from kiosk.content import Answer, ContentPack, Question, QuestionKind
from kiosk.signature import Signature
from kiosk.visit import Step, Visit, VisitFlow

# A short stroke on a 400 × 120 pad: what a hurried patient's signature looks like.
SCRIBBLE = Signature((((10.0, 40.0), (30.0, 20.0), (50.0, 45.0), (80.0, 15.0)),), 400, 120)

# Who drives Ana home, unless a walk says otherwise.
RIDE_HOME = ("Luis García", "(555) 201-3344", "husband")


class ManualClock:
    """A clock that moves only when told (`advance`), so a visit's times are exact."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move on by `seconds`."""
        self.now += timedelta(seconds=seconds)


def calm_answer(question: Question) -> str:
    """An answer that raises no flag: No, the first such choice, or nothing typed."""
    if question.kind is QuestionKind.YES_NO:
        return Answer.NO
    calm = [c.id for c in question.choices if c.id not in question.flag_answers]
    return calm[0] if calm else ""


def answer_teach_back(
    visit: Visit,
    clock: ManualClock | None = None,
    answers: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """The teach-back questions after the slides: `answers` gives a question's answers
    by its ID, in turn (the second once its slide has been shown again); the rest right.
    A few seconds pass on `clock` for each."""
    while visit.step in (Step.TEACH_BACK, Step.TEACH_BACK_REVIEW):
        if clock is not None:
            clock.advance(4)
        if visit.step is Step.TEACH_BACK_REVIEW:
            visit.ask_again()
            continue
        question = visit.teach_back_question
        given = (answers or {}).get(question.id, ())
        tapped = given[1 if visit.teach_back_asked_again else 0 :][:1]
        visit.answer_teach_back(tapped[0] if tapped else str(question.right_answer))


def walk_visit(
    pack: ContentPack,
    clock: ManualClock,
    *,
    first: str = "Ana",
    last: str = "García",
    born: str = "04/15/1968",
    answers: Mapping[str, str] | None = None,
    ride: tuple[str, str, str] | None = RIDE_HOME,
    talk_first: bool = False,
    seconds_per_slide: float = 7,
    language: str = "",
    flow: VisitFlow = VisitFlow.FIRST_VISIT,
    slides_again: bool = False,
    teach_back: Mapping[str, tuple[str, ...]] | None = None,
) -> Visit:
    """Take a visit from Start to its end, a few seconds per screen.

    Every question is answered calmly (No, or the first choice that raises no flag)
    unless `answers` (question ID → answer) says otherwise; `ride` None means no ride
    home yet; `talk_first` stops at the review, the patient asking to talk to someone
    before signing. `language` is the one chosen on Welcome; `flow` the one the kiosk
    runs, and `slides_again` taps "Show me the information again" on its reminder.
    Each teach-back question after the slides is answered right unless `teach_back`
    (question ID → the answers tapped, in turn) says otherwise.
    """
    visit = Visit(pack, clock=clock, language=language)
    visit.start()
    problems = visit.enter_details(first, last, born, flow=flow)
    if problems:
        raise ValueError(f"the details were refused: {problems}")
    if visit.step is Step.REMINDER:
        clock.advance(seconds_per_slide)
        if slides_again:
            visit.show_information_again()
        else:
            visit.continue_after_reminder()
    while visit.step is Step.SLIDES:
        clock.advance(seconds_per_slide)
        visit.next_slide()
    answer_teach_back(visit, clock, teach_back or {})
    for question in visit.questions:
        clock.advance(4)
        visit.answer((answers or {}).get(question.id, calm_answer(question)))
        visit.next_question()
    clock.advance(5)
    visit.confirm_answers()
    if talk_first:
        visit.talk_to_staff_first()
        return visit
    if visit.step is Step.CONSENT:
        for statement in pack.consent_statements:
            clock.advance(2)
            visit.acknowledge(statement.id)
        clock.advance(6)
        visit.sign(SCRIBBLE)
    clock.advance(10)
    if ride is None:
        visit.no_ride_yet()
    else:
        refused = visit.enter_ride_home(*ride)
        if refused:
            raise ValueError(f"the ride home was refused: {refused}")
    return visit
