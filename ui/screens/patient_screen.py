"""What every screen after Welcome shares: Back, "Ask for help" and a scrolling body."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Answer, Question, QuestionKind
from kiosk.overriding import override
from ui.assistive_technology import mark_heading

# Named here too, where the screens have always found them.
from ui.screens.screen_parts import clear_layout as clear_layout  # noqa: PLC0414
from ui.screens.screen_parts import make_button as make_button  # noqa: PLC0414
from ui.screens.screen_parts import make_display_buttons as make_display_buttons  # noqa: PLC0414
from ui.screens.screen_parts import make_label as make_label  # noqa: PLC0414
from ui.screens.screen_parts import make_scroll_area as make_scroll_area  # noqa: PLC0414
from ui.screens.screen_parts import name_display_buttons as name_display_buttons  # noqa: PLC0414
from ui.widgets.keyboard_access import can_take_focus, move_focus, reading_order
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import OnScreenKeyboard, gap_for
from ui.widgets.step_bar import StepBar

# The part of a portrait screen left below a short page's buttons.
BOTTOM_BAND = 0.14
# Below this height (a tablet) the steps are one line in the top bar.
SHORT_SCREEN = 900


def answer_words() -> dict[Answer, str]:
    """How the answers read on the patient's screens, in the interface language."""
    translate = QCoreApplication.translate
    return {
        Answer.YES: translate("Answer", "Yes"),
        Answer.NO: translate("Answer", "No"),
        Answer.NOT_SURE: translate("Answer", "Not sure"),
    }


def answer_text(question: Question, answer: str) -> str:
    """An answer as the patient reads it: Yes / No / Not sure in the interface's language,
    a choice's text or typed words from the content."""
    if question.kind is QuestionKind.YES_NO:
        return answer_words()[Answer(answer)]
    return question.answer_words(answer)


def _width_side_by_side(row: QBoxLayout) -> int:
    """The width `row` needs for every button to show all its words side by side."""
    hints, stretches = [], set()
    for index in range(row.count()):
        item = row.itemAt(index)
        widget = item.widget() if item is not None else None
        if item is None or widget is None or widget.isHidden():
            continue
        hints.append(item.sizeHint().width())
        stretches.add(row.stretch(index))
    if len(hints) > 1 and len(stretches) == 1 and 0 not in stretches:
        # Equal stretch gives every button the same width: the widest decides.
        margins = row.contentsMargins()
        spacing = row.spacing() * (len(hints) - 1)
        return len(hints) * max(hints) + spacing + margins.left() + margins.right()
    return row.sizeHint().width()


def _stack_if_too_wide(row: QBoxLayout, room: int) -> None:
    row.setDirection(QBoxLayout.Direction.LeftToRight)
    if _width_side_by_side(row) > room:
        row.setDirection(QBoxLayout.Direction.TopToBottom)


