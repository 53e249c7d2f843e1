"""The page under the patient's finger: what the double-tap guard re-arms on."""

from __future__ import annotations

from kiosk.content import Answer, ContentPack
from kiosk.visit import Visit
from kiosk.visit_walk import ManualClock, answer_teach_back


def at_consent(pack: ContentPack, clock: ManualClock) -> Visit:
    visit = Visit(pack, clock=clock)
    visit.start()
    assert visit.enter_details("Ana", "García", "04/15/1968") == []
    for _ in pack.slides:
        clock.advance(30)
        visit.next_slide()
    answer_teach_back(visit, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.confirm_answers()
    return visit


def test_ticking_a_consent_statement_of_several_leaves_the_page_as_it_was(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock)
    first, *others, last = pack.consent_statements
    before = visit.page
    visit.acknowledge(first.id)
    for statement in others:
        visit.acknowledge(statement.id)
    assert visit.page == before
    visit.acknowledge(last.id)
    assert visit.page != before, "the page moves on to the pad"


def test_the_next_slide_and_a_flagging_answer_change_the_page(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    first = visit.page
    clock.advance(30)
    visit.next_slide()
    assert visit.page != first
    for _ in pack.slides[1:]:
        clock.advance(30)
        visit.next_slide()
    answer_teach_back(visit, clock)
    question = visit.page
    visit.answer(Answer.NOT_SURE)
    assert visit.page != question, "a calm message and Continue took the answers' place"
