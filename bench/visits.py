"""Finished visits made through the domain's own visit, as a patient's taps would make them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.content import Answer, ContentPack
from kiosk.signature import Signature
from kiosk.visit import Visit

SCRIBBLE = Signature(
    (((40.0, 90.0), (90.0, 40.0), (150.0, 110.0), (220.0, 60.0), (300.0, 100.0)),),
    600,
    150,
)


class StepClock:
    """A clock that moves only when told, so visits take realistic time instantly."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move on by `seconds`."""
        self.now += timedelta(seconds=seconds)


def finished_visit(pack: ContentPack, n: int, *, flagged: bool = False) -> Visit:
    """Patient number `n`'s completed visit, every step taken through `Visit`."""
    clock = StepClock(datetime(2026, 11, 27, 15, tzinfo=UTC) + timedelta(minutes=n))
    visit = Visit(pack, clock=clock)
    visit.start()
    problems = visit.enter_details(f"Ana{n}", "García", "04/15/1968")
    assert not problems, problems
    for _ in pack.slides:
        clock.advance(7)
        visit.next_slide()
    for number in range(len(pack.questions)):
        clock.advance(4)
        visit.answer(Answer.NOT_SURE if flagged and number == 0 else Answer.NO)
        visit.next_question()
    clock.advance(5)
    visit.confirm_answers()
    for statement in pack.consent_statements:
        clock.advance(2)
        visit.acknowledge(statement.id)
    clock.advance(6)
    visit.sign(SCRIBBLE)
    clock.advance(10)
    assert not visit.enter_ride_home("Luis García", "(555) 201-3344", "husband")
    assert visit.should_be_stored
    return visit
