"""Teach-back in the domain: the questions after the slides, a slide shown again for an
answer that is not right, what is stored and reprinted, and a pack that gets them wrong."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kiosk.content import Answer, ContentPack, TeachBackResult, pack_from_canonical
from kiosk.content_versions import store_content
from kiosk.database import Database
from kiosk.pack_loader import ContentPackError, bundled_pack_dir, load_pack
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit import Step, Visit, VisitFlow
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit


def at_teach_back(pack: ContentPack, clock: ManualClock, flow: VisitFlow) -> Visit:
    visit = Visit(pack, clock=clock)
    visit.start()
    assert visit.enter_details("Ana", "García", "04/15/1968", flow=flow) == []
    while visit.step is Step.SLIDES:
        clock.advance(10)
        visit.next_slide()
    return visit


def test_the_bundled_pack_asks_four_questions_each_about_a_slide(pack: ContentPack) -> None:
    assert [(q.slide, q.right_answer) for q in pack.teach_back] == [
        ("no-driving", Answer.NO),
        ("no-driving", Answer.YES),
        ("dissociation", Answer.NO),
        ("after-the-infusion", Answer.YES),
    ]
    # None of them is among the questionnaire's, on a first visit or a return visit.
    visit = Visit(pack)
    for flow in VisitFlow:
        visit.flow = flow
        assert not any(q.is_teach_back for q in visit.questions)
    spanish = pack.in_language("es").teach_back[0]
    assert spanish.key_sentence == "No debe conducir durante el resto del día."


def test_right_first_time_goes_on_to_the_next_question_then_the_questions(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_teach_back(pack, clock, VisitFlow.FIRST_VISIT)
    assert visit.step is Step.TEACH_BACK
    for number, question in enumerate(pack.teach_back):
        assert visit.teach_back_index == number
        visit.answer_teach_back(str(question.right_answer))
    assert visit.step is Step.QUESTIONS
    assert {q: a.result for q, a in visit.teach_back.items()} == {
        q.id: TeachBackResult.RIGHT_FIRST_TIME for q in pack.teach_back
    }


def test_a_wrong_answer_shows_the_slide_again_then_asks_again(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_teach_back(pack, clock, VisitFlow.FIRST_VISIT)
    visit.answer_teach_back(Answer.YES)
    assert visit.step is Step.TEACH_BACK_REVIEW
    assert visit.teach_back_question.slide == "no-driving"
    assert visit.teach_back == {}
    # Back from the slide again: the question again, still a second try.
    visit.back()
    assert (visit.step, visit.teach_back_asked_again) == (Step.TEACH_BACK, True)
    visit.back()
    assert visit.step is Step.TEACH_BACK_REVIEW
    visit.ask_again()
    visit.answer_teach_back(Answer.NO)
    answered = visit.teach_back["teach-back-driving"]
    assert answered.result is TeachBackResult.RIGHT_AFTER_REVIEW
    assert (answered.first_answer, answered.answer_after_review) == (Answer.YES, Answer.NO)
    assert (visit.step, visit.teach_back_index) == (Step.TEACH_BACK, 1)
    assert not visit.teach_back_asked_again
    visit.answer_teach_back(Answer.NOT_SURE)
    visit.ask_again()
    visit.answer_teach_back(Answer.NOT_SURE)
    assert visit.teach_back["teach-back-ride-home"].result is TeachBackResult.STILL_WRONG
    # A note for staff, never a flag (no ride home is named yet: that one only).
    assert [flag.kind for flag in visit.flags] == ["no_ride_home"]


def test_back_to_the_slides_keeps_the_answers_given(pack: ContentPack, clock: ManualClock) -> None:
    visit = at_teach_back(pack, clock, VisitFlow.FIRST_VISIT)
    visit.answer_teach_back(Answer.NO)
    visit.back()
    assert (visit.step, visit.slide_index) == (Step.SLIDES, len(pack.slides) - 1)
    clock.advance(10)
    visit.next_slide()
    # The first is answered: the second is asked.
    assert (visit.step, visit.teach_back_index) == (Step.TEACH_BACK, 1)


def test_a_return_visit_asks_teach_back_only_when_it_shows_the_slides(
    pack: ContentPack, clock: ManualClock
) -> None:
    assert at_teach_back(pack, clock, VisitFlow.RETURN_WITH_SLIDES).step is Step.TEACH_BACK
    reminded = at_teach_back(pack, clock, VisitFlow.RETURN_WITHOUT_SLIDES)
    assert reminded.step is Step.REMINDER
    reminded.continue_after_reminder()
    assert reminded.step is Step.QUESTIONS
    asked_again = walk_visit(pack, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES, slides_again=True)
    assert len(asked_again.teach_back) == 4
    assert walk_visit(pack, clock, flow=VisitFlow.RETURN_WITHOUT_SLIDES).teach_back == {}


def test_the_results_are_stored_and_an_old_visit_reprints_what_it_asked(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, teach_back={"teach-back-driving": ("yes", "yes")})
    store_visit(database, visit)
    # A later version asks it in other words; the stored visit keeps its own.
    reworded = dataclasses.replace(
        pack,
        questions=tuple(
            dataclasses.replace(q, text="Will you drive today?") if q.is_teach_back else q
            for q in pack.questions
        ),
        translations={},
    )
    assert reworded.version != pack.version
    with database.session() as session, session.begin():
        store_content(session, reworded, label="reworded", stored_by="test", now=clock())
    store_visit(database, walk_visit(reworded, clock, first="Bea"))
    with database.session() as session:
        listed = {v.first_name: v for v in list_visits(session)}
        ana = load_visit(session, listed["Ana"].id)
        bea = load_visit(session, listed["Bea"].id)
    assert ana is not None
    assert bea is not None
    assert [t.result for t in ana.teach_back] == [
        TeachBackResult.STILL_WRONG,
        *[TeachBackResult.RIGHT_FIRST_TIME] * 3,
    ]
    assert ana.teach_back[0].question_text == (
        "Can you drive yourself home after your infusion today?"
    )
    assert ana.teach_back[0].slide_title == "No driving today"
    assert ana.teach_back_still_wrong == (ana.teach_back[0],)
    assert bea.teach_back[0].question_text == "Will you drive today?"
    assert listed["Ana"].teach_back[0] == ("teach-back-driving", TeachBackResult.STILL_WRONG)


def test_the_content_version_covers_teach_back(pack: ContentPack) -> None:
    again = pack_from_canonical(pack.canonical_bytes(), pack.pictures)
    assert again.teach_back == pack.teach_back
    assert again.version == pack.version
    quoted_otherwise = dataclasses.replace(
        pack,
        questions=tuple(
            dataclasses.replace(q, right_answer=Answer.YES) if q.id == "teach-back-driving" else q
            for q in pack.questions
        ),
    )
    assert quoted_otherwise.version != pack.version


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentPackError) as caught:
        load_pack(folder)
    return [str(problem) for problem in caught.value.problems]


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_key_sentence_not_on_its_slide_is_refused(pack_copy: Path) -> None:
    _edit(
        pack_copy,
        "questions.yaml",
        "key_sentence: You must not drive for the rest of the day.",
        "key_sentence: You may drive after an hour.",
    )
    (problem,) = _problems(pack_copy)
    assert "questions.yaml:" in problem
    assert "the key sentence is not in the text of slide 'no-driving'" in problem


def test_a_slide_edited_away_from_its_quote_is_refused(pack_copy: Path) -> None:
    _edit(
        pack_copy,
        "slides.yaml",
        "**You must not drive for the rest of the day.**",
        "**Do not drive today.**",
    )
    (problem,) = _problems(pack_copy)
    assert "questions.yaml:" in problem
    assert "the key sentence is not in the text of slide 'no-driving'" in problem


def test_a_teach_back_question_needs_a_real_slide_and_a_right_answer(pack_copy: Path) -> None:
    _edit(pack_copy, "questions.yaml", "slide: dissociation", "slide: no-such-slide")
    _edit(
        pack_copy,
        "questions.yaml",
        "    right_answer: yes\n    key_sentence: If effects",
        "    right_answer: not_sure\n    key_sentence: If effects",
    )
    problems = _problems(pack_copy)
    assert any("there is no slide 'no-such-slide'" in p for p in problems)
    assert any("'not_sure' is not an answer this question can be given" in p for p in problems)


def test_a_teach_back_question_never_raises_a_flag(pack_copy: Path) -> None:
    _edit(
        pack_copy,
        "questions.yaml",
        "    right_answer: yes\n    key_sentence: If effects",
        "    right_answer: yes\n    flag_when: [no]\n    key_sentence: If effects",
    )
    (problem,) = _problems(pack_copy)
    assert "a teach-back question never raises a flag: remove 'flag_when'" in problem


def test_a_spanish_key_sentence_must_be_on_the_spanish_slide(pack_copy: Path) -> None:
    shutil.copytree(bundled_pack_dir() / "translations", pack_copy / "translations")
    _edit(
        pack_copy,
        "translations/es.yaml",
        "key_sentence: No debe conducir durante el resto del día.",
        "key_sentence: No conduzca hoy.",
    )
    (problem,) = _problems(pack_copy)
    assert "translations/es.yaml" in problem
    assert "the key sentence of teach-back question 'teach-back-driving' is not in the Spanish" in (
        problem
    )
