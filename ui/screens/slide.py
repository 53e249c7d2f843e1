"""One educational slide: title, text, optional picture, progress, Back and Next."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QWidget

from kiosk.content import BulletList, Slide, SlideBlock, TextRun
from kiosk.overriding import override
from ui.plain_text import plain_label
from ui.screens.patient_screen import PatientScreen, make_button
from ui.widgets.slide_text import SlideText


def _runs_html(runs: tuple[TextRun, ...]) -> str:
    return "".join(f"<b>{escape(r.text)}</b>" if r.bold else escape(r.text) for r in runs)


# Qt indents a list by 40 px whatever the text's size, and draws its bullet about a
# letter's width to the left of the text: with larger text the bullet would fall outside
# the label, cut in half. The indent follows the text's size instead.
_LIST_INDENT = 40
LINE_LENGTH = 70
_BULLET_ROOM = 1.15
# Beside a picture a line keeps at least this many characters; with larger text on a
# wide screen it would be fewer, and the picture goes below the text instead.
LINE_BESIDE_PICTURE = 45
_PICTURE_GAP = 24


def slide_html(blocks: tuple[SlideBlock, ...], text_px: int = 28) -> str:
    """Slide text as rich text; everything typed is escaped, only the markup is ours.

    `text_px` is the size the text is drawn at: the bullets' room grows with it.
    """
    margin = round(text_px * _BULLET_ROOM) - _LIST_INDENT
    parts = []
    for block in blocks:
        if isinstance(block, BulletList):
            items = "".join(
                f"<li style='margin-bottom:8px'>{_runs_html(i)}</li>" for i in block.items
            )
            parts.append(f"<ul style='margin-left:{margin}px'>{items}</ul>")
        else:
            parts.append(f"<p>{_runs_html(block.runs)}</p>")
    return "".join(parts)


def slide_words(blocks: tuple[SlideBlock, ...]) -> list[str]:
    """Slide text as plain sentences, one per paragraph or bullet, for reading aloud."""
    lines: list[str] = []
    for block in blocks:
        items = block.items if isinstance(block, BulletList) else (block.runs,)
        lines.extend("".join(run.text for run in runs) for runs in items)
    return lines


class SlideScreen(PatientScreen):
    """Shows one slide at a time.

    Signals:
        next_requested: the patient tapped Next (only possible once it is enabled).
        next_allowed: Next has just become possible (the slide's minimum time is over).
    """

    next_requested = Signal()
    next_allowed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.progress = self.add_progress()
        self.picture = plain_label()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setObjectName("slidePicture")
        # Rich text built from the pack's own markup alone (see `slide_html`); a screen
        # reader reads it with its bold and bullets (see `SlideText`).
        self.text = SlideText("slideText")
        # In a row of its own, beside a stretch: the row's height follows the narrower
        # width the text is given (see `_show_text`), so no line is cut off below.
        # The picture above the text on a tall screen; on a wide one to its right, using
        # the width the text's line length leaves (see `_place_picture`).
        self._text_row = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._text_row.setContentsMargins(0, 0, 0, 0)
        self._text_row.setSpacing(_PICTURE_GAP)
        self._text_row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        self._text_row.addWidget(self.text, 1)
        self.body.addLayout(self._text_row)
        self._pixmap: QPixmap | None = None
        self.add_read_aloud_button()
        self._words: list[str] = []
        self._blocks: tuple[SlideBlock, ...] = ()
        self.body.addStretch(1)
        self.next_button = make_button(
            self.tr("Next ›"), "primaryButton", self.tr("Shows the next page.")
        )
        self.next_button.setAccessibleName(self.tr("Next"))
        self.next_button.clicked.connect(self.next_requested)
        self.footer.addStretch(1)
        self.footer.addWidget(self.next_button)
        self._enable_timer = QTimer(self)
        self._enable_timer.setSingleShot(True)
        self._enable_timer.timeout.connect(self._allow_next)

    def show_slide(
        self,
        slide: Slide,
        picture: QPixmap | None,
        number: int,
        total: int,
        seconds_until_next: float,
    ) -> None:
        """Show `slide` as number `number` of `total`; Next waits `seconds_until_next`.

        `picture` comes ready to show (see `SlidePictures`): decoding it here froze the
        screen for several frames.
        """
        self.progress.setText(self.tr("{0} of {1}").format(number, total))
        self.set_title(slide.title)
        self._blocks = slide.blocks
        self._show_text()
        self._words = slide_words(slide.blocks)
        if picture is not None and not picture.isNull():
            self._pixmap = picture
            self._place_picture()
            self.picture.setAccessibleName(slide.picture_alt or "")
            self.picture.show()
        else:
            self._pixmap = None
            self.picture.clear()
            self.picture.hide()
        self._enable_timer.stop()
        self.next_button.setEnabled(seconds_until_next <= 0)
        if seconds_until_next > 0:
            self._enable_timer.start(int(seconds_until_next * 1000) + 50)
        self.scroll_to_top()

    def _show_text(self) -> None:
        self.text.ensurePolished()
        self.text.setText(slide_html(self._blocks, self.text.fontInfo().pixelSize()))
        # Lines of about 70 characters at the most, as in a book: on a wide screen a
        # line across it all is hard to follow back to the start of the next.
        self.text.setMaximumWidth(self.text.fontMetrics().averageCharWidth() * LINE_LENGTH)

    def _place_picture(self) -> None:
        # Beside the text, at most a third of the screen's width, its shape kept.
        shown = self._pixmap
        if shown is not None and self.width() > self.height() and shown.width() > self.width() // 3:
            shown = shown.scaledToWidth(
                self.width() // 3, Qt.TransformationMode.SmoothTransformation
            )
        self._text_row.setDirection(self._picture_place(shown))
        if shown is not None:
            self.picture.setPixmap(shown)

    def _picture_place(self, shown: QPixmap | None) -> QBoxLayout.Direction:
        """Above the text on a tall screen; on a wide one beside it (right), or below it
        when the text, larger, would keep too few characters a line beside it."""
        if self.width() <= self.height():
            return QBoxLayout.Direction.TopToBottom
        if shown is None:
            return QBoxLayout.Direction.RightToLeft
        margins = self.body.contentsMargins()
        scroll_bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        room = self.width() - margins.left() - margins.right() - scroll_bar
        beside = room - shown.width() - _PICTURE_GAP
        self.text.ensurePolished()
        if beside >= self.text.fontMetrics().averageCharWidth() * LINE_BESIDE_PICTURE:
            return QBoxLayout.Direction.RightToLeft
        return QBoxLayout.Direction.BottomToTop

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        """A wide screen puts the picture beside the text, a tall one above it."""
        self._place_picture()
        super().resizeEvent(event)

    @override
    def restyled(self) -> None:
        """Larger text: the bullets get room for their larger size, and the picture
        may no longer leave the lines room beside it."""
        self._show_text()
        self._place_picture()
        super().restyled()

    @override
    def spoken_lines(self) -> list[str]:
        """The slide's title, then each paragraph and bullet."""
        return [self.title.text(), *self._words]

    def _allow_next(self) -> None:
        self.next_button.setEnabled(True)
        # A keyboard user waiting on the slide gets the focus on Next (see KioskWindow).
        self.next_allowed.emit()
