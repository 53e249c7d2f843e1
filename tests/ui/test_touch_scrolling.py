"""A finger flicks a patient screen's body, and building screen after screen costs no memory."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from ui.visit_walk import touch_screen
from ui.widgets.touch_scrolling import scroll_by_touch


def _long_page(qtbot: QtBot) -> QScrollArea:
    area = QScrollArea()
    qtbot.addWidget(area)
    page = QLabel("A long slide")
    page.setMinimumSize(400, 3000)
    area.setWidget(page)
    area.resize(500, 600)
    with qtbot.waitExposed(area):
        area.show()
    return area


def _flick_up(area: QScrollArea) -> None:
    viewport = area.viewport()
    device = touch_screen()
    QTest.touchEvent(viewport, device).press(0, QPoint(250, 500), viewport).commit()
    for y in range(480, 80, -20):
        QTest.qWait(10)
        QTest.touchEvent(viewport, device).move(0, QPoint(250, y), viewport).commit()
    QTest.touchEvent(viewport, device).release(0, QPoint(250, 80), viewport).commit()


@pytest.mark.parametrize("screens_before", [0, 3])
def test_a_finger_flick_scrolls_the_body(qtbot: QtBot, screens_before: int) -> None:
    for _ in range(screens_before):  # earlier screens, already gone, shared the gesture
        gone = QScrollArea()
        scroll_by_touch(gone.viewport())
        gone.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    area = _long_page(qtbot)
    scroll_by_touch(area.viewport())
    _flick_up(area)
    qtbot.waitUntil(lambda: area.verticalScrollBar().value() > 200, timeout=3000)


def test_screen_after_screen_registers_no_new_gesture(qtbot: QtBot) -> None:
    def build_and_drop() -> None:
        area = QScrollArea()
        scroll_by_touch(area.viewport())
        area.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

    build_and_drop()
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(50):
        build_and_drop()
    gc.collect()
    # QScroller.grabGesture on each would leave a new recognizer and enum member each time.
    assert len(gc.get_objects()) - before < 50
