"""A screen-reader user finds every control by a meaningful name and description.

The name says what a control is ("Next"); the description says what tapping it does
("Shows the next page"). Both are read out, in the visit's language.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from ui.kiosk_window import KioskWindow
from ui.screen_tour import tour
from ui.visit_walk import button
from ui.widgets.signature_pad import SignaturePad

INTERACTIVE = (QAbstractButton, QLineEdit, SignaturePad)


def unnamed_controls(screen: QWidget) -> list[str]:
    """Visible controls a screen reader would announce without a name (or by a symbol)."""
    return controls_missing(screen, QAccessible.Text.Name)


def undescribed_controls(screen: QWidget) -> list[str]:
    """Visible controls a screen reader would announce without saying what they do."""
    return controls_missing(screen, QAccessible.Text.Description)


def controls_missing(screen: QWidget, kind: QAccessible.Text) -> list[str]:
    found = []
    for widget in screen.window().findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name).strip() if interface else ""
        said = interface.text(kind).strip() if interface else ""
        # It must be words: "⌫" or "›" alone says nothing when read aloud.
        if not any(character.isalpha() for character in said):
            found.append(f"{type(widget).__name__} {widget.objectName()!r} {name!r}: {said!r}")
    return found


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
def test_every_control_on_every_screen_has_a_name(
    qtbot: QtBot, database: Database, settings: Settings, language: str
) -> None:
    window = KioskWindow(Station(database, "t"), settings)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    problems = {name: unnamed_controls(screen) for name, screen in tour(window, language)}
    problems = {name: found for name, found in problems.items() if found}
    assert problems == {}


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
def test_every_control_on_every_screen_says_what_it_does(
    qtbot: QtBot, database: Database, settings: Settings, language: str
) -> None:
    # With the typed signature allowed, the tour goes through its field and keys too.
    typed = dataclasses.replace(settings, typed_signature=True)
    window = KioskWindow(Station(database, "t"), typed)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    problems = {name: undescribed_controls(screen) for name, screen in tour(window, language)}
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
    assert unnamed_controls(screen) == ["QPushButton '' '⌫': '⌫'"]


def test_the_check_catches_a_button_that_does_not_say_what_it_does(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    screen = QWidget()
    qtbot.addWidget(screen)
    layout = QVBoxLayout(screen)
    silent, described = QPushButton("Next"), QPushButton("Next")
    described.setAccessibleDescription("Shows the next page.")
    layout.addWidget(silent)
    layout.addWidget(described)
    screen.show()
    assert undescribed_controls(screen) == ["QPushButton '' 'Next': ''"]


def test_each_language_button_says_what_it_does_in_its_own_language(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = KioskWindow(Station(database, "t"), settings)
    qtbot.addWidget(window)
    window.show()
    spanish = button(window.welcome, "Español")
    assert spanish.accessibleDescription() == "Muestra todas las páginas en español."
    qtbot.mouseClick(spanish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: button(window.welcome, "English").isVisible())
    english = button(window.welcome, "English")
    assert english.accessibleDescription() == "Shows every page in English."
    # Everything else on Welcome is in Spanish now.
    assert window.welcome.start_button.accessibleDescription() == "Comienza su registro."
