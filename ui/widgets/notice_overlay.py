"""A calm message over the whole screen, with one big button, sometimes two (help, still
there?, errors)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.overriding import override
from ui.assistive_technology import mark_notice
from ui.plain_text import WordsButton, plain_label
from ui.widgets.keyboard_access import (
    NOTICE_NAME,
    announce,
    can_take_focus,
    give_focus,
    move_focus,
)

# Below this height (pixels) the notice's margins give way to its words.
SHORT_SCREEN = 900


class NoticeOverlay(QWidget):
    """Covers its parent and shows a card with a message and one button.

    It is a child widget, not a dialog, so it cannot open behind a full-screen kiosk
    window and tests see it like any other widget. To assistive technology it is a
    dialog (or an alert, `mark_notice`): while it shows, what it covers is disabled, so
    a screen reader or a switch cannot press a control behind it either.

    Signals:
        dismissed: the patient tapped the (first) button.
        second_chosen: the patient tapped the second button, when there is one.
    """

    dismissed = Signal()
    second_chosen = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent
        self.setObjectName(NOTICE_NAME)
        mark_notice(self, QAccessible.Role.Dialog)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("noticeCard")
        card.setMaximumWidth(900)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(40, 40, 40, 40)
        inner.setSpacing(32)
        self.text = plain_label()
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = WordsButton()
        self.button.setObjectName("primaryButton")
        # Tab reaches the buttons and Space or Enter press them; a tap takes no focus.
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._dismiss)
        self.second_button = WordsButton()
        self.second_button.setObjectName("secondaryButton")
        self.second_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.second_button.setAutoDefault(False)
        self.second_button.clicked.connect(self._second)
        self._buttons = buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.setSpacing(24)
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        buttons.addWidget(self.second_button)
        buttons.addStretch(1)
        inner.addWidget(self.text)
        inner.addLayout(buttons)
        self._card = card
        # Stretches, not alignment: an aligned widget gets its size hint and a wrapped
        # message would be cut; between stretches it gets the height its width needs.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 8)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        # Whether its words change all the time (see `take_focus`).
        self.words_change = False
        # Where the focus was when the notice came up: it goes back there afterwards.
        self._focus_before: QWidget | None = None
        self.hide()

    def show_notice(
        self,
        text: str,
        button_text: str,
        second_text: str = "",
        *,
        descriptions: tuple[str, str] = ("", ""),
    ) -> None:
        """Show `text` with one button (two with `second_text`) over the whole parent.

        `descriptions` say what each button does, for a screen reader (translated by the
        caller); a lone button says by default that it closes the message.
        """
        self.text.setText(text)
        self.button.setText(button_text)
        self.button.setAccessibleDescription(descriptions[0] or self.tr("Closes this message."))
        self.second_button.setText(second_text)
        self.second_button.setAccessibleDescription(descriptions[1])
        self.second_button.setVisible(bool(second_text))
        self.setGeometry(self._host.rect())
        self._stack_buttons_if_too_wide()
        if not self.isVisible():
            self._focus_before = self.window().focusWidget()
        self.raise_()
        self.show()

    def _stack_buttons_if_too_wide(self) -> None:
        """Two buttons one above the other where side by side would cut their words
        (larger text, a narrow screen); tighter margins on a short screen."""
        self.ensurePolished()
        for button in (self.button, self.second_button):
            button.ensurePolished()
        outer, inner = self.layout(), self._card.layout()
        if outer is None or inner is None:
            return
        # On a short screen (a tablet) the message needs the height more than margins do.
        roomy = self.height() >= SHORT_SCREEN
        outer.setContentsMargins(*[40 if roomy else 12] * 4)
        inner.setContentsMargins(*[40 if roomy else 20] * 4)
        inner.setSpacing(32 if roomy else 16)
        margins = outer.contentsMargins().left() + outer.contentsMargins().right()
        # The card gets 8 parts of 10 of the width (see __init__), at most its maximum.
        card = min(self._card.maximumWidth(), (self.width() - margins) * 8 // 10)
        room = card - inner.contentsMargins().left() - inner.contentsMargins().right()
        shown = [b for b in (self.button, self.second_button) if not b.isHidden()]
        needed = sum(b.sizeHint().width() for b in shown)
        needed += self._buttons.spacing() * (len(shown) - 1)
        self._buttons.setDirection(
            QBoxLayout.Direction.TopToBottom if needed > room else QBoxLayout.Direction.LeftToRight
        )

    def take_focus(self, *, using_keys: bool) -> None:
        """Into the notice: on its (first) button for a patient using keys, else on its
        words (which show no focus outline), which a screen reader then reads; on the
        notice itself where `words_change` every second (a countdown), which a screen
        reader would otherwise read out again each time."""
        if using_keys:
            give_focus(self.button)
        else:
            announce(self if self.words_change else self.text)

    def _covered(self) -> list[QWidget]:
        """What the notice covers: its parent's other children, notices apart."""
        return [
            child
            for child in self._host.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child.objectName() != NOTICE_NAME
        ]

    @override
    def showEvent(self, event: QShowEvent) -> None:
        """Covered, what is behind is out of reach: no tap, key or screen reader gets there."""
        for child in self._covered():
            child.setEnabled(False)
        super().showEvent(event)

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        """Uncovered (unless another notice still shows): what was behind works again."""
        super().hideEvent(event)
        others = self._host.findChildren(QWidget, NOTICE_NAME)
        if not any(n is not self and n.isVisible() for n in others):
            for child in self._covered():
                child.setEnabled(True)

    def set_text(self, text: str) -> None:
        """Change the message while it is shown (a countdown)."""
        self.text.setText(text)

    def _dismiss(self) -> None:
        self._close()
        self.dismissed.emit()

    def _second(self) -> None:
        self._close()
        self.second_chosen.emit()

    def _close(self) -> None:
        self.hide()
        before, self._focus_before = self._focus_before, None
        if before is not None and can_take_focus(before) and not self.isAncestorOf(before):
            before.setFocus(Qt.FocusReason.OtherFocusReason)

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab stay on the notice's buttons while it shows."""
        if self.isVisible() and move_focus(self, forward=next):
            return True
        return super().focusNextPrevChild(next)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep covering the parent when it is resized or rotated."""
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return super().eventFilter(watched, event)
