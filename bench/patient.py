"""A patient's taps on the kiosk window, for the benchmarks (the tests have their own).

Every tap is a real mouse click through Qt (QTest) on the button a person would see,
so a benchmark runs the same code as a visit does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from ui.kiosk_window import KioskWindow
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard, accent_letter

PAGE_KEYS = {KeyboardPage.LETTERS: "ABC", KeyboardPage.NUMBERS: "123"}


def current(window: KioskWindow) -> QWidget:
    """The screen on show."""
    widget = window.stack.currentWidget()
    assert widget is not None
    return widget


def button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible button labelled (or accessibly named) `text`."""
    found = [
        b
        for b in root.findChildren(QAbstractButton)
        if b.isVisible() and text in (b.text(), b.accessibleName())
    ]
    if len(found) != 1:
        raise LookupError(f"expected one visible button {text!r}, found {len(found)}")
    return found[0]


def click(widget: QWidget) -> None:
    """One tap (a left click) on `widget`."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap(window: KioskWindow, text: str) -> None:
    """Tap the visible button labelled `text` on the screen on show."""
    click(button(current(window), text))


def _press(keyboard: OnScreenKeyboard, label: str) -> None:
    click(keyboard.key(label))


def _type_character(keyboard: OnScreenKeyboard, character: str) -> None:
    letter = accent_letter(character)
    if letter is not None:
        # "áéí", the letter, then its accented form (which brings the letters back).
        if keyboard.page() is not KeyboardPage.ACCENTS:
            if keyboard.page() is KeyboardPage.NUMBERS or not _has_key(keyboard, "áéí"):
                _press(keyboard, "ABC")
            _press(keyboard, "áéí")
        _press(keyboard, letter if _has_key(keyboard, letter) else letter.upper())
    else:
        if character.isdigit() or character in "/()":
            page = KeyboardPage.NUMBERS
        else:
            page = KeyboardPage.LETTERS
        showing = any(_has_key(keyboard, c) for c in {character, character.swapcase()})
        if not showing:
            _press(keyboard, PAGE_KEYS[page])
    if character.isalpha() and not _has_key(keyboard, character):
        _press(keyboard, "Shift")
    _press(keyboard, character)


def _has_key(keyboard: OnScreenKeyboard, character: str) -> bool:
    try:
        key = keyboard.key(character)
    except LookupError:
        return False
    return character in (key.text(), " ")


def fill(window: KioskWindow, field_name: str, text: str) -> None:
    """Tap a field, then type `text` on the on-screen keyboard, one key at a time."""
    screen = current(window)
    field = screen.findChild(QLineEdit, f"{field_name}Field")
    assert field is not None, f"no field {field_name}"
    click(field)
    keyboard = screen.keyboard  # type: ignore[attr-defined]
    for character in text:
        _type_character(keyboard, character)
    assert field.text() == text, (field.text(), text)


def enter_details(window: KioskWindow, first: str, last: str, born: str) -> None:
    """From Welcome: Start, then the patient's details typed, then Continue."""
    tap(window, "Start")
    fill(window, "first_name", first)
    fill(window, "last_name", last)
    fill(window, "birth_date", born)
    tap(window, "Continue")


def sign(window: KioskWindow) -> None:
    """A signature drawn with the mouse on the consent screen's pad."""
    pad = current(window).pad  # type: ignore[attr-defined]
    points = [QPoint(60, 120), QPoint(120, 80), QPoint(180, 150), QPoint(260, 90)]
    no_modifier = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, no_modifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, no_modifier, points[-1])


def complete_visit(window: KioskWindow, first: str, last: str, born: str) -> None:
    """A whole visit by taps, from Welcome back to Welcome, stored on the way."""
    enter_details(window, first, last, born)
    assert window.visit is not None
    content = window.visit.content
    for _ in content.slides:
        tap(window, "Next")
    for _ in content.questions:
        tap(window, "No")
    tap(window, "I confirm these answers are correct")
    for statement in content.consent_statements:
        tap(window, statement.text)
    sign(window)
    tap(window, "Sign and continue")
    fill(window, "driver_name", "Luis")
    fill(window, "phone", "(555) 201-3344")
    fill(window, "relationship", "husband")
    tap(window, "Continue")
    tap(window, "Finish")
    settle()
    assert window.visit is None, "the visit did not end"


def settle() -> None:
    """Let Qt do what its event loop would do between taps, including deferred deletes."""
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
