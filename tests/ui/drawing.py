"""Sign on a widget the way a person does: drag with the mouse, or with a finger.

Both helpers send real input events through Qt (QTest), so they exercise the widget's
event handling rather than poking its internals. Points are in the widget's own
coordinates; each call draws one stroke and returns once the widget has handled it.

The widget must be shown (`qtbot.addWidget(pad)`, then `pad.show()` or show its window),
and the first point must be on a visible part of it and, for touch, on the screen; the
helpers fail with an explanation otherwise, since Qt would send the input elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QInputDevice, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

_touch_screen: QPointingDevice | None = None


def touch_screen() -> QPointingDevice:
    """The test touch screen, registered once per process (Qt keeps every device)."""
    global _touch_screen  # noqa: PLW0603
    if _touch_screen is None:
        _touch_screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    return _touch_screen


def draw_with_mouse(qtbot: QtBot, pad: QWidget, points: list[tuple[int, int]]) -> None:
    """Press the left button at the first point, drag through the rest, release at the last."""
    _check_can_draw(qtbot, pad, points)
    first, *rest = [QPoint(x, y) for x, y in points]
    no_modifier = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, no_modifier, first)
    # Qt 6's QTest remembers the pressed button, so these moves arrive with buttons() ==
    # LeftButton, as a real drag does (tests/ui/test_signature_pad.py checks it).
    for point in rest:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, no_modifier, rest[-1] if rest else first)


def draw_with_touch(qtbot: QtBot, pad: QWidget, points: list[tuple[int, int]]) -> None:
    """Put one finger down at the first point, slide it through the rest, lift at the last."""
    _check_can_draw(qtbot, pad, points)
    on_screen = pad.mapToGlobal(QPoint(*points[0]))
    # Seen under offscreen: a touch that starts off every screen (offscreen's is 800 × 800
    # unless configured) on a widget inside a window never arrives; the mouse still does.
    assert QGuiApplication.screenAt(on_screen) is not None, (
        f"the touch would start at {on_screen.toTuple()} on the desktop, off every screen "
        f"({[screen.geometry().getRect() for screen in QGuiApplication.screens()]}): "
        "make the window fit the screen or scroll the widget up"
    )
    device = touch_screen()
    first, *rest = [QPoint(x, y) for x, y in points]
    # Passing `pad` to press/move/release matters: without it PySide picks the QWindow
    # overload and reads the point as screen coordinates, which is 2 px off (the offscreen
    # window's frame) for a top-level pad and far off for a pad inside a screen.
    QTest.touchEvent(pad, device).press(0, first, pad).commit()
    for point in rest:
        QTest.touchEvent(pad, device).move(0, point, pad).commit()
    QTest.touchEvent(pad, device).release(0, rest[-1] if rest else first, pad).commit()


def _check_can_draw(qtbot: QtBot, pad: QWidget, points: list[tuple[int, int]]) -> None:
    # Qt routes test input like real input: a stroke that starts where the widget cannot
    # be touched goes to another widget, or nowhere, without a word. Fail loudly instead.
    assert points, "a stroke needs at least one point"
    assert pad.isVisible(), "show the widget before drawing on it"
    # Nothing to do inside: leaving the block waits until the window is exposed (at once
    # when it already is), and fails the test if it never gets there.
    with qtbot.waitExposed(pad.window()):
        pass
    start = QPoint(*points[0])
    assert pad.visibleRegion().contains(start), (
        f"{start.toTuple()} is not in the visible part of {pad.objectName() or pad}: "
        "scroll it into view, or make the window big enough to show it"
    )
