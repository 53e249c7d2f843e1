"""The signature pad: strokes from mouse and touch, clearing, painting, and the domain hand-off."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QScrollPrepareEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.signature import Point
from ui.visit_walk import draw_with_mouse, draw_with_touch, touch_screen
from ui.widgets.signature_pad import SignaturePad

ZIGZAG = [(60, 150), (100, 90), (140, 160), (180, 80), (220, 150), (260, 100)]
LOOP = [(330, 120), (360, 90), (390, 120), (360, 150), (335, 125)]
Draw = Callable[[QWidget, list[tuple[int, int]]], None]
# Mouse points arrive exactly; touch points may be a couple of pixels off on some platforms.
TOLERANCE = 3.0


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 240)
    with qtbot.waitExposed(pad):
        pad.show()
    return pad


@pytest.fixture
def host_window(qtbot: QtBot) -> QWidget:
    """A window with room around its content, as a screen has (pytest holds it alive)."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(40, 70, 40, 40)
    window.resize(700, 400)
    return window


@pytest.fixture
def embedded_pad(qtbot: QtBot, host_window: QWidget) -> SignaturePad:
    """A pad inside a window, away from its top-left corner, as on the consent screen."""
    layout = host_window.layout()
    assert layout is not None
    pad = SignaturePad()
    layout.addWidget(pad)
    with qtbot.waitExposed(host_window):
        host_window.show()
    return pad


def assert_follows(stroke: tuple[Point, ...], drawn: list[tuple[int, int]]) -> None:
    """The stroke has one point per drawn point, each within TOLERANCE of it."""
    assert len(stroke) == len(drawn), stroke
    for (x, y), (dx, dy) in zip(stroke, drawn, strict=True):
        assert math.dist((x, y), (dx, dy)) <= TOLERANCE, (stroke, drawn)


def fingers(pad: SignaturePad) -> QTest.QTouchEventSequence:
    """One frame of touch input on the pad: chain press/move/release, then commit()."""
    return QTest.touchEvent(pad, touch_screen())


def test_a_mouse_drag_is_one_stroke_along_the_drawn_points(qtbot: QtBot, pad: SignaturePad) -> None:
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw_with_mouse(pad, ZIGZAG)

    signature = pad.signature()
    assert not signature.is_empty
    assert not pad.is_empty
    assert len(signature.strokes) == 1
    assert_follows(signature.strokes[0], ZIGZAG)


@pytest.mark.parametrize("where", ["top-level", "inside a window"])
def test_a_finger_drag_is_one_stroke_along_the_drawn_points(
    qtbot: QtBot, request: pytest.FixtureRequest, where: str
) -> None:
    pad: SignaturePad = request.getfixturevalue("pad" if where == "top-level" else "embedded_pad")
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw_with_touch(pad, ZIGZAG)

    signature = pad.signature()
    assert not signature.is_empty
    # Exactly one: Qt must not also turn the touch into mouse events (a second stroke).
    assert len(signature.strokes) == 1
    assert_follows(signature.strokes[0], ZIGZAG)


@pytest.mark.parametrize("draw", [draw_with_mouse, draw_with_touch], ids=["mouse", "touch"])
def test_a_single_tap_is_not_a_signature(qtbot: QtBot, pad: SignaturePad, draw: Draw) -> None:
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw(pad, [(200, 120)])

    assert pad.is_empty
    assert pad.signature().is_empty
    assert pad.signature().strokes == (((200.0, 120.0),),)


def test_clear_empties_the_pad_and_says_so(qtbot: QtBot, pad: SignaturePad) -> None:
    draw_with_mouse(pad, ZIGZAG)
    assert not pad.is_empty

    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.clear()

    assert pad.is_empty
    assert pad.signature().strokes == ()


