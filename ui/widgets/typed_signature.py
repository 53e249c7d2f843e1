"""A full name typed in place of a drawn signature, for patients who cannot use the pad."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.visit import MAX_NAME_LENGTH
from ui.plain_text import plain_label
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard


def _label(text: str, object_name: str) -> QLabel:
    label = plain_label(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


class TypedSignature(QWidget):
    """What typing counts as, one field for the full name (with the kiosk's keyboard for
    a finger, or any keyboard), and a plain word when the name is not the one entered.

    Signals:
        changed: the typed name changed.
    """

    changed = Signal()

    def __init__(self, keyboard: OnScreenKeyboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.explanation = _label(
            self.tr(
                "Type your first and last name, as you entered them at the start. "
                "Your typed name counts as your signature."
            ),
            "signatureHelp",
        )
        layout.addWidget(self.explanation)
        self.form = KeyboardForm(keyboard)
        self.field = self.form.add_field(
            "typed_name",
            self.tr("Your full name"),
            KeyboardPage.LETTERS,
            max_length=2 * MAX_NAME_LENGTH + 1,
            description=self.tr(
                "Type your first and last name, as you entered them at the start. It "
                "counts as your signature."
            ),
        )
        self.field.textChanged.connect(self.changed)
        layout.addWidget(self.form)
        self.problem = _label("", "problemMessage")
        self.problem.hide()
        layout.addWidget(self.problem)

    def name(self) -> str:
        """The name as typed."""
        return self.field.text()

    def begin(self) -> None:
        """Ready for typing: the cursor, and the kiosk's keyboard, in the field."""
        self.form.focus_first()

    def show_problem(self, text: str) -> None:
        """Say what is wrong with the name typed ("" when nothing is)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def clear(self) -> None:
        """Forget the typed name (going back to consent means signing again)."""
        self.field.clear()
        self.show_problem("")
