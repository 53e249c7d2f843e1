"""The content editor: when a question is asked (`asked:`), and teach-back questions edited
like the others (their slide, right answer and key sentence), in both languages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.content import Answer, QuestionSection
from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.admin.editor import (
    choose_row,
    click,
    edit_language,
    list_labels,
    open_editor,
    retype,
)
from ui.admin.admin_window import AdminWindow


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def choose(qtbot: QtBot, box: QComboBox, words: str) -> None:
    """Step through a drop-down list with the arrow keys (Home, then Down) to the item
    with these words, as an admin using the keyboard would (a popup list cannot open on
    the tests' screen)."""
    assert box.isVisible()
    assert box.isEnabled()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentText() == words:
            break
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == words, f"no {words!r} in the list"


def saved_questions(database: Database) -> dict[str, object]:
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None
    return {q.id: q for q in draft.pack.questions}


def test_when_a_question_is_asked_is_chosen_in_the_editor(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    choose_row(qtbot, window.question_list, 1)  # blood pressure, asked every visit
    assert editor.asked_choice.currentText() == "Every visit, with the questions"
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        choose(qtbot, editor.asked_choice, "Return visits: before today's infusion")
    assert window.pack.questions[1].section is QuestionSection.PRE_INFUSION
    saved = saved_questions(database)["blood-pressure"]
    assert saved.section is QuestionSection.PRE_INFUSION  # type: ignore[attr-defined]
    # And back, for a side effect question.
    choose_row(qtbot, window.question_list, 19)
    assert editor.asked_choice.currentText() == "Return visits: since the last infusion"
    choose(qtbot, editor.asked_choice, "Every visit, with the questions")
    assert window.pack.questions[19].section is QuestionSection.SCREENING


def test_a_teach_back_question_is_edited_and_its_quote_checked_against_the_slide(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    row = next(n for n, q in enumerate(window.pack.questions) if q.id == "teach-back-call-us")
    assert list_labels(window.question_list)[row].endswith("[teach-back]")
    choose_row(qtbot, window.question_list, row)
    assert editor.teach_back_box.isVisible()
    assert not editor.flag_box.isVisible(), "a teach-back question never raises a flag"
    assert editor.slide_choice.currentText() == "After the infusion"
    assert editor.right_answer_choice.currentText() == "Yes"
    assert editor.key_sentence.text() == "If effects last or get worse, call us."
    retype(qtbot, editor.text_field, "Should you rest for the rest of the day?")
    retype(qtbot, editor.key_sentence, "Rest whenever you like.")
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert any(
        "the key sentence is not in the text of slide 'after-the-infusion'" in p for p in (problems)
    ), problems
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        retype(qtbot, editor.key_sentence, "Plan to rest for the rest of the day;")
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert not any("is not in the text of slide" in p for p in problems), problems
    # The Spanish words were translated from the old ones: out of date, not wrong.
    assert any("the key sentence was translated from “If effects last" in p for p in problems)
    question = window.pack.questions[row]
    assert question.text == "Should you rest for the rest of the day?"
    assert question.key_sentence == "Plan to rest for the rest of the day;"
    assert question.right_answer is Answer.YES


def test_a_new_question_becomes_a_teach_back_question_about_a_slide(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    choose_row(qtbot, window.question_list, len(window.pack.questions) - 1)
    click(qtbot, window.question_list.add_button)
    qtbot.keyClicks(editor.text_field, "Is the detached feeling there for good?")
    choose(qtbot, editor.asked_choice, "Right after the slides: teach-back")
    assert editor.teach_back_box.isVisible()
    choose(qtbot, editor.slide_choice, 'Feeling "detached" (dissociation)')
    choose(qtbot, editor.right_answer_choice, "No")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        qtbot.keyClicks(editor.key_sentence, "This feeling is temporary.")
    added = window.pack.questions[-1]
    assert added.is_teach_back
    assert (added.slide, added.right_answer, added.key_sentence) == (
        "dissociation",
        Answer.NO,
        "This feeling is temporary.",
    )
    assert (added.flag_answers, added.contraindication) == ((), False)
    assert window.pack.teach_back[-1] == added
    saved = saved_questions(database)[added.id]
    assert saved.key_sentence == "This feeling is temporary."  # type: ignore[attr-defined]


def test_a_teach_back_question_is_translated_with_its_key_sentence(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    edit_language(window, "es")
    row = next(n for n, q in enumerate(window.pack.questions) if q.id == "teach-back-driving")
    choose_row(qtbot, window.question_list, row)
    # Only the words: which slide, and which answer is right, are the clinic's.
    assert not editor.slide_choice.isEnabled()
    assert not editor.right_answer_choice.isEnabled()
    assert not editor.asked_choice.isEnabled()
    assert editor.key_sentence.text() == "No debe conducir durante el resto del día."
    # (Typed without accents: the test's keyboard has none.)
    retype(qtbot, editor.text_field, "Puede manejar usted a su casa hoy?")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        retype(qtbot, editor.key_sentence, "La ketamina puede afectar por un tiempo su equilibrio")
    spanish = window.pack.translations["es"]
    assert spanish["question.teach-back-driving.text"] == "Puede manejar usted a su casa hoy?"
    assert spanish["question.teach-back-driving.key_sentence"] == (
        "La ketamina puede afectar por un tiempo su equilibrio"
    )
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert not any("is not in the Spanish text of slide" in p for p in problems), problems
    assert window.pack.questions[row].text == (
        "Can you drive yourself home after your infusion today?"
    )
    retype(qtbot, editor.key_sentence, "No maneje.")
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert any(
        p.startswith("Spanish, question 21 “Can you drive yourself home")
        and "the key sentence is not in the Spanish text of slide 'no-driving'" in p
        for p in problems
    ), problems