def test_a_finger_still_down_after_clear_draws_nothing_more(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    a, b, c = (QPoint(x, y) for x, y in ZIGZAG[:3])
    fingers(pad).press(0, a, pad).commit()
    fingers(pad).move(0, b, pad).commit()
    pad.clear()
    with qtbot.assertNotEmitted(pad.changed):
        fingers(pad).move(0, c, pad).commit()
        fingers(pad).release(0, c, pad).commit()

    assert pad.signature().strokes == ()


def test_two_drags_are_two_strokes(qtbot: QtBot, pad: SignaturePad) -> None:
    draw_with_mouse(pad, ZIGZAG)
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw_with_touch(pad, LOOP)

    strokes = pad.signature().strokes
    assert len(strokes) == 2
    assert_follows(strokes[0], ZIGZAG)
    assert_follows(strokes[1], LOOP)


def test_a_second_finger_on_the_pad_does_not_draw(qtbot: QtBot, pad: SignaturePad) -> None:
    a, b, c, d = (QPoint(x, y) for x, y in ZIGZAG[:4])
    palm, palm_moved = QPoint(500, 40), QPoint(520, 60)
    # Touch ids are arbitrary; the palm's lower id puts it first in the event's points.
    pen, other = 7, 2
    fingers(pad).press(pen, a, pad).commit()
    fingers(pad).move(pen, b, pad).press(other, palm, pad).commit()
    fingers(pad).move(pen, c, pad).move(other, palm_moved, pad).commit()
    fingers(pad).move(pen, d, pad).release(other, palm_moved, pad).commit()
    fingers(pad).release(pen, d, pad).commit()

    strokes = pad.signature().strokes
    assert len(strokes) == 1
    assert_follows(strokes[0], ZIGZAG[:4])


def test_the_stroke_ends_when_its_own_finger_lifts(qtbot: QtBot, pad: SignaturePad) -> None:
    a, b, c = (QPoint(x, y) for x, y in ZIGZAG[:3])
    palm, palm_moved = QPoint(500, 40), QPoint(520, 60)
    fingers(pad).press(0, a, pad).press(1, palm, pad).commit()
    fingers(pad).move(0, b, pad).stationary(1).commit()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        fingers(pad).release(0, c, pad).stationary(1).commit()
    fingers(pad).move(1, palm_moved, pad).commit()
    fingers(pad).release(1, palm_moved, pad).commit()

    strokes = pad.signature().strokes
    assert len(strokes) == 1
    assert_follows(strokes[0], ZIGZAG[:3])


# QTest says so when a widget leaves its mouse events unaccepted: a disabled pad does.
@pytest.mark.qt_log_ignore('^Mouse event "Mouse(Press|Move|Release)" not accepted by receiving')
@pytest.mark.parametrize("draw", [draw_with_mouse, draw_with_touch], ids=["mouse", "touch"])
def test_a_disabled_pad_takes_no_ink(qtbot: QtBot, pad: SignaturePad, draw: Draw) -> None:
    pad.setEnabled(False)

    with qtbot.assertNotEmitted(pad.changed):
        draw(pad, ZIGZAG)

    assert pad.signature().strokes == ()


def test_disabling_the_pad_mid_drag_keeps_what_was_drawn(qtbot: QtBot, pad: SignaturePad) -> None:
    a, b, c = (QPoint(x, y) for x, y in ZIGZAG[:3])
    fingers(pad).press(0, a, pad).commit()
    fingers(pad).move(0, b, pad).commit()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.setEnabled(False)
    fingers(pad).move(0, c, pad).commit()
    fingers(pad).release(0, c, pad).commit()
    pad.setEnabled(True)
    draw_with_mouse(pad, LOOP)

    strokes = pad.signature().strokes
    assert len(strokes) == 2
    assert_follows(strokes[0], ZIGZAG[:2])
    assert_follows(strokes[1], LOOP)


def test_a_touch_scroller_does_not_start_a_flick_on_the_pad(qtbot: QtBot) -> None:
    # A page that scrolls by touch, as the patient screens do, with the pad below a heading.
    scroll = QScrollArea()
    qtbot.addWidget(scroll)
    scroll.setWidgetResizable(True)
    QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    page = QWidget()
    layout = QVBoxLayout(page)
    heading = QLabel("Consent")
    heading.setMinimumHeight(300)
    layout.addWidget(heading)
    pad = SignaturePad()
    layout.addWidget(pad)
    scroll.setWidget(page)
    scroll.resize(600, 400)
    with qtbot.waitExposed(scroll):
        scroll.show()
    viewport = scroll.viewport()

    def scroller_may_start_at(widget: QWidget) -> bool:
        # What QScroller asks before a flick: it scrolls only if the event comes back accepted.
        prepare = QScrollPrepareEvent(QPointF(widget.mapTo(viewport, QPoint(50, 50))))
        prepare.ignore()
        QApplication.sendEvent(viewport, prepare)
        return prepare.isAccepted()

    assert scroller_may_start_at(heading)
    assert not scroller_may_start_at(pad)
    pad.setEnabled(False)
    assert scroller_may_start_at(pad)


def test_a_drag_past_the_edge_stays_on_the_pad(qtbot: QtBot, pad: SignaturePad) -> None:
    draw_with_mouse(pad, [(500, 100), (580, 60), (650, -30)])

    (stroke,) = pad.signature().strokes
    assert len(stroke) == 3
    assert all(0 <= x <= pad.width() and 0 <= y <= pad.height() for x, y in stroke)
    assert stroke[-1] == (float(pad.width()), 0.0)


def test_the_signature_carries_the_pads_size(qtbot: QtBot, pad: SignaturePad) -> None:
    pad.resize(640, 260)
    draw_with_mouse(pad, ZIGZAG)

    signature = pad.signature()
    assert (signature.width, signature.height) == (640, 260)


def test_the_ink_shows_on_the_pad(qtbot: QtBot, pad: SignaturePad) -> None:
    on_the_line = QPoint(80, 120)  # halfway between the first two points of ZIGZAG
    far_away = QPoint(540, 30)
    before = pad.grab().toImage()
    assert before.pixelColor(on_the_line).lightness() > 230

    draw_with_mouse(pad, ZIGZAG)

    image = pad.grab().toImage()
    assert image.devicePixelRatio() == 1
    assert image.pixelColor(on_the_line).lightness() < 100
    assert image.pixelColor(far_away).lightness() > 230


def test_the_signature_png_is_a_png_of_the_pads_size(qtbot: QtBot, pad: SignaturePad) -> None:
    draw_with_mouse(pad, ZIGZAG)

    png = pad.signature().png()

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (pad.width(), pad.height())


def test_the_pad_is_named_for_styling_and_screen_readers(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)

    assert pad.objectName() == "signaturePad"
    assert "signature" in pad.accessibleName().lower()
    assert pad.minimumHeight() == 220
    assert pad.is_empty
