"""The editor holds content to the limits a pack has, and says so in a plain sentence.

What an admin types or pastes past a limit does not go in; a full list takes no more
items; a picture file too big for a pack is refused before it is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.actor import Actor
from kiosk.content import ConsentStatement, Slide
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.visit import utc_now
from tests.ui.admin.editor import choose_row, click, confirmations, open_editor
from ui.admin.admin_window import AdminWindow
from ui.admin.picture_file_dialog import PictureFileDialog


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def _paste_at_the_end(qtbot: QtBot, field: QPlainTextEdit | QTextEdit, text: str) -> None:
    """Copy `text`, click into the field, go to its end and press Ctrl+V."""
    QApplication.clipboard().setText(text)
    qtbot.mouseClick(field.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _saved_draft(database: Database) -> publishing.Draft:
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None, "no draft was saved"
    return draft


def test_a_pasted_slide_text_stops_at_4000_characters_and_says_so(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 1)
    editor = window.slide_editor
    before = editor.text_field.markup()
    assert not editor.text_limit.isVisible()
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        _paste_at_the_end(qtbot, editor.text_field, "A very long leaflet. " * 500)
    # The limit counts the text as the pack keeps it, markup and all.
    assert len(editor.text_field.markup()) == 4000
    assert editor.text_field.markup().startswith(before + "A very long leaflet.")
    assert editor.text_limit.isVisible()
    assert editor.text_limit.text() == (
        "A slide's text can be at most 4,000 characters; what went past that was not added."
    )
    assert len(_saved_draft(database).pack.slides[1].text) == 4000

    # Deleting a word makes room again, and the sentence goes.
    qtbot.keyClick(editor.text_field, Qt.Key.Key_Backspace)
    assert not editor.text_limit.isVisible()


def test_a_title_stops_at_120_characters(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    editor = window.slide_editor
    choose_row(qtbot, window.slide_list, 0)
    qtbot.keyClick(editor.title_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.title_field, "Welcome " * 20)
    assert len(editor.title_field.text()) == 120
    assert editor.title_limit.isVisible()
    assert editor.title_limit.text() == "A title can be at most 120 characters."
    assert len(window.pack.slides[0].title) == 120


def test_a_pasted_consent_statement_stops_at_its_limit(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(2)
    editor = window.consent_editor
    choose_row(qtbot, window.statement_list, 0)
    _paste_at_the_end(qtbot, editor.statement_field, " I agree." * 200)
    assert len(editor.statement_field.toPlainText()) == 1000
    assert editor.statement_limit.isVisible()
    assert len(window.pack.consent_statements[0].text) == 1000


def test_more_than_20_choices_are_not_kept(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    editor = window.question_editor
    choose_row(qtbot, window.question_list, len(window.pack.questions) - 1)
    click(qtbot, window.question_list.add_button)
    editor.kind_choice.setCurrentIndex(editor.kind_choice.findText("One choice from a list"))
    qtbot.keyClicks(editor.text_field, "Which day suits you?")
    _paste_at_the_end(qtbot, editor.choices_field, "\n".join(f"Day {n}" for n in range(1, 32)))
    assert editor.choices_limit.isVisible()
    assert editor.choices_limit.text() == (
        "A question can have at most 20 choices of at most 120 characters each; "
        "only those are kept."
    )
    question = window.pack.questions[-1]
    assert [choice.text for choice in question.choices] == [f"Day {n}" for n in range(1, 21)]
    assert editor.flag_choices.count() == 20


def _draft_with_slides(database: Database, count: int) -> None:
    now = utc_now()
    with database.session() as session, session.begin():
        pack = content_in_use(session, None, now)[1]
        slides = tuple(Slide(f"slide-{n}", f"Slide {n}", "Some words.") for n in range(count))
        publishing.save_draft(
            session,
            replace(pack, slides=slides, translations={}),
            by=Actor.staff_named("ines", station="desk-1", now=now),
        )


def test_a_full_list_of_slides_takes_no_more_and_says_why(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmations(monkeypatch, True)
    _draft_with_slides(database, 60)
    window = open_editor(qtbot, database, settings)
    listing = window.slide_list
    choose_row(qtbot, listing, 3)
    assert not listing.add_button.isEnabled()
    assert not listing.duplicate_button.isEnabled()
    assert listing.full_note.isVisible()
    assert listing.full_note.text() == "The content can have at most 60 slides."
    click(qtbot, listing.remove_button)
    assert len(window.pack.slides) == 59
    assert listing.add_button.isEnabled()
    assert not listing.full_note.isVisible()
    click(qtbot, listing.duplicate_button)
    assert len(window.pack.slides) == 60
    assert not listing.add_button.isEnabled()


def test_a_full_list_of_statements_says_why(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(2)
    listing = window.statement_list
    count = len(window.pack.consent_statements)
    for _ in range(30 - count):
        click(qtbot, listing.add_button)
    assert len(window.pack.consent_statements) == 30
    assert not listing.add_button.isEnabled()
    assert listing.full_note.text() == "The content can have at most 30 consent statements."
    assert listing.full_note.isVisible()
    assert isinstance(window.pack.consent_statements[-1], ConsentStatement)


# --- a picture file too big to read ------------------------------------------------------------


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize")


@pytest.fixture
def little_memory_to_spare() -> Iterator[None]:
    """Half a gigabyte more memory than the test already has: a 1 GB file cannot fit.

    A file read into memory fails at once (MemoryError) instead of filling the machine.
    """
    resource = pytest.importorskip("resource", reason="memory limits need a POSIX system")
    if not Path("/proc/self/status").exists():
        pytest.skip("the process's size is read from /proc")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + 512 * 1024 * 1024, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _gigabyte_file(path: Path) -> Path:
    with path.open("wb") as file:
        file.truncate(1024 * 1024 * 1024)  # sparse: no disk space used
    return path


@pytest.mark.usefixtures("little_memory_to_spare")
def test_a_1_gb_picture_file_is_refused_without_being_read(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _gigabyte_file(tmp_path / "holiday-video.jpg")
    monkeypatch.setattr(PictureFileDialog, "ask", classmethod(lambda _cls, _parent, _title: path))
    window = open_editor(qtbot, database, settings)
    before = window.pack
    click(qtbot, window.slide_editor.choose_button)
    assert window.slide_editor.picture_problem.isVisible()
    assert window.slide_editor.picture_problem.text() == (
        "Not added: The picture 'holiday-video.jpg' is 1024 MB; pictures can be at most 10 MB "
        "— save it smaller."
    )
    window.tabs.setCurrentIndex(3)
    click(qtbot, window.clinic_editor.choose_button)
    assert window.clinic_editor.problem.isVisible()
    assert "'holiday-video.jpg' is 1024 MB" in window.clinic_editor.problem.text()
    assert window.pack == before
