"""An admin's hands at the desk computer: mouse clicks and a hardware keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from ui.admin.admin_window import AdminWindow
from ui.admin.ordered_list import OrderedList
from ui.admin.slide_text_field import SlideTextField

ADMIN = StaffMember(3, "ines", frozenset({Role.ADMIN}))


def open_editor(qtbot: QtBot, database: Database, settings: Settings) -> AdminWindow:
    """The content editor for an admin, on a 1920 × 1080 desk monitor."""
    window = AdminWindow(Station(database, "desk-1"), settings, ADMIN)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def click(qtbot: QtBot, widget: QWidget) -> None:
    """A left click in the middle of a visible, enabled widget."""
    assert widget.isVisible(), f"{widget} is not visible"
    assert widget.isEnabled(), f"{widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box's square (a wide box's middle can be empty space)."""
    assert box.isVisible()
    assert box.isEnabled()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def choose_row(qtbot: QtBot, listing: OrderedList, row: int) -> None:
    """Click the item at `row` of a list of slides, questions or statements."""
    view = listing.items
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentRow() == row


def retype(qtbot: QtBot, field: QLineEdit | QPlainTextEdit | QTextEdit, text: str) -> None:
    """Click into a field, select all with Ctrl+A, and type `text` over it.

    A slide's rich text field shows `**` and `- ` as bold and bullets as they are typed;
    what it keeps is then the same markup.
    """
    target = field.viewport() if isinstance(field, QPlainTextEdit | QTextEdit) else field
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(field, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(field, line)
    if isinstance(field, SlideTextField):
        shown = field.markup()
    else:
        shown = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
    assert shown == text, f"typed {text!r}, the field shows {shown!r}"


def list_labels(listing: OrderedList) -> list[str]:
    """What each row of a list reads."""
    view = listing.items
    return [view.item(row).text() for row in range(view.count())]


def edit_language(window: AdminWindow, language: str) -> None:
    """Choose which language's words the tabs edit ("" for the clinic's own)."""
    choice = window.language_choice
    index = choice.findData(language)
    assert index >= 0, f"no {language!r} in the language choice"
    choice.setCurrentIndex(index)


def open_tab(qtbot: QtBot, window: AdminWindow, name: str) -> None:
    """Click the editor's tab with this name ("Slides", "Questions", "Consent", "Clinic")."""
    bar = window.tabs.tabBar()
    index = next(n for n in range(bar.count()) if bar.tabText(n) == name)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index


def click_problem(qtbot: QtBot, window: AdminWindow, starting: str) -> None:
    """Click the problem listed under Check whose words start with `starting`."""
    view = window.problems
    rows = [n for n in range(view.count()) if view.item(n).text().startswith(starting)]
    assert rows, (
        f"no problem starts {starting!r}: {[view.item(n).text() for n in range(view.count())]}"
    )
    rect = view.visualRect(view.model().index(rows[0], 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def problems_shown(window: AdminWindow) -> list[str]:
    """The problems Check lists, as the admin reads them."""
    view = window.problems
    return [view.item(n).text() for n in range(view.count())] if view.isVisible() else []


def confirmations(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[tuple[str, list[str]]]:
    """Answer the editor's "are you sure?" questions with `answer`; what was asked."""
    asked: list[tuple[str, list[str]]] = []

    def confirm(_cls: object, _parent: object, title: str, sentences: list[str], _yes: str) -> bool:
        asked.append((title, sentences))
        return answer

    monkeypatch.setattr(AdminWindow, "confirm", classmethod(confirm))
    return asked
