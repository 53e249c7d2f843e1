"""A pad the patient signs on with a finger; it hands the strokes to the domain as a Signature."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QEventPoint,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QScrollPrepareEvent,
    QShowEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QScroller, QSizePolicy, QStyle, QStyleOption, QWidget

from kiosk.overriding import override
from kiosk.signature import INK, PEN_WIDTH, Point, Signature
from ui.assistive_technology import mark_role

# The paper stays light whatever the palette: the ink is fixed dark to match the printed PNG.
PAPER = QColor(255, 255, 255)
GUIDE = QColor(150, 160, 170)
INK_COLOR = QColor(*INK)

MINIMUM_HEIGHT = 220
GUIDE_MARGIN = 32
CROSS_SIZE = 14

_TOUCH_EVENTS = frozenset(
    {
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
    }
)


class SignaturePad(QWidget):
    """A white pad with a signature line; each finger (or left-button) drag is one stroke.

    Points are kept in widget coordinates, clamped to the pad, and handed over with the
    pad's current size by `signature()`; the domain renders the PNG, not this widget.

    Signals:
        changed: a stroke was finished, or the pad was cleared.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAccessibleName(self.tr("Signature pad: draw your signature with your finger"))
        # Something to draw on, not an empty panel; its description (the consent screen's)
        # says how to sign another way.
        mark_role(self, QAccessible.Role.Canvas)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        # Tab stops here, so a keyboard or screen-reader user hears the pad's name and
        # what to do instead of drawing (its accessible description); a tap takes no focus.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(MINIMUM_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._strokes: list[list[Point]] = []
        self._current: list[Point] | None = None
        self._touch_id: int | None = None

    @property
    def is_empty(self) -> bool:
        """True while nothing that counts as a signature has been drawn."""
        return self.signature().is_empty

    def signature(self) -> Signature:
        """The strokes drawn so far, with the pad's current width and height."""
        return Signature(
            strokes=tuple(tuple(stroke) for stroke in self._strokes),
            width=self.width(),
            height=self.height(),
        )

    def clear(self) -> None:
        """Remove every stroke (including one being drawn) and repaint."""
        self._strokes.clear()
        # A finger still down after Clear is done: its later moves and lift draw nothing.
        self._current = None
        self.update()
        self.changed.emit()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        """Paper, the signature line with its ✕, then the ink."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), PAPER)
        # A plain QWidget subclass ignores QSS unless it draws PE_Widget itself; this is
        # what lets `#signaturePad` in the style sheet give it a background and border.
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        self._paint_guide(painter)
        self._paint_ink(painter)
        painter.end()

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a stroke on a left-button press."""
        if event.button() != Qt.MouseButton.LeftButton or self._touch_id is not None:
            super().mousePressEvent(event)
            return
        event.accept()
        self._begin_stroke(event.position())

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the stroke while the left button is held."""
        if not self._drawing_with_mouse() or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        event.accept()
        self._extend_stroke(event.position())

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the stroke when the left button is let go."""
        if event.button() != Qt.MouseButton.LeftButton or not self._drawing_with_mouse():
            super().mouseReleaseEvent(event)
            return
        event.accept()
        self._end_stroke(event.position())

    @override
    def event(self, event: QEvent) -> bool:
        """Draw with the first finger down; accepting touch stops Qt faking mouse events."""
        # Qt still delivers touch to a disabled widget's event(); only QWidget.event()
        # drops it, so a pad disabled until consent is given must check for itself.
        if event.type() in _TOUCH_EVENTS and isinstance(event, QTouchEvent) and self.isEnabled():
            self._handle_touch(event)
            event.accept()
            return True
        return super().event(event)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        """Watch any kinetically scrolled page the pad sits on (see eventFilter)."""
        super().showEvent(event)
        # Looked up on each show, as the pad may be put into its page after it is built;
        # installing the same filter again is harmless (Qt keeps one).
        ancestor = self.parentWidget()
        while ancestor is not None:
            if QScroller.hasScroller(ancestor):
                ancestor.installEventFilter(self)
            ancestor = ancestor.parentWidget()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stop a page's touch scroller from starting a flick on the pad."""
        # Without this, a mostly vertical stroke on a pad in a scrolling page flicks the
        # page while the patient signs. Refusing the scroller's prepare event is Qt's way
        # to say "don't scroll from here".
        if (
            event.type() == QEvent.Type.ScrollPrepare
            and isinstance(event, QScrollPrepareEvent)
            and isinstance(watched, QWidget)
            and watched.isAncestorOf(self)
            and self.isEnabled()
            and self.isVisible()
        ):
            start = self.mapFromGlobal(watched.mapToGlobal(event.startPos()))
            if QRectF(self.rect()).contains(start):
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    @override
    def changeEvent(self, event: QEvent) -> None:
        """Finish any stroke in progress when the pad is disabled mid-drag."""
        # Once disabled, the release or lift that would end the stroke never arrives.
        if event.type() == QEvent.Type.EnabledChange and not self.isEnabled():
            self._touch_id = None
            self._end_stroke(None)
        super().changeEvent(event)

    def _handle_touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TouchBegin:
            first = event.points()[0]
            self._touch_id = first.id()
            self._begin_stroke(first.position())
            return
        if kind == QEvent.Type.TouchCancel:
            self._touch_id = None
            self._cancel_stroke()
            return
        # Follow the finger that started the stroke by id, so a second finger or a resting
        # palm neither jumps the line nor ends it.
        tracked = next((p for p in event.points() if p.id() == self._touch_id), None)
        if kind == QEvent.Type.TouchEnd:
            self._touch_id = None
        if tracked is None:
            return
        if kind == QEvent.Type.TouchEnd or tracked.state() == QEventPoint.State.Released:
            self._end_stroke(tracked.position())
        else:
            self._extend_stroke(tracked.position())

    def _drawing_with_mouse(self) -> bool:
        return self._current is not None and self._touch_id is None

    def _begin_stroke(self, position: QPointF) -> None:
        # A release can be lost (the window lost the grab); keep that stroke rather than
        # silently merging it into the new one.
        self._end_stroke(None)
        point = self._clamped(position)
        self._current = [point]
        self._strokes.append(self._current)
        self._update_around(point, point)

    def _extend_stroke(self, position: QPointF) -> None:
        if self._current is None:
            return
        point = self._clamped(position)
        last = self._current[-1]
        # Repeated positions (pressure-only touch updates, a release where the last move
        # was) would make a tap look like a mark to `Signature.is_empty`.
        if point == last:
            return
        self._current.append(point)
        self._update_around(last, point)

    def _end_stroke(self, position: QPointF | None) -> None:
        if self._current is None:
            return
        if position is not None:
            self._extend_stroke(position)
        self._current = None
        self.changed.emit()

    def _cancel_stroke(self) -> None:
        if self._current is None:
            return
        self._strokes.pop()
        self._current = None
        self.update()

    def _clamped(self, position: QPointF) -> Point:
        # The pad keeps the mouse grab outside its edges; the Signature must stay within
        # the width × height it reports.
        x = min(max(position.x(), 0.0), float(self.width()))
        y = min(max(position.y(), 0.0), float(self.height()))
        return (x, y)

    def _update_around(self, start: Point, end: Point) -> None:
        margin = PEN_WIDTH + 2
        area = QRectF(QPointF(*start), QPointF(*end)).normalized()
        self.update(area.adjusted(-margin, -margin, margin, margin).toAlignedRect())

    def _paint_guide(self, painter: QPainter) -> None:
        # Drawn as lines rather than the "✕" glyph, which not every kiosk font has.
        baseline = round(self.height() * 0.72)
        left = GUIDE_MARGIN
        right = max(left, self.width() - GUIDE_MARGIN)
        painter.setPen(QPen(GUIDE, 1.5))
        painter.drawLine(QPointF(left, baseline), QPointF(right, baseline))
        painter.setPen(QPen(GUIDE, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        bottom = baseline - 8
        top = bottom - CROSS_SIZE
        painter.drawLine(QPointF(left, top), QPointF(left + CROSS_SIZE, bottom))
        painter.drawLine(QPointF(left, bottom), QPointF(left + CROSS_SIZE, top))

    def _paint_ink(self, painter: QPainter) -> None:
        painter.setPen(
            QPen(
                INK_COLOR,
                PEN_WIDTH,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))
            else:
                painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in stroke]))
