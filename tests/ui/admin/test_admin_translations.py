"""Translations in the editor: out of date when the clinic's words change, and kept right."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.admin.editor import (
    choose_row,
    click,
    click_problem,
    edit_language,
    list_labels,
    open_editor,
    open_tab,
    problems_shown,
    retype,
)
from ui.admin.admin_window import AdminWindow
from ui.admin.picture_file_dialog import PictureFileDialog
from ui.admin.publish_dialog import PublishDialog

OLD = "Have you ever been told you have schizophrenia or psychosis?"
NEW = "Has a doctor ever told you that you have schizophrenia or psychosis?"


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def _labels(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    asked: list[dict[str, object]] = []

    def ask(_cls: object, _parent: object, **kwargs: object) -> str | None:
        asked.append(kwargs)
        return "clearer psychosis question"

    monkeypatch.setattr(PublishDialog, "ask", classmethod(ask))
    return asked


def _published(database: Database) -> int:
    with database.session() as session:
        return len(publishing.versions(session))


def test_a_reworded_contraindication_question_holds_its_spanish_back_until_confirmed(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    open_tab(qtbot, window, "Questions")
    choose_row(qtbot, window.question_list, 0)
    retype(qtbot, window.question_editor.text_field, NEW)
    assert window.message.text() == (
        "The Spanish translation of these words is now marked out of date."
    )

    click(qtbot, window.check_button)
    shown = problems_shown(window)
    assert any(
        line.startswith("Spanish, question 1 “Has a doctor ever told you")
        and f"the question was translated from “{OLD}”, which now reads “{NEW}”" in line
        for line in shown
    ), shown
    qtbot.waitUntil(lambda: not window._dirty)
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None
    assert draft.translated_from == {"es": {"question.psychosis.text": OLD}}
    # Kept beside the pack: the draft's version is the hash of its text alone.
    assert draft.pack.version == window.pack.version
    assert b"translated_from" not in draft.pack.canonical_bytes()

    asked = _labels(monkeypatch)
    click(qtbot, window.publish_button)
    assert not asked, "a stale contraindication question is not offered for publishing"
    assert "Not published" in window.message.text()
    assert _published(database) == 1

    # The problem opens the question in Spanish, which says what changed.
    click_problem(qtbot, window, "Spanish, question 1")
    assert window.language_choice.currentData() == "es"
    assert window.tabs.currentIndex() == 1
    assert window.question_list.current_row() == 0
    assert window.out_of_date_note.isVisible()
    assert OLD in window.out_of_date_note.text()
    # The clinic's own words beside the Spanish, the out-of-date one marked.
    assert window.source.isVisible()
    beside = window.source.toPlainText()
    assert "In English, the clinic's own words:" in beside
    assert NEW in beside
    assert f"Out of date: translated from “{OLD}”" in beside
    assert list_labels(window.question_list)[0].endswith("[out of date]")
    assert not list_labels(window.question_list)[1].endswith("[out of date]")
    click(qtbot, window.still_right_button)
    assert not window.out_of_date_note.isVisible()
    assert "Out of date" not in window.source.toPlainText()
    assert not list_labels(window.question_list)[0].endswith("[out of date]")
    edit_language(window, "")
    assert not window.source.isVisible()

    click(qtbot, window.check_button)
    assert problems_shown(window) == []
    click(qtbot, window.publish_button)
    assert asked
    qtbot.waitUntil(lambda: _published(database) == 2)


def test_translating_again_clears_the_mark_and_a_stale_slide_does_not_stop_a_publish(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    open_tab(qtbot, window, "Questions")
    choose_row(qtbot, window.question_list, 0)
    retype(qtbot, window.question_editor.text_field, NEW)
    open_tab(qtbot, window, "Slides")
    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, "What ketamine treatment is")
    click(qtbot, window.check_button)
    click_problem(qtbot, window, "Spanish, question 1")
    retype(qtbot, window.question_editor.text_field, "Algun medico le ha dicho que tiene psicosis?")
    assert not window.out_of_date_note.isVisible()

    click(qtbot, window.check_button)
    shown = problems_shown(window)
    assert len(shown) == 1
    assert shown[0].startswith("Spanish, slide 1 “What ketamine treatment is”")
    assert "may be out of date" in window.problems_title.text()
    asked = _labels(monkeypatch)
    click(qtbot, window.publish_button)
    assert asked, "an out-of-date slide is a warning, not a stop"
    assert any("slide 1" in str(w) for w in asked[0]["warnings"])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _published(database) == 2)


def test_every_problem_names_its_item_by_number_and_title_and_opens_it(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    open_tab(qtbot, window, "Questions")
    choose_row(qtbot, window.question_list, 4)
    click(qtbot, window.question_list.add_button)
    retype(qtbot, window.question_editor.text_field, "Have you eaten today?")
    retype(qtbot, window.question_editor.flag_wording, "ate today")
    open_tab(qtbot, window, "Slides")
    choose_row(qtbot, window.slide_list, 2)
    retype(qtbot, window.slide_editor.title_field, "")

    click(qtbot, window.check_button)
    shown = problems_shown(window)
    assert shown[0].startswith("Slide 3 (no title yet): 'title' of this slide is empty"), shown
    assert all("what-it-is" not in line and "'" + "have-you" not in line for line in shown)
    # Fixed first, the slide's problem goes and the translation's shows.
    click_problem(qtbot, window, "Slide 3")
    assert (window.tabs.currentIndex(), window.slide_list.current_row()) == (0, 2)
    retype(qtbot, window.slide_editor.title_field, "Common side effects")
    open_tab(qtbot, window, "Clinic")
    click(qtbot, window.check_button)
    assert problems_shown(window) == [
        "Spanish, question 6 “Have you eaten today?”: the question has no Spanish text"
    ]
    click_problem(qtbot, window, "Spanish, question 6")
    assert window.language_choice.currentData() == "es"
    assert (window.tabs.currentIndex(), window.question_list.current_row()) == (1, 5)
    assert window.question_editor.text_field.toPlainText() == ""


def test_while_editing_spanish_the_picture_logo_and_pace_cannot_change(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photo = tmp_path / "room.png"
    Image.new("RGB", (400, 300), (90, 140, 190)).save(photo)
    monkeypatch.setattr(PictureFileDialog, "ask", classmethod(lambda _cls, _parent, _title: photo))
    window = open_editor(qtbot, database, settings)
    editor = window.slide_editor
    choose_row(qtbot, window.slide_list, 0)
    click(qtbot, editor.choose_button)
    retype(qtbot, editor.alt_field, "A calm waiting room")
    open_tab(qtbot, window, "Clinic")
    click(qtbot, window.clinic_editor.choose_button)  # the same picture as the logo
    assert window.clinic_editor.remove_button.isEnabled()

    edit_language(window, "es")
    assert not window.clinic_editor.remove_button.isEnabled()
    assert not window.clinic_editor.choose_button.isEnabled()
    assert not window.clinic_editor.seconds_field.isEnabled()
    assert window.clinic_editor.name_field.isEnabled()
    open_tab(qtbot, window, "Slides")
    choose_row(qtbot, window.slide_list, 1)
    choose_row(qtbot, window.slide_list, 0)
    assert not editor.remove_picture_button.isEnabled(), "Spanish words only"
    assert not editor.choose_button.isEnabled()
    assert "every language" in editor.remove_picture_button.toolTip()
    retype(qtbot, editor.alt_field, "Una sala de espera tranquila")
    assert window.pack.slides[0].picture is not None
    assert window.pack.slides[0].picture_alt == "A calm waiting room"

    edit_language(window, "")
    assert editor.remove_picture_button.isEnabled()
    assert editor.choose_button.isEnabled()
    open_tab(qtbot, window, "Clinic")
    assert window.clinic_editor.remove_button.isEnabled()
