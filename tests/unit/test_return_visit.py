"""A returning patient's visit: the reminder or the slides, the checklist, side effects,
consent by the clinic's rule, and the flags its answers raise."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.content import Answer, ContentPack, QuestionSection, ReturnConsent
from kiosk.rules import FlagKind
from kiosk.visit import Step, Visit, VisitFlow
from kiosk.visit_walk import ManualClock, walk_visit


def asked(visit: Visit) -> set[QuestionSection]:
    return {question.section for question in visit.questions}


def test_a_first_visit_asks_only_the_screening_questions(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock)
    assert asked(visit) == {QuestionSection.SCREENING}
    assert set(visit.answers) == {q.id for q in visit.questions}
    assert len(visit.questions) == 5
    assert visit.slide_seconds.keys() == {s.id for s in pack.slides}


def test_a_return_visit_without_slides_shows_the_reminder_then_every_question(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968", flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    assert visit.step is Step.REMINDER
    visit.back()
    assert visit.step is Step.DETAILS
    visit.enter_details("Ana", "García", "04/15/1968", flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    visit.continue_after_reminder()
    assert visit.step is Step.QUESTIONS
    # Every question but teach-back (asked after the slides, and there were none).
    assert asked(visit) == set(QuestionSection) - {QuestionSection.TEACH_BACK}
    # Back from the first question is the reminder, not a slide.
    visit.back()
    assert visit.step is Step.REMINDER
    visit.show_information_again()
    assert (visit.step, visit.slide_index) == (Step.SLIDES, 0)
    # Back from the first slide: the reminder again, the slides no longer asked for.
    visit.back()
    assert visit.step is Step.REMINDER
    assert not visit.shows_slides


def test_the_clinics_rule_keeps_the_last_consent_when_no_slides_were_shown(
    pack: ContentPack, clock: ManualClock
) -> None:
    keeps = dataclasses.replace(pack, return_consent=ReturnConsent.WHEN_SLIDES_SHOWN)
    visit = walk_visit(keeps, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    assert visit.consent is None
    assert visit.acknowledged == {}
    assert visit.slide_seconds == {}
    assert visit.is_finished
    # Slides asked for again: the patient signs again.
    again = walk_visit(keeps, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES, slides_again=True)
    assert again.consent is not None
    assert again.slide_seconds.keys() == {s.id for s in pack.slides}
    # The default rule: every visit is signed.
    signed = walk_visit(pack, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    assert signed.consent is not None


def test_back_from_the_ride_home_skips_a_consent_not_asked(
    pack: ContentPack, clock: ManualClock
) -> None:
    keeps = dataclasses.replace(pack, return_consent=ReturnConsent.WHEN_SLIDES_SHOWN)
    visit = Visit(keeps, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968", flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    visit.continue_after_reminder()
    for question in visit.questions:
        visit.answer(Answer.NO if question.kind.value == "yes_no_not_sure" else _calm(question))
        visit.next_question()
    visit.confirm_answers()
    assert visit.step is Step.RIDE_HOME
    visit.back()
    assert visit.step is Step.REVIEW


def _calm(question: object) -> str:
    from kiosk.visit_walk import calm_answer

    return calm_answer(question)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question_id", "answer", "kind", "sentence"),
    [
        (
            "last-solid-food",
            "under-8-hours",
            FlagKind.PRE_INFUSION,
            (
                "Needs clinician review: ate solid food less than 8 hours before the infusion"
                " — answered Less than 8 hours ago"
            ),
        ),
        (
            "new-lamotrigine",
            Answer.YES,
            FlagKind.PRE_INFUSION,
            "Needs clinician review: new lamotrigine since the last infusion — answered Yes",
        ),
        (
            "alcohol-or-cannabis",
            Answer.NOT_SURE,
            FlagKind.PRE_INFUSION,
            "Needs clinician review: alcohol or cannabis in the last 24 hours — answered Not sure",
        ),
        (
            "since-urinary",
            Answer.YES,
            FlagKind.SIDE_EFFECT,
            (
                "Needs clinician review: pain or urgency passing urine since the last infusion"
                " — answered Yes"
            ),
        ),
        (
            "since-memory",
            Answer.YES,
            FlagKind.SIDE_EFFECT,
            (
                "Needs clinician review: changes in memory or thinking since the last infusion"
                " — answered Yes"
            ),
        ),
    ],
)
def test_a_marked_answer_raises_a_named_flag_never_a_refusal(
    pack: ContentPack,
    clock: ManualClock,
    question_id: str,
    answer: str,
    kind: FlagKind,
    sentence: str,
) -> None:
    visit = walk_visit(
        pack, clock, flow=VisitFlow.RETURN_WITH_SLIDES, answers={question_id: answer}
    )
    (flag,) = visit.flags
    assert (flag.kind, flag.sentence) == (kind, sentence)
    assert visit.consent is not None  # the visit went on to the end


def test_a_minor_side_effect_is_recorded_without_a_flag(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(
        pack, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES, answers={"since-headache": Answer.YES}
    )
    assert visit.answers["since-headache"].answer == Answer.YES
    assert visit.flags == []


def test_details_typed_again_drop_the_answers_a_first_visit_does_not_ask(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = Visit(pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968", flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    visit.continue_after_reminder()
    for question in visit.questions:
        visit.answer(_calm(question))
        visit.next_question()
    # Back all the way to the details; someone else's name: a first visit.
    visit.step = Step.DETAILS
    visit.enter_details("Kim", "Lee", "01/02/1990")
    assert set(visit.answers) <= {q.id for q in visit.questions}
    assert asked(visit) == {QuestionSection.SCREENING}


def test_a_bad_asked_value_is_refused_by_name(pack_copy: object) -> None:
    from pathlib import Path

    from kiosk.pack_loader import ContentPackError, load_pack

    folder = Path(str(pack_copy))
    questions = folder / "questions.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace(
            "    asked: pre_infusion", "    asked: before", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentPackError, match="'asked: before' is not when a question"):
        load_pack(folder)
    pack_file = folder / "pack.yaml"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace("asked: before", "asked: pre_infusion"),
        encoding="utf-8",
    )
    pack_file.write_text(
        pack_file.read_text(encoding="utf-8").replace(
            "settings:\n", "settings:\n  return_consent: sometimes\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentPackError, match="'return_consent: sometimes' is not a rule"):
        load_pack(folder)


def test_an_old_visit_reprints_exactly_what_it_asked(
    database: object, pack: ContentPack, clock: ManualClock
) -> None:
    """A visit stored with content from before the return questions prints its own five
    answers after the clinic's content gains them; a return visit prints its twenty."""
    import io
    from zoneinfo import ZoneInfo

    from pypdf import PdfReader

    from kiosk.database import Database
    from kiosk.stored_visits import load_visit
    from kiosk.summary import build_summary
    from tests.conftest import store_visit

    assert isinstance(database, Database)
    from kiosk.content_versions import store_content

    before = dataclasses.replace(pack, questions=pack.questions[:5])
    with database.session() as session, session.begin():
        store_content(session, before, label="before", stored_by="test", now=clock())
    old = walk_visit(before, clock)
    store_visit(database, old)
    new = walk_visit(pack, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES)
    store_visit(database, new)

    def printed(visit_id: str) -> str:
        with database.session() as session:
            record = load_visit(session, visit_id)
        assert record is not None
        pdf = build_summary(record, zone=ZoneInfo("UTC"))
        return " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
        )

    with database.session() as session:
        old_record = load_visit(session, old.id)
        new_record = load_visit(session, new.id)
    assert old_record is not None
    assert new_record is not None
    assert len(old_record.answers) == 5
    assert len(new_record.answers) == 20
    assert "solid food" not in printed(old.id)
    assert "return visit" not in printed(old.id)
    assert "When did you last eat solid food?" in printed(new.id)
