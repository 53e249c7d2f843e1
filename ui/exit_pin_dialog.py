"""The kiosk's exit PIN, asked when staff hold the corner of a locked-down kiosk.

Shown instead of the staff sign-in where the kiosk has an exit PIN of its own
(`kiosk exit-pin`); the check, its rate limit and its audit entries are the check-in
service's (`kiosk.exit_pin`). Typed with the kiosk's own number keys or a keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.check_in import CheckIn
from kiosk.exit_pin import ExitOutcome
from ui.screens.patient_screen import make_button, make_label
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard


class ExitPinDialog(QDialog):
    """Asks for the kiosk's exit PIN; accepted only when the check-in service lets staff out."""

    def __init__(self, check_in: CheckIn, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exitPinDialog")
        self.setWindowTitle(self.tr("Close the kiosk"))
        self.setModal(True)
        self.check_in = check_in

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(16)
        self.title = make_label(self.tr("Staff: type the kiosk's exit PIN"), "screenTitle")
        layout.addWidget(self.title)
        self.message = make_label("", "problemMessage")
        self.message.hide()
        layout.addWidget(self.message)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.set_reachable_by_tab(False)
        self.form = KeyboardForm(self.keyboard)
        self.pin = self.form.add_field(
            "pin", self.tr("Exit PIN"), KeyboardPage.NUMBERS, max_length=12
        )
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.submitted.connect(self._try)
        layout.addWidget(self.form)
        layout.addWidget(self.keyboard)

        buttons = QHBoxLayout()
        self.cancel_button = make_button(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = make_button(self.tr("Close the kiosk"), "primaryButton")
        self.close_button.clicked.connect(self._try)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.form.focus_first()

    @classmethod
    def ask(cls, check_in: CheckIn, *, parent: QWidget | None = None) -> bool:
        """Show the dialog and wait: whether staff may leave (a class method, so tests of
        the windows that use it can replace it)."""
        return cls(check_in, parent=parent).exec() == QDialog.DialogCode.Accepted

    def _try(self) -> None:
        pin = self.pin.text()
        self.pin.clear()  # gone from the widget at once, whatever happens next
        if not pin:
            self._say(self.tr("Please type the exit PIN."))
            return
        attempt = self.check_in.leave_with_pin(pin)
        if attempt.outcome is ExitOutcome.LEAVE:
            self.accept()
            return
        if attempt.outcome is ExitOutcome.WAIT:
            self._say(
                self.tr("Too many wrong PINs. Try again in %n minute(s).", "", attempt.minutes_left)
            )
        else:
            self._say(self.tr("That PIN is not right."))
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say(self, text: str) -> None:
        self.title.hide()
        self.message.setText(text)
        self.message.show()
