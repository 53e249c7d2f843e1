"""A patient's hands: find what is on screen and tap it, as a person would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.drawing import draw_with_touch
from tests.ui.keyboard_typing import tap_text
from ui.kiosk_window import KioskWindow


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    """Buttons a person can see right now."""
    return [b for b in root.findChildren(QAbstractButton) if b.isVisible()]


def button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible button whose label (or accessible name) is `text`."""
    found = [b for b in visible_buttons(root) if text in (b.text(), b.accessibleName())]
    assert len(found) == 1, f"expected one visible button {text!r}, found {len(found)}"
    return found[0]


def tap(qtbot: QtBot, root: QWidget, text: str) -> None:
    """Tap a visible, enabled button by its label."""
    target = button(root, text)
    assert target.isEnabled(), f"{text!r} is disabled"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def current(window: KioskWindow) -> QWidget:
    """The screen on show."""
    widget = window.stack.currentWidget()
    assert widget is not None
    return widget


def fill(qtbot: QtBot, window: KioskWindow, field_name: str, text: str) -> None:
    """Tap a field, then type into it on the on-screen keyboard."""
    screen = current(window)
    field = screen.findChild(QLineEdit, f"{field_name}Field")
    assert field is not None, f"no field {field_name} on {screen}"
    assert field.isVisible(), f"{field_name} is not visible on {screen}"
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    keyboard = screen.keyboard  # type: ignore[attr-defined]
    tap_text(qtbot, keyboard, text)
    assert field.text() == text, f"typed {text!r}, the field shows {field.text()!r}"


def sign(qtbot: QtBot, window: KioskWindow) -> None:
    """Draw a signature with a finger on the consent screen's pad."""
    pad = current(window).pad  # type: ignore[attr-defined]
    draw_with_touch(qtbot, pad, [(60, 120), (120, 80), (180, 150), (260, 90), (340, 140)])


def complete_visit(
    qtbot: QtBot,
    window: KioskWindow,
    *,
    first: str = "Ana",
    last: str = "García",
    born: str = "04/15/1968",
    answers: dict[int, str] | None = None,
    ride: tuple[str, str, str] | None = ("Luis", "(555) 201-3344", "husband"),
    talk_first: bool = False,
) -> None:
    """Tap through a whole visit from Welcome; `answers` maps question number to a label."""
    tap(qtbot, current(window), "Start")
    fill(qtbot, window, "first_name", first)
    fill(qtbot, window, "last_name", last)
    fill(qtbot, window, "birth_date", born)
    tap(qtbot, current(window), "Continue")
    assert window.visit is not None
    for _ in window.visit.content.slides:
        tap(qtbot, current(window), "Next")
    for number in range(1, len(window.visit.content.questions) + 1):
        choice = (answers or {}).get(number, "No")
        tap(qtbot, current(window), choice)
        if choice != "No":
            calm = current(window).calm_message  # type: ignore[attr-defined]
            assert calm.isVisible()
            assert "talk with you" in calm.text()
            tap(qtbot, current(window), "Continue")
    tap(qtbot, current(window), "I confirm these answers are correct")
    if talk_first:
        tap(qtbot, current(window), "I'd like to talk to someone first")
        return
    consent_and_ride_home(qtbot, window, ride=ride)


def consent_and_ride_home(
    qtbot: QtBot,
    window: KioskWindow,
    *,
    ride: tuple[str, str, str] | None = ("Luis", "(555) 201-3344", "husband"),
    on_paper: bool = False,
) -> None:
    """From the consent screen: acknowledge every statement, sign (with a finger, or
    "Signed on paper" at the desk), then say who drives home (or that nobody does yet)."""
    assert window.visit is not None
    for statement in window.visit.content.consent_statements:
        tap(qtbot, current(window), statement.text)
    if on_paper:
        tap(qtbot, current(window), "Signed on paper")
    else:
        sign(qtbot, window)
        tap(qtbot, current(window), "Sign and continue")
    if ride is None:
        tap(qtbot, current(window), "I don't have a ride yet")
        return
    fill(qtbot, window, "driver_name", ride[0])
    fill(qtbot, window, "phone", ride[1])
    fill(qtbot, window, "relationship", ride[2])
    tap(qtbot, current(window), "Continue")


def reach_consent(qtbot: QtBot, window: KioskWindow, first: str, last: str, born: str) -> None:
    """From Welcome to the consent screen: details typed, every slide, every answer No."""
    tap(qtbot, current(window), "Start")
    fill(qtbot, window, "first_name", first)
    fill(qtbot, window, "last_name", last)
    fill(qtbot, window, "birth_date", born)
    tap(qtbot, current(window), "Continue")
    assert window.visit is not None
    for _ in window.visit.content.slides:
        tap(qtbot, current(window), "Next")
    for _ in window.visit.content.questions:
        tap(qtbot, current(window), "No")
    tap(qtbot, current(window), "I confirm these answers are correct")
