"""The keyboard's keys are drawn once per look and then painted from pictures kept:
what a patient sees must still be what the key looks like now, in its style, case and
state, whichever other keyboard drew its keys first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.patient_display import PatientDisplay, kiosk_style
from ui.widgets.on_screen_keyboard import KEY_PICTURES, OnScreenKeyboard

_WINDOWS: list[QWidget] = []


def keyboard_window(qtbot: QtBot, style: str) -> OnScreenKeyboard:
    """A window with the kiosk's patient page, a field and the keyboard, in `style`."""
    window = QWidget()
    qtbot.addWidget(window)
    _WINDOWS.append(window)  # qtbot only closes it
    window.setStyleSheet(style)
    page = QWidget(window)
    page.setObjectName("patientScreen")
    layout = QVBoxLayout(page)
    field = QLineEdit()
    keyboard = OnScreenKeyboard()
    layout.addWidget(field)
    layout.addWidget(keyboard)
    keyboard.set_target(field)
    page.resize(1080, 700)
    window.resize(1080, 700)
    window.show()
    qtbot.waitExposed(window)
    return keyboard


def looks(key: QPushButton) -> QImage:
    """The key as it is painted on screen now."""
    return key.grab().toImage()


def drawn_afresh(key: QPushButton) -> QImage:
    """The key as it looks drawn from nothing (no picture kept from before)."""
    KEY_PICTURES.clear()
    return looks(key)


@pytest.fixture(autouse=True)
def no_pictures_kept() -> Iterator[None]:
    KEY_PICTURES.clear()
    yield
    KEY_PICTURES.clear()
    _WINDOWS.clear()


def test_a_key_in_high_contrast_never_shows_a_picture_from_the_usual_look(
    qtbot: QtBot,
) -> None:
    usual = keyboard_window(qtbot, kiosk_style())
    contrast = keyboard_window(qtbot, PatientDisplay(high_contrast=True).style_sheet())
    usual_q = usual.key("Q")
    contrast_q = contrast.key("Q")
    assert usual_q.size() == contrast_q.size()

    usual_look = looks(usual_q)  # drawn, and kept
    contrast_look = looks(contrast_q)

    assert contrast_look != usual_look
    assert contrast_look == drawn_afresh(contrast_q)
    assert looks(usual_q) == drawn_afresh(usual_q)


def test_the_same_keyboard_changed_to_high_contrast_draws_its_keys_again(
    qtbot: QtBot,
) -> None:
    keyboard = keyboard_window(qtbot, kiosk_style())
    before = looks(keyboard.key("Q"))

    keyboard.window().setStyleSheet(PatientDisplay(high_contrast=True).style_sheet())

    after = looks(keyboard.key("Q"))
    assert after != before
    assert after == drawn_afresh(keyboard.key("Q"))


def test_a_key_shows_the_case_it_types_and_its_pressed_look(qtbot: QtBot) -> None:
    keyboard = keyboard_window(qtbot, kiosk_style())
    capital = looks(keyboard.key("Q"))  # an empty field: a capital comes first
    QTest.mouseClick(keyboard.key("Q"), Qt.MouseButton.LeftButton)

    small = looks(keyboard.key("q"))
    assert small != capital
    assert small == drawn_afresh(keyboard.key("q"))

    key = keyboard.key("w")
    QTest.mousePress(key, Qt.MouseButton.LeftButton)
    pressed = looks(key)
    QTest.mouseRelease(key, Qt.MouseButton.LeftButton)
    assert pressed != looks(key)
    QTest.mousePress(key, Qt.MouseButton.LeftButton)
    assert pressed == drawn_afresh(key)
    QTest.mouseRelease(key, Qt.MouseButton.LeftButton)


def test_larger_text_draws_the_keys_again(qtbot: QtBot) -> None:
    keyboard = keyboard_window(qtbot, kiosk_style())
    before = looks(keyboard.key("Q"))

    keyboard.window().setStyleSheet(PatientDisplay(text_size=1.5).style_sheet())

    after = looks(keyboard.key("Q"))
    assert after != before
    assert after == drawn_afresh(keyboard.key("Q"))
