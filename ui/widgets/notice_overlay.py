"""A calm message over the whole screen, with one big button, sometimes two (help, still
there?, errors)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from typing_extensions import override


class NoticeOverlay(QWidget):
    """Covers its parent and shows a card with a message and one button.

    It is a child widget, not a dialog, so it cannot open behind a full-screen kiosk
    window and tests see it like any other widget.

    Signals:
        dismissed: the patient tapped the (first) button.
        second_chosen: the patient tapped the second button, when there is one.
    """

    dismissed = Signal()
    second_chosen = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent
        self.setObjectName("noticeOverlay")
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
        self.text = QLabel()
        self.text.setObjectName("noticeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton()
        self.button.setObjectName("primaryButton")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self._dismiss)
        self.second_button = QPushButton()
        self.second_button.setObjectName("secondaryButton")
        self.second_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.second_button.clicked.connect(self._second)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        buttons.addWidget(self.second_button)
        buttons.addStretch(1)
        inner.addWidget(self.text)
        inner.addLayout(buttons)
        # Stretches, not alignment: an aligned widget gets its size hint and a wrapped
        # message would be cut; between stretches it gets the height its width needs.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 8)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def show_notice(self, text: str, button_text: str, second_text: str = "") -> None:
        """Show `text` with one button (two with `second_text`) over the whole parent."""
        self.text.setText(text)
        self.button.setText(button_text)
        self.second_button.setText(second_text)
        self.second_button.setVisible(bool(second_text))
        self.setGeometry(self._host.rect())
        self.raise_()
        self.show()

    def set_text(self, text: str) -> None:
        """Change the message while it is shown (a countdown)."""
        self.text.setText(text)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _second(self) -> None:
        self.hide()
        self.second_chosen.emit()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep covering the parent when it is resized or rotated."""
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return super().eventFilter(watched, event)
