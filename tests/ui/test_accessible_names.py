"""A screen-reader user finds every control by a meaningful name, in English and Spanish."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.settings import Settings
from kiosk.store import Database
from tests.ui.screen_tour import tour
from ui.kiosk_window import KioskWindow
from ui.widgets.signature_pad import SignaturePad

INTERACTIVE = (QAbstractButton, QLineEdit, SignaturePad)


def unnamed_controls(screen: QWidget) -> list[str]:
    """Visible controls a screen reader would announce without a name (or by a symbol)."""
    found = []
    for widget in screen.window().findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name).strip() if interface else ""
        # A name must be words: "⌫" or "›" alone says nothing when read aloud.
        if not any(character.isalnum() for character in name):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} named {name!r}")
    return found


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
def test_every_control_on_every_screen_has_a_name(
    qtbot: QtBot, database: Database, settings: Settings, language: str
) -> None:
    window = KioskWindow(database, settings, station="t")
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    problems = {name: unnamed_controls(screen) for name, screen in tour(window, language)}
    problems = {name: found for name, found in problems.items() if found}
    assert problems == {}


def test_the_check_catches_a_button_named_only_by_a_symbol(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    screen = QWidget()
    qtbot.addWidget(screen)
    layout = QVBoxLayout(screen)
    symbol, named = QPushButton("⌫"), QPushButton("⌫")
    named.setAccessibleName("Backspace")
    layout.addWidget(symbol)
    layout.addWidget(named)
    screen.show()
    assert unnamed_controls(screen) == ["QPushButton '' named '⌫'"]
