"""Editing questions and consent in the admin editor; contraindications are guarded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.content import Answer, QuestionKind
from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.admin.editor import (
    choose_row,
    click,
    edit_language,
    list_labels,
    open_editor,
    retype,
    tick,
)
from ui.admin.admin_window import AdminWindow


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def _confirmations(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[tuple[str, list[str]]]:
    asked: list[tuple[str, list[str]]] = []

    def confirm(_cls: object, _parent: object, title: str, sentences: list[str], _yes: str) -> bool:
        asked.append((title, sentences))
        return answer

    monkeypatch.setattr(AdminWindow, "confirm", classmethod(confirm))
    return asked


def test_removing_a_contraindication_question_asks_first_and_cancel_keeps_it(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    before = window.pack.questions
    asked = _confirmations(monkeypatch, answer=False)
    choose_row(qtbot, window.question_list, 4)
    click(qtbot, window.question_list.remove_button)
    assert len(asked) == 1
    title, sentences = asked[0]
    assert "contraindication" in title
    assert "“Are you pregnant, or could you be pregnant?” is removed" in sentences[0]
    assert "pregnant or could be pregnant" in sentences[0]  # the flag that would go
    assert window.pack.questions == before
    assert len(list_labels(window.question_list)) == len(before)

    asked = _confirmations(monkeypatch, answer=True)
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        click(qtbot, window.question_list.remove_button)
    assert asked
    assert [q.id for q in window.pack.questions] == [q.id for q in before if q.id != "pregnancy"]
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None
    assert "pregnancy" not in [q.id for q in draft.pack.questions]


def test_a_question_is_reworded_and_its_flags_changed(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    choose_row(qtbot, window.question_list, 1)
    editor = window.question_editor
    retype(qtbot, editor.text_field, "Is your blood pressure high and not treated?")
    click(qtbot, editor.flag_boxes[Answer.NOT_SURE])  # untick: only Yes raises a flag now
    retype(qtbot, editor.flag_wording, "untreated high blood pressure")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass
    question = window.pack.questions[1]
    assert question.id == "blood-pressure"
    assert question.text == "Is your blood pressure high and not treated?"
    assert question.flag_answers == (Answer.YES,)
    assert question.flag_wording == "untreated high blood pressure"
    assert list_labels(window.question_list)[1].startswith(
        "2. Is your blood pressure high and not treated?"
    )


def test_add_question_adds_a_yes_no_not_sure_question(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    count = len(window.pack.questions)
    choose_row(qtbot, window.question_list, count - 1)
    click(qtbot, window.question_list.add_button)
    editor = window.question_editor
    assert window.question_list.current_row() == count
    assert editor.contraindication.isChecked()
    assert editor.flag_boxes[Answer.YES].isChecked()
    assert editor.flag_boxes[Answer.NOT_SURE].isChecked()
    assert not editor.flag_boxes[Answer.NO].isChecked()
    qtbot.keyClicks(editor.text_field, "Have you eaten in the last 4 hours?")
    qtbot.keyClicks(editor.flag_wording, "ate within 4 hours of the infusion")
    added = window.pack.questions[-1]
    assert added.text == "Have you eaten in the last 4 hours?"
    assert added.id == "have-you-eaten-in-the-last-4-hours"
    assert added.flag_answers == (Answer.YES, Answer.NOT_SURE)
    # Patients can also read the questions in Spanish: the new one needs its words too.
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    missing = (
        f"Spanish, question {count + 1} “Have you eaten in the last 4 hours?”: "
        "the question has no Spanish text"
    )
    assert problems == [missing]
    edit_language(window, "es")
    assert window.question_list.current_row() == count
    assert editor.text_field.toPlainText() == ""
    assert not editor.flag_wording.isEnabled(), "staff read flags in the clinic's language"
    for button in (window.question_list.add_button, window.question_list.remove_button):
        assert not button.isEnabled(), "a translation changes words, not which questions"
    # QTest types ASCII only; an admin would type the accents too.
    qtbot.keyClicks(editor.text_field, "Ha comido en las ultimas 4 horas?")
    assert window.pack.questions[-1].text == "Have you eaten in the last 4 hours?"
    spanish = window.pack.in_language("es").questions[-1]
    assert spanish.text == "Ha comido en las ultimas 4 horas?"
    click(qtbot, window.check_button)
    assert window.problems.count() == 0


def test_consent_statements_and_the_signature_meaning_are_edited(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(2)
    editor = window.consent_editor
    choose_row(qtbot, window.statement_list, 2)
    retype(qtbot, editor.statement_field, "I will not drive until tomorrow.")
    retype(qtbot, editor.meaning_field, "I agree to ketamine treatment today.")
    click(qtbot, window.statement_list.add_button)
    qtbot.keyClicks(editor.statement_field, "I can ask to stop at any time.")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None
    texts = [s.text for s in draft.pack.consent_statements]
    assert texts[2] == "I will not drive until tomorrow."
    assert texts[3] == "I can ask to stop at any time."
    assert draft.pack.signature_meaning == "I agree to ketamine treatment today."


def test_the_clinic_name_is_edited(qtbot: QtBot, database: Database, settings: Settings) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(3)
    retype(qtbot, window.clinic_editor.name_field, "Serenity Ketamine Clinic")
    assert window.pack.clinic_name == "Serenity Ketamine Clinic"


def test_a_single_choice_and_a_short_text_question_are_added_in_both_languages(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    choose_row(qtbot, window.question_list, len(window.pack.questions) - 1)
    click(qtbot, window.question_list.add_button)
    editor.kind_choice.setCurrentIndex(editor.kind_choice.findText("One choice from a list"))
    qtbot.keyClicks(editor.text_field, "How did you get here today?")
    qtbot.keyClicks(editor.choices_field, "Someone drove me")
    qtbot.keyClick(editor.choices_field, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.choices_field, "I drove myself")
    assert not editor.flag_boxes[Answer.YES].isVisible()
    assert editor.flag_choices.count() == 2
    editor.flag_choices.item(1).setCheckState(Qt.CheckState.Checked)
    tick(qtbot, editor.contraindication)  # not a contraindication: a ride-home check
    qtbot.keyClicks(editor.flag_wording, "drove here alone")
    arrival = window.pack.questions[-1]
    assert arrival.kind is QuestionKind.SINGLE_CHOICE
    assert [c.text for c in arrival.choices] == ["Someone drove me", "I drove myself"]
    assert arrival.flag_answers == (arrival.choices[1].id,)

    click(qtbot, window.question_list.add_button)
    editor.kind_choice.setCurrentIndex(editor.kind_choice.findText("A few typed words"))
    qtbot.keyClicks(editor.text_field, "Which medicines did you take today?")
    assert not editor.flag_wording.isVisible(), "typed words never raise a flag"
    medicines = window.pack.questions[-1]
    assert medicines.kind is QuestionKind.SHORT_TEXT
    assert medicines.flag_answers == ()

    edit_language(window, "es")
    choose_row(qtbot, window.question_list, len(window.pack.questions) - 2)
    assert not editor.kind_choice.isEnabled()
    retype(qtbot, editor.text_field, "Como llego hoy?")
    retype(qtbot, editor.choices_field, "Alguien me trajo\nVine manejando")
    choose_row(qtbot, window.question_list, len(window.pack.questions) - 1)
    retype(qtbot, editor.text_field, "Que medicinas tomo hoy?")
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert problems == []
    spanish = window.pack.in_language("es").questions
    assert [c.text for c in spanish[-2].choices] == ["Alguien me trajo", "Vine manejando"]
    assert window.pack.questions[-2].choices[1].text == "I drove myself"
