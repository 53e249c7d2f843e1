"""The visit state machine, step by step, without a display."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.content import Answer, ContentPack
from kiosk.rules import FlagKind
from kiosk.signature import Signature
from kiosk.visit import (
    DetailsProblem,
    Ending,
    RideHomeProblem,
    Step,
    Visit,
    VisitError,
    parse_birth_date,
)
from kiosk.visit_walk import SCRIBBLE, ManualClock, answer_teach_back, walk_visit


def at_questions(pack: ContentPack, clock: ManualClock) -> Visit:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    for _ in pack.slides:
        visit.next_slide()
    answer_teach_back(visit, clock)
    assert visit.step is Step.QUESTIONS
    return visit


def test_a_whole_visit_goes_through_every_step_in_order(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = Visit(pack, clock=clock)
    seen = [visit.step]
    visit.start()
    seen.append(visit.step)
    visit.enter_details("Ana", "García", "4/15/1968")
    seen.append(visit.step)
    for _ in pack.slides:
        visit.next_slide()
    seen.append(visit.step)
    answer_teach_back(visit, clock)
    seen.append(visit.step)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    seen.append(visit.step)
    visit.confirm_answers()
    seen.append(visit.step)
    for statement in pack.consent_statements:
        visit.acknowledge(statement.id)
    visit.sign(SCRIBBLE)
    seen.append(visit.step)
    visit.enter_ride_home("Luis García", "555-201-3344", "husband")
    seen.append(visit.step)
    # A first visit: every step but a returning patient's reminder (and, every teach-back
    # answer right, no slide shown again).
    assert seen == [step for step in Step if step not in (Step.REMINDER, Step.TEACH_BACK_REVIEW)]
    assert visit.ending is Ending.COMPLETED
    assert visit.should_be_stored
    assert visit.flags == []
    assert visit.details is not None
    assert visit.details.date_of_birth == date(1968, 4, 15)


def test_time_on_each_slide_is_recorded_including_revisits(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    clock.advance(12)
    visit.next_slide()
    clock.advance(3)
    visit.back()
    clock.advance(5)
    visit.next_slide()
    first, second = pack.slides[0].id, pack.slides[1].id
    assert visit.slide_seconds == {first: 17.0, second: 3.0}
    assert visit.slide_index == 1


def test_next_waits_for_the_packs_minimum_seconds(pack: ContentPack, clock: ManualClock) -> None:
    from dataclasses import replace

    slow = replace(pack, seconds_before_next=8)
    visit = Visit(slow, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    clock.advance(5)
    assert visit.seconds_until_next() == 3
    with pytest.raises(VisitError):
        visit.next_slide()
    clock.advance(3)
    assert visit.seconds_until_next() == 0
    visit.next_slide()
    assert visit.slide_index == 1


@pytest.mark.parametrize(
    ("first", "last", "born", "problems"),
    [
        ("", "García", "04/15/1968", [DetailsProblem.FIRST_NAME_MISSING]),
        ("Ana", "   ", "04/15/1968", [DetailsProblem.LAST_NAME_MISSING]),
        ("Ana", "García", "", [DetailsProblem.BIRTH_DATE_MISSING]),
        ("Ana", "García", "02/30/1968", [DetailsProblem.BIRTH_DATE_INVALID]),
        ("Ana", "García", "15/04/1968", [DetailsProblem.BIRTH_DATE_INVALID]),
        ("Ana", "García", "01/01/2030", [DetailsProblem.BIRTH_DATE_IN_FUTURE]),
        ("Ana", "García", "01/01/1890", [DetailsProblem.BIRTH_DATE_TOO_OLD]),
        ("A" * 81, "García", "04/15/1968", [DetailsProblem.NAME_TOO_LONG]),
    ],
)
def test_details_are_checked_and_the_patient_stays_to_fix_them(
    pack: ContentPack,
    clock: ManualClock,
    first: str,
    last: str,
    born: str,
    problems: list[DetailsProblem],
) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    assert visit.enter_details(first, last, born) == problems
    assert visit.step is Step.DETAILS
    assert visit.details is None


def test_names_are_tidied_but_kept_as_typed(pack: ContentPack, clock: ManualClock) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("  María  José ", "O'Brien-Núñez", "04/15/1968")
    assert visit.details is not None
    assert (visit.details.first_name, visit.details.last_name) == ("María José", "O'Brien-Núñez")


def test_birth_dates_are_read_in_us_order() -> None:
    assert parse_birth_date("12/31/1999") == date(1999, 12, 31)
    assert parse_birth_date("1-2-2000") == date(2000, 1, 2)
    assert parse_birth_date("1999-12-31") is None


def test_a_flagging_answer_is_noticed_and_the_visit_goes_on(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_questions(pack, clock)
    visit.answer(Answer.NOT_SURE)
    assert visit.current_question_flagged
    visit.next_question()
    assert visit.step is Step.QUESTIONS
    assert visit.question_index == 1
    visit.answer(Answer.NO)
    assert not visit.current_question_flagged


def test_next_question_needs_an_answer(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_questions(pack, clock)
    with pytest.raises(VisitError):
        visit.next_question()


def test_changing_an_answer_from_review_returns_to_review(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    assert visit.step is Step.REVIEW
    clock.advance(30)
    visit.change_answer("heart-condition")
    assert visit.step is Step.QUESTIONS
    assert pack.questions[visit.question_index].id == "heart-condition"
    visit.answer(Answer.YES)
    visit.next_question()
    assert visit.step is Step.REVIEW
    assert visit.answers["heart-condition"].answer is Answer.YES
    assert visit.answers["heart-condition"].answered_at == clock.now
    assert [f.question_id for f in visit.flags] == ["heart-condition", None]


def test_back_from_a_changed_answer_returns_to_review_unchanged(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.change_answer("psychosis")
    visit.back()
    assert visit.step is Step.REVIEW


def test_back_walks_every_step_in_reverse(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_questions(pack, clock)
    visit.back()
    assert (visit.step, visit.slide_index) == (Step.SLIDES, len(pack.slides) - 1)
    for _ in range(len(pack.slides) - 1):
        visit.back()
    assert (visit.step, visit.slide_index) == (Step.SLIDES, 0)
    visit.back()
    assert visit.step is Step.DETAILS
    visit.back()
    assert visit.step is Step.WELCOME


def test_confirming_needs_every_answer(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    del visit.answers["pregnancy"]
    with pytest.raises(VisitError):
        visit.confirm_answers()


def test_signing_needs_every_statement_acknowledged(pack: ContentPack, clock: ManualClock) -> None:
    visit = walk_visit(pack, clock, talk_first=True)
    assert visit.step is Step.DONE
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.confirm_answers()
    for statement in pack.consent_statements[:-1]:
        visit.acknowledge(statement.id)
    with pytest.raises(VisitError):
        visit.sign(SCRIBBLE)
    visit.acknowledge(pack.consent_statements[-1].id)
    with pytest.raises(VisitError):
        visit.sign(Signature((((5.0, 5.0),),), 400, 120))  # a tap is not a signature
    visit.sign(SCRIBBLE)
    assert visit.step is Step.RIDE_HOME
    assert visit.consent is not None
    assert visit.consent.signed_name == "Ana García"
    assert visit.consent.png.startswith(b"\x89PNG")


def test_back_from_ride_home_means_signing_again(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.confirm_answers()
    for statement in pack.consent_statements:
        visit.acknowledge(statement.id)
    visit.sign(SCRIBBLE)
    visit.back()
    assert visit.step is Step.CONSENT
    assert visit.consent is None


def test_talking_to_someone_first_stores_a_flagged_unsigned_visit(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, talk_first=True)
    assert visit.ending is Ending.STOPPED_TO_TALK
    assert visit.should_be_stored
    assert visit.consent is None
    assert [flag.kind for flag in visit.flags] == [FlagKind.TALK_FIRST]


def test_no_ride_yet_finishes_the_visit_flagged(pack: ContentPack, clock: ManualClock) -> None:
    visit = walk_visit(pack, clock, ride=None)
    assert visit.ending is Ending.COMPLETED
    assert [flag.kind for flag in visit.flags] == [FlagKind.NO_RIDE_HOME]


@pytest.mark.parametrize(
    ("name", "phone", "relationship", "problems"),
    [
        ("", "555-201-3344", "husband", [RideHomeProblem.NAME_MISSING]),
        ("Luis", "", "husband", [RideHomeProblem.PHONE_MISSING]),
        ("Luis", "12", "husband", [RideHomeProblem.PHONE_INVALID]),
        ("Luis", "555-201-3344", " ", [RideHomeProblem.RELATIONSHIP_MISSING]),
    ],
)
def test_ride_home_details_are_checked(
    pack: ContentPack,
    clock: ManualClock,
    name: str,
    phone: str,
    relationship: str,
    problems: list[RideHomeProblem],
) -> None:
    visit = at_questions(pack, clock)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.confirm_answers()
    for statement in pack.consent_statements:
        visit.acknowledge(statement.id)
    visit.sign(SCRIBBLE)
    assert visit.enter_ride_home(name, phone, relationship) == problems
    assert visit.step is Step.RIDE_HOME


def test_walking_away_stores_nothing(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_questions(pack, clock)
    visit.answer(Answer.YES)
    visit.abandon()
    assert visit.ending is Ending.ABANDONED
    assert not visit.should_be_stored
    assert visit.step is Step.DONE


def test_methods_out_of_order_are_refused(pack: ContentPack, clock: ManualClock) -> None:
    visit = Visit(pack, clock=clock)
    with pytest.raises(VisitError):
        visit.enter_details("Ana", "García", "04/15/1968")
    with pytest.raises(VisitError):
        visit.answer(Answer.NO)
    with pytest.raises(VisitError):
        visit.back()


def test_the_idle_timeout_watches_every_step_with_patient_data_only() -> None:
    from kiosk.visit import KioskTiming

    policy = KioskTiming(timeout_seconds=60)
    assert [step for step in Step if policy.watches(step)] == [
        Step.DETAILS,
        Step.REMINDER,
        Step.SLIDES,
        Step.TEACH_BACK,
        Step.TEACH_BACK_REVIEW,
        Step.QUESTIONS,
        Step.REVIEW,
        Step.CONSENT,
        Step.RIDE_HOME,
    ]
