"""A slide's paragraphs and bullets, read by a screen reader with their bold and bullets.

A rich-text `QLabel` draws the slide well, but on the accessibility bus it is a label
with a name only: no text to move through, no bold, no list. Qt's own description of a
read-only text pane offers all of these (text, its attributes, each bullet a list item),
and PySide6 cannot write that description for a label: the text interface's
`selection()` and `attributes()` give their answers through C++ out-parameters, which
PySide6 does not let Python fill. So the slide's text is such a pane, made to look and
act like the label it replaces: no frame, no scroll bars, its height that of its text,
no caret, not focused by a tap, and taps and flicks go through it to the page (which
scrolls with a finger).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextEdit, QWidget

from kiosk.overriding import override


class SlideText(QTextEdit):
    """Rich text the app builds itself (everything typed escaped), shown like a label."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._html = ""
        # Heights by width, measured on a document of its own, until the text or its
        # font changes. (A copy of the shown document made per question, as the layout
        # asks often, was never freed by PySide6: 80 kB a time, 2–3 MB a visit.)
        self._measuring: QTextDocument | None = None
        self._measuring_stale = True
        self._heights: dict[int, int] = {}
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setDocumentMargin(0)
        # A tap or a flick is the page's: it scrolls the page, as over a label.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.viewport().setAutoFillBackground(False)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        """The rich text shown, as the kiosk built it."""
        return self._html

    def setText(self, html: str) -> None:  # noqa: N802 - as a QLabel's, which this replaces
        """Show `html` (built by the kiosk, everything typed escaped)."""
        self._html = html
        self.setHtml(html)
        self._forget_heights()
        self.updateGeometry()

    @override
    def hasHeightForWidth(self) -> bool:
        return True

    @override
    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            frame = 2 * self.frameWidth()
            measuring = self._measured()
            measuring.setTextWidth(max(width - frame, 1))
            height = math.ceil(measuring.size().height()) + frame
            self._heights[width] = height
        return height

    def _measured(self) -> QTextDocument:
        """The shown document's words and font on a page of its own, to measure."""
        if self._measuring is None:
            self._measuring = QTextDocument(self)
        if self._measuring_stale:
            shown = self.document()
            self._measuring.setDefaultFont(shown.defaultFont())
            self._measuring.setDefaultStyleSheet(shown.defaultStyleSheet())
            self._measuring.setDefaultTextOption(shown.defaultTextOption())
            self._measuring.setDocumentMargin(shown.documentMargin())
            self._measuring.setHtml(self._html)
            self._measuring_stale = False
        return self._measuring

    def _forget_heights(self) -> None:
        self._measuring_stale = True
        self._heights.clear()

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Larger text or another style: the same words take another height.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget_heights()

    @override
    def sizeHint(self) -> QSize:
        width = self.maximumWidth() if self.maximumWidth() < 10_000 else super().sizeHint().width()
        return QSize(width, self.heightForWidth(width))

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.heightForWidth(self.width()))

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The whole text shows, never a pane's worth of it: the height follows the width.
        if self.heightForWidth(event.size().width()) != event.size().height():
            self.updateGeometry()
