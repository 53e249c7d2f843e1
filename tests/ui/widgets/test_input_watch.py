"""The application's one input watch: listeners hear taps anywhere, may stop one, and a
closed window's listener is forgotten."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.input_watch import Listening, input_watch


class _Ear(QObject):
    def __init__(self, *, swallow: bool = False) -> None:
        super().__init__()
        self.heard: list[QEvent.Type] = []
        self.swallow = swallow
        self.listening = Listening({QEvent.Type.MouseButtonPress}, self.hear)

    def hear(self, _watched: QObject, event: QEvent) -> bool:
        self.heard.append(event.type())
        return self.swallow


def _window_with_a_button(qtbot: QtBot) -> tuple[QWidget, QPushButton, list[bool]]:
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Next", window)
    QVBoxLayout(window).addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    window.show()
    qtbot.waitExposed(window)
    return window, button, clicks


def test_a_listener_hears_a_tap_on_any_widget_and_only_what_it_asked_for(
    qtbot: QtBot,
) -> None:
    _window, button, clicks = _window_with_a_button(qtbot)
    ear = _Ear()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [True]
    # The press, not the release nor the paints that followed.
    assert ear.heard == [QEvent.Type.MouseButtonPress]
    ear.listening.stop()


def test_a_listener_that_says_so_stops_the_tap_before_the_button_sees_it(
    qtbot: QtBot,
) -> None:
    _window, button, clicks = _window_with_a_button(qtbot)
    ear = _Ear(swallow=True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [], "the button never saw the press"
    ear.listening.stop()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [True], "once stopped, the listener stops nothing"


def test_listening_keeps_nobody_alive_and_the_gone_are_forgotten(qtbot: QtBot) -> None:
    _window, button, clicks = _window_with_a_button(qtbot)
    ear = _Ear(swallow=True)
    gone = weakref.ref(ear)
    del ear
    gc.collect()
    assert gone() is None, "the watch held its listener alive"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [True], "a listener that is gone stops nothing"
    watch = input_watch()
    assert watch is not None
    assert watch is input_watch(), "one watch per application"
