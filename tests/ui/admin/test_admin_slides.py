"""Editing slides in the admin editor, with mouse and keyboard as an admin would."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.audit import entries
from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.admin.editor import (
    choose_row,
    click,
    confirmations,
    edit_language,
    list_labels,
    open_editor,
    open_tab,
    retype,
)
from ui.admin.admin_window import AdminWindow
from ui.admin.picture_file_dialog import PictureFileDialog


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def _draft(database: Database) -> publishing.Draft:
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None, "no draft was saved"
    return draft


def _picture_prompt(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    asked: list[str] = []

    def ask(_cls: object, _parent: object, title: str) -> Path:
        asked.append(title)
        return path

    monkeypatch.setattr(PictureFileDialog, "ask", classmethod(ask))
    return asked


def test_a_slides_title_and_text_are_edited_and_kept_in_the_saved_draft(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 1)
    editor = window.slide_editor
    assert editor.title_field.text() == "How it works and how fast"
    retype(qtbot, editor.title_field, "How the infusion works")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        retype(qtbot, editor.text_field, "It takes **about 40 minutes**.\n- you rest\n- we watch")
    assert list_labels(window.slide_list)[1] == "2. How the infusion works"
    assert "<b>about 40 minutes</b>" in editor.reads_as.text()
    assert "<li" in editor.reads_as.text()

    slide = _draft(database).pack.slides[1]
    assert slide.title == "How the infusion works"
    assert slide.text == "It takes **about 40 minutes**.\n- you rest\n- we watch"
    assert slide.id == "how-it-works"  # a published slide keeps its ID
    with database.session() as session:
        saved = [e for e in entries(session) if e.action == "content_draft_saved"]
    assert saved
    assert saved[-1].actor == "user:ines"

    # The work survives closing the editor: a new one opens on the draft.
    window.close()
    again = open_editor(qtbot, database, settings)
    choose_row(qtbot, again.slide_list, 1)
    assert again.slide_editor.title_field.text() == "How the infusion works"
    assert "Draft saved" in again.status.text()


def test_bold_and_bullet_buttons_write_the_markup_patients_see_formatted(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    editor = window.slide_editor
    retype(qtbot, editor.text_field, "rest")
    qtbot.keyClick(editor.text_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    click(qtbot, editor.bold_button)
    # Bold on the screen, no stars typed; kept as the pack's markup.
    assert editor.text_field.toPlainText() == "rest"
    assert editor.text_field.textCursor().charFormat().fontWeight() == QFont.Weight.Bold
    assert editor.text_field.markup() == "**rest**"
    click(qtbot, editor.bullet_button)
    assert editor.text_field.toPlainText() == "rest"
    assert editor.text_field.textCursor().block().textList() is not None
    assert editor.text_field.markup() == "- **rest**"
    assert "<li" in editor.reads_as.text()
    assert "<b>rest</b>" in editor.reads_as.text()
    # Both buttons take it back again.
    click(qtbot, editor.bullet_button)
    qtbot.keyClick(editor.text_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    click(qtbot, editor.bold_button)
    assert editor.text_field.markup() == "rest"


def test_a_slides_text_shows_bold_and_bullets_and_keeps_its_markup(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 0)
    field = window.slide_editor.text_field
    stored = window.pack.slides[0].text
    # The first slide's words are shown formatted: no "- " or "**" to read past.
    assert "- depression" in stored
    assert "- " not in field.toPlainText()
    first_bullet = field.document().findBlock(field.toPlainText().index("depression"))
    assert first_bullet.textList() is not None
    assert field.markup() == stored
    # Enter on an empty bullet ends the list; a new paragraph follows a blank line.
    qtbot.mouseClick(field.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.keyClicks(field, "Ask us anything.")
    assert field.markup() == stored + "\n\nAsk us anything."
    assert _draft(database).pack.slides[0].text == stored + "\n\nAsk us anything."


def test_slides_are_reordered_with_up_and_down_and_by_dragging(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    titles = [s.title for s in window.pack.slides]
    choose_row(qtbot, window.slide_list, 2)
    click(qtbot, window.slide_list.up_button)
    expected = [titles[0], titles[2], titles[1], *titles[3:]]
    assert [s.title for s in window.pack.slides] == expected
    assert list_labels(window.slide_list)[1] == f"2. {titles[2]}"
    assert window.slide_list.current_row() == 1  # the moved slide stays chosen
    click(qtbot, window.slide_list.down_button)
    click(qtbot, window.slide_list.down_button)
    expected = [titles[0], titles[1], titles[3], titles[2], *titles[4:]]
    assert [s.title for s in window.pack.slides] == expected

    # What a drop does inside the list: the first slide is moved to after the third.
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        view = window.slide_list.items
        assert view.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    expected = [titles[1], titles[3], titles[0], titles[2], *titles[4:]]
    assert [s.title for s in window.pack.slides] == expected
    assert [s.title for s in _draft(database).pack.slides] == expected
    assert list_labels(window.slide_list)[2] == f"3. {titles[0]}"


def test_slides_are_added_duplicated_and_removed(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = confirmations(monkeypatch, True)
    window = open_editor(qtbot, database, settings)
    count = len(window.pack.slides)
    choose_row(qtbot, window.slide_list, 0)
    click(qtbot, window.slide_list.add_button)
    assert len(window.pack.slides) == count + 1
    assert window.slide_list.current_row() == 1
    assert list_labels(window.slide_list)[1] == "2. (no title yet)"
    retype(qtbot, window.slide_editor.title_field, "Parking")
    # A new slide takes its ID from its title until it is published.
    assert window.pack.slides[1].id == "parking"
    click(qtbot, window.slide_list.duplicate_button)
    assert [s.title for s in window.pack.slides[1:3]] == ["Parking", "Parking"]
    assert window.pack.slides[2].id == "parking-2"
    click(qtbot, window.slide_list.remove_button)
    assert asked[-1][0] == "Remove slide 3 “Parking”?"
    assert window.slide_list.current_row() == 2  # the next slide is chosen
    choose_row(qtbot, window.slide_list, 1)
    click(qtbot, window.slide_list.remove_button)
    assert len(window.pack.slides) == count
    assert "Parking" not in [s.title for s in window.pack.slides]


def test_a_big_photo_is_scaled_to_the_kiosk_screen_and_needs_a_description(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    photo = tmp_path / "waiting-room.jpg"
    Image.new("RGB", (4000, 3000), (90, 140, 190)).save(photo, quality=90)
    asked = _picture_prompt(monkeypatch, photo)
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 0)
    editor = window.slide_editor
    # The bundled slide's own picture off first: the photo goes on a slide without one.
    click(qtbot, editor.remove_picture_button)
    click(qtbot, editor.choose_button)
    assert asked
    slide = window.pack.slides[0]
    assert slide.picture is not None
    with Image.open(io.BytesIO(window.pack.pictures[slide.picture])) as stored:
        assert stored.size == (1920, 1440)
        assert stored.format == "JPEG"
    assert "1920 × 1440" in editor.picture_size.text()
    assert not editor.picture.pixmap().isNull()
    assert editor.remove_picture_button.isEnabled()

    # Publishing wants a description for people who cannot see the picture.
    click(qtbot, window.check_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert any(p.startswith("Slide 1 “") and "picture_alt" in p for p in problems), problems
    retype(qtbot, editor.alt_field, "A calm waiting room with two armchairs")
    edit_language(window, "es")  # and for Spanish readers
    assert not editor.choose_button.isEnabled(), "one picture for every language"
    retype(qtbot, editor.alt_field, "Una sala de espera tranquila con dos sillones")
    edit_language(window, "")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass
    click(qtbot, window.check_button)
    assert window.problems.count() == 0
    saved = _draft(database).pack
    assert saved.slides[0].picture_alt == "A calm waiting room with two armchairs"
    assert saved.pictures[slide.picture] == window.pack.pictures[slide.picture]


@pytest.mark.parametrize(
    ("file_name", "write", "words"),
    [
        ("clinic.gif", lambda p: Image.new("RGB", (40, 40)).save(p, format="GIF"), "GIF"),
        ("notes.png", lambda p: p.write_text("not a picture"), "damaged or is not a picture"),
    ],
)
def test_a_bad_picture_is_refused_naming_the_file_and_nothing_changes(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_name: str,
    write: object,
    words: str,
) -> None:
    path = tmp_path / file_name
    write(path)  # type: ignore[operator]
    _picture_prompt(monkeypatch, path)
    window = open_editor(qtbot, database, settings)
    before = window.pack
    click(qtbot, window.slide_editor.choose_button)
    problem = window.slide_editor.picture_problem
    assert problem.isVisible()
    assert file_name in problem.text()
    assert words in problem.text()
    assert window.pack == before
    assert not window.save_timer.isActive()
    with database.session() as session:
        assert publishing.current_draft(session) is None


def test_a_removal_is_asked_first_and_undo_and_redo_step_through_structural_edits(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    titles = [s.title for s in window.pack.slides]
    assert not window.undo_button.isEnabled()
    refused = confirmations(monkeypatch, False)
    choose_row(qtbot, window.slide_list, 1)
    click(qtbot, window.slide_list.remove_button)
    assert refused == [
        (
            f"Remove slide 2 “{titles[1]}”?",
            [f"Slide 2 “{titles[1]}” is taken out of the draft. Undo (Ctrl+Z) brings it back."],
        )
    ]
    assert [s.title for s in window.pack.slides] == titles, "Cancel keeps the slide"

    confirmations(monkeypatch, True)
    click(qtbot, window.slide_list.remove_button)
    assert [s.title for s in window.pack.slides] == titles[:1] + titles[2:]
    # Words typed after a removal stay when the removal is undone.
    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, "Welcome")
    assert window.undo_button.text() == "Undo remove a slide"
    click(qtbot, window.undo_button)
    assert [s.title for s in window.pack.slides] == ["Welcome", *titles[1:]]
    assert window.slide_list.current_row() == 1
    assert list_labels(window.slide_list)[1] == f"2. {titles[1]}"
    click(qtbot, window.redo_button)
    assert [s.title for s in window.pack.slides] == ["Welcome", *titles[2:]]
    click(qtbot, window.undo_button)

    # Moves, by button and undone from the keyboard in the list.
    choose_row(qtbot, window.slide_list, 0)
    click(qtbot, window.slide_list.down_button)
    assert [s.title for s in window.pack.slides][:2] == [titles[1], "Welcome"]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    choose_row(qtbot, window.slide_list, 1)
    qtbot.keyClick(window.slide_list.items, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.title for s in window.pack.slides] == ["Welcome", *titles[1:]]
    # In a field, Ctrl+Z takes back typing, not the structure.
    click(qtbot, window.slide_list.down_button)
    field = window.slide_editor.title_field
    qtbot.keyClicks(field, "!")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "Welcome"
    assert [s.title for s in window.pack.slides][:2] == [titles[1], "Welcome"]

    # Questions and statements too.
    open_tab(qtbot, window, "Questions")
    questions = len(window.pack.questions)
    click(qtbot, window.question_list.add_button)
    assert len(window.pack.questions) == questions + 1
    click(qtbot, window.undo_button)
    assert len(window.pack.questions) == questions
    open_tab(qtbot, window, "Consent")
    statements = [s.text for s in window.pack.consent_statements]
    choose_row(qtbot, window.statement_list, 0)
    click(qtbot, window.statement_list.remove_button)
    assert len(window.pack.consent_statements) == len(statements) - 1
    open_tab(qtbot, window, "Slides")
    click(qtbot, window.undo_button)
    assert window.tabs.currentIndex() == 2, "undo shows what it brought back"
    assert [s.text for s in window.pack.consent_statements] == statements
    qtbot.waitUntil(lambda: not window._dirty)
    assert [s.text for s in _draft(database).pack.consent_statements] == statements


def test_every_bundled_slide_reads_back_as_the_same_markup(qtbot: QtBot) -> None:
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from ui.admin.slide_text_field import SlideTextField

    field = SlideTextField()
    qtbot.addWidget(field)
    pack = load_pack(bundled_pack_dir())
    texts = [slide.text for slide in pack.slides]
    for words in pack.translations.values():
        texts += [
            text
            for key, text in words.items()
            if key.startswith("slide.") and key.endswith(".text")
        ]
    for text in texts:
        field.set_markup(text)
        assert field.markup() == text