class PatientScreen(QWidget):
    """A screen with a top bar (Back, title, Ask for help), a body that scrolls and a footer.

    The body scrolls (with kinetic touch scrolling) rather than clipping when text is
    large or the screen is small; the footer's buttons always stay in view.

    Signals:
        back_requested: the patient tapped Back.
        help_requested: the patient tapped "Ask for help".
        larger_text_requested: the patient tapped "A+".
        contrast_requested: the patient tapped the high-contrast switch.
        read_aloud_requested: the patient tapped "Read to me" (or "Stop reading").
    """

    back_requested = Signal()
    help_requested = Signal()
    larger_text_requested = Signal()
    contrast_requested = Signal()
    read_aloud_requested = Signal()

    def __init__(
        self, title: str, *, with_back: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.top_bar = bar = QWidget()
        bar.setObjectName("topBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(24, 8, 24, 8)
        self.back_button = make_button(
            self.tr("‹ Back"), "backButton", self.tr("Goes back to the page before.")
        )
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.clicked.connect(self.back_requested)
        if not with_back:
            # Never setVisible(True) here: on a widget with no parent yet, that opens it
            # as a window of its own for a moment, and the kiosk's window loses the
            # keyboard's focus (a keyboard user pressing Start found it gone).
            self.back_button.hide()
        self.help_button = make_button(
            self.tr("Ask for help"),
            "helpButton",
            self.tr("Tells you where to find someone who can help you."),
        )
        self.help_button.clicked.connect(self.help_requested)
        self.larger_text_button, self.contrast_button = make_display_buttons()
        self.larger_text_button.clicked.connect(self.larger_text_requested)
        self.contrast_button.clicked.connect(self.contrast_requested)
        self._bar_layout = bar_layout
        bar_layout.setSpacing(16)
        bar_layout.addWidget(self.back_button)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.larger_text_button)
        bar_layout.addWidget(self.contrast_button)
        bar_layout.addWidget(self.help_button)
        outer.addWidget(bar)
        # Details · Learn · Questions · Consent · Ride home, the one on show marked; on
        # a short screen, one line in the top bar (see `_place_step_bar`).
        self.step_bar = StepBar()
        outer.addWidget(self.step_bar)

        inner = self._add_body()
        self.body.setContentsMargins(48, 12, 48, 12)
        self.body.setSpacing(16)
        self.title = make_label(title, "screenTitle")
        # A screen reader is told where the patient is by the title, as a heading
        # (see `heading`).
        mark_heading(self.title)
        self.body.addWidget(self.title)
        # What tells the patient where they are: the focus goes there as a page shows.
        self.heading = self.title
        # Shown by screens with text to read (slides, questions, consent) when a voice
        # for the visit's language exists; see `offer_read_aloud`.
        self.read_aloud_button: QPushButton | None = None
        # Rows of the body's buttons that go one above the other when too wide.
        self._body_rows: list[QBoxLayout] = []
        self.scroll_area.setWidget(inner)
        outer.addWidget(self.scroll_area, 1)

        # Things that must stay in view below the scrolling body (the on-screen keyboard).
        self.dock = QVBoxLayout()
        self.dock.setContentsMargins(24, 0, 24, 0)
        outer.addLayout(self.dock)

        self._add_footer(outer)

    def _add_body(self) -> QWidget:
        """The scrolling page, its body between the stretches that balance it."""
        self.scroll_area = make_scroll_area()
        inner = QWidget()
        # The body between two stretches: on a portrait screen they centre a short page
        # in the middle band (see `_balance`); elsewhere they take no room.
        self._frame = QVBoxLayout(inner)
        self._frame.setContentsMargins(0, 0, 0, 0)
        self._frame.setSpacing(0)
        self._frame.addStretch(0)
        self.body = QVBoxLayout()
        self._frame.addLayout(self.body)
        self._frame.addStretch(0)
        inner.installEventFilter(self)
        return inner

    def _add_footer(self, outer: QVBoxLayout) -> None:
        """The footer's row of buttons, and below it the room a portrait screen leaves."""
        footer_bar = QWidget()
        footer_bar.setObjectName("footer")
        self.footer = QBoxLayout(QBoxLayout.Direction.LeftToRight, footer_bar)
        self.footer.setContentsMargins(48, 6, 48, 8)
        self.footer.setSpacing(20)
        outer.addWidget(footer_bar)
        # Below the footer on a portrait screen: the bottom of a tall screen is out of
        # easy reach and sight, so the page and its buttons sit above it.
        # A spacer that gives way (never a minimum): the window must stay free to shrink.
        self._below = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self._reserve = 0
        outer.addItem(self._below)

    def add_read_aloud_button(self) -> None:
        """A "Read to me" button under the title; hidden until `offer_read_aloud`."""
        button = make_button("", "readAloudButton")
        button.clicked.connect(self.read_aloud_requested)
        button.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(button)
        row.addStretch(1)
        self.body.insertLayout(self.body.indexOf(self.title) + 1, row)
        self.read_aloud_button = button
        self.show_reading(speaking=False)

    def offer_read_aloud(self, *, available: bool) -> None:
        """Show "Read to me" only where a voice can read this visit's language."""
        if self.read_aloud_button is not None:
            self.read_aloud_button.setVisible(available)

    def show_reading(self, *, speaking: bool) -> None:
        """The button says what a tap will do: read, or stop reading."""
        button = self.read_aloud_button
        if button is None:
            return
        # Never an icon alone: a play or stop mark and the words.
        button.setText(self.tr("■ Stop reading") if speaking else self.tr("▶ Read to me"))
        button.setAccessibleName(self.tr("Stop reading") if speaking else self.tr("Read to me"))
        button.setAccessibleDescription(
            self.tr("Stops the voice reading this page.")
            if speaking
            else self.tr("Reads the words on this page out loud.")
        )

    def spoken_lines(self) -> list[str]:
        """What "Read to me" reads on this screen (its words, in the order shown)."""
        return [self.title.text()]

    def keep_body_in_view(self) -> None:
        """Let the dock (the keyboard) shrink before the body scrolls: fields stay visible."""
        self._body_in_view = True
        self._fit_body()
        self._balance()

    def stack_when_too_wide(self, row: QBoxLayout) -> None:
        """Lay `row` (a row of the body's buttons) out one above the other when its
        buttons' words would not fit side by side."""
        self._body_rows.append(row)

    def stack_rows_if_too_wide(self) -> None:
        """With larger text (or longer words in another language), buttons side by side
        may not fit: one above the other then, so no button's words are cut off."""
        margins = self.footer.contentsMargins()
        _stack_if_too_wide(self.footer, self.width() - margins.left() - margins.right())
        body = self.body.contentsMargins()
        # The scroll bar's width is left free whether it shows or not: the scroll area
        # may not have its new size yet.
        scroll_bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        room = self.width() - body.left() - body.right() - scroll_bar
        for row in self._body_rows:
            _stack_if_too_wide(row, room)

    def restyled(self) -> None:
        """The style changed (larger text): lay the footer out again for the new sizes."""
        self.stack_rows_if_too_wide()
        # Its buttons' new heights are known only once laid out: measured then, lest
        # the page claim room the footer now needs (and the window grow to give it).
        if getattr(self, "_body_in_view", False):
            self.scroll_area.setMinimumHeight(0)
            QTimer.singleShot(0, self, self._fit_body)
        self._balance()

    def _place_step_bar(self) -> None:
        compact = self.height() < SHORT_SCREEN
        if compact == self.step_bar.compact:
            return
        outer = self.layout()
        if not isinstance(outer, QVBoxLayout):
            return
        outer.removeWidget(self.step_bar)
        self._bar_layout.removeWidget(self.step_bar)
        if compact:
            self._bar_layout.insertWidget(1, self.step_bar, 1)
        else:
            outer.insertWidget(1, self.step_bar)
        self.step_bar.set_compact(compact)

    def _balance(self) -> None:
        """Portrait: a page shorter than the screen sits in the middle band, its buttons
        just below it and in the same place on every page; a long page has the room."""
        inner = self.scroll_area.widget()
        if inner is None:
            return
        balanced = self.height() > self.width() and not getattr(self, "_body_in_view", False)
        factor = 1 if balanced else 0
        self._frame.setStretch(0, factor)
        self._frame.setStretch(2, factor)
        # The same room below the footer on every page, however long: a long page
        # scrolls rather than pushing its buttons down, so Back and Next stay where the
        # finger found them on the page before.
        reserve = round(self.height() * BOTTOM_BAND) if balanced else 0
        if reserve != self._reserve:
            self._reserve = reserve
            self._below.changeSize(
                0, reserve, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred
            )
            outer = self.layout()
            if outer is not None:
                outer.invalidate()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The page's words changed (the next slide): balance it again, once laid out."""
        if watched is self.scroll_area.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._balance)
        return super().eventFilter(watched, event)

    def _fit_body(self) -> None:
        if not getattr(self, "_body_in_view", False):
            return
        inner, layout = self.scroll_area.widget(), self.layout()
        if inner is None or layout is None:
            return
        # What the bar, keyboard (at its 60 px keys) and footer need at the least; the
        # body may have the rest, and scrolls only if even that is not enough.
        self.scroll_area.setMinimumHeight(0)
        others = layout.minimumSize().height() - self.scroll_area.minimumSizeHint().height()
        room = max(self.height() - others, 0)
        self.scroll_area.setMinimumHeight(min(inner.sizeHint().height(), room))

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-balance body and keyboard for the new size (rotation, another screen)."""
        super().resizeEvent(event)
        # Targets 12 px apart where the screen is tall enough; a short tablet needs the room.
        gap = gap_for(self.height())
        changed = False
        for keyboard in self.findChildren(OnScreenKeyboard):
            changed |= keyboard.key_gap != gap
            keyboard.set_key_gap(gap)
        for form in self.findChildren(KeyboardForm):
            form.set_gap(gap)
        self._place_step_bar()
        self.stack_rows_if_too_wide()
        self._fit_body()
        self._balance()
        if changed:
            # Qt re-measures the keyboard with its new gaps at the next turn of the event
            # loop; balance the body against those sizes then.
            QTimer.singleShot(0, self, self._fit_body)

    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll so `widget` shows, once the layout has made room for it."""
        # Tied to `widget`: if the screen is gone by then (the visit ended), so is the call.
        QTimer.singleShot(0, widget, lambda: self.scroll_area.ensureWidgetVisible(widget, 0, 16))

    def add_progress(self) -> QLabel:
        """ "1 of 11" above the title, and read before it."""
        progress = make_label("", "progress")
        self.body.insertWidget(0, progress)
        # A screen reader reads a page's parts in the order they were made: this one
        # before the title, as it shows.
        progress.stackUnder(self.title)
        return progress

    def set_title(self, title: str) -> None:
        """Change the screen's title."""
        self.title.setText(title)

    def scroll_to_top(self) -> None:
        """Start each new page of content at its top."""
        self.scroll_area.verticalScrollBar().setValue(0)

    def first_control(self) -> QWidget | None:
        """Where a keyboard user starts on this screen: its first control below the top
        bar (the bar stays one Shift+Tab away), or None while it has none to use."""
        return next(
            (
                widget
                for widget in reading_order(self)
                if can_take_focus(widget) and not self.top_bar.isAncestorOf(widget)
            ),
            None,
        )

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round this screen's controls in reading order."""
        return move_focus(self, forward=next) or super().focusNextPrevChild(next)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Page Up / Page Down (and the arrows, where no control takes them) scroll the page."""
        actions = {
            Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
            Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
            Qt.Key.Key_Down: QAbstractSlider.SliderAction.SliderSingleStepAdd,
            Qt.Key.Key_Up: QAbstractSlider.SliderAction.SliderSingleStepSub,
        }
        action = actions.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
            return
        self.scroll_area.verticalScrollBar().triggerAction(action)
        event.accept()
