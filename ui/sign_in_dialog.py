"""Staff sign-in, used by the front desk, the admin editor and the kiosk's staff exit.

Works with a hardware keyboard (Enter signs in) and by touch (the kiosk's own keyboard
can be shown). Every attempt, right or wrong, leaves an audit entry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.actor import Permission, StaffMember
from kiosk.auth import MAX_PASSWORD_LENGTH, SignInOutcome
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import Clock, utc_now
from ui.screens.patient_screen import make_button, make_label
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard


class SignInDialog(QDialog):
    """Asks for a username and password; accepted only for an account whose roles allow
    `needed` (the README's table of who may do what)."""

    def __init__(
        self,
        station: Station,
        settings: Settings,
        *,
        purpose: str,
        needed: Permission = Permission.FRONT_DESK,
        touch: bool = False,
        clock: Clock = utc_now,
        banner: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`banner`: shown above everything (the desk's alerts, seen before sign-in)."""
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Staff sign-in"))
        self.setModal(True)
        self.settings = settings
        self.station = station
        self.needed = needed
        self.clock = clock
        self.member: StaffMember | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(16)
        if banner is not None:
            layout.addWidget(banner)
        self.title = make_label(purpose, "screenTitle")
        layout.addWidget(self.title)
        self.keyboard = OnScreenKeyboard()
        # Staff type with a keyboard or a finger: Tab goes from field to field, as before.
        self.keyboard.set_reachable_by_tab(False)
        self.form = KeyboardForm(self.keyboard)
        self.username = self.form.add_field("username", self.tr("Username"), KeyboardPage.LETTERS)
        self.password = self.form.add_field(
            "password", self.tr("Password"), KeyboardPage.LETTERS, max_length=MAX_PASSWORD_LENGTH
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # A password is never copied out of the field, nor dragged.
        # Enter in Username goes on to Password (the form does that); in Password, it signs in.
        self.form.submitted.connect(self._try)
        # A refusal takes the title's place, not room of its own: on a tablet (800 px tall)
        # the title, the form, a two-line message, the keys and the buttons do not all fit,
        # and the keys' bottom row was cut off.
        self.message = make_label("", "problemMessage")
        self.message.hide()
        layout.insertWidget(0, self.message)
        layout.addWidget(self.form)
        layout.addWidget(self.keyboard)
        self.keyboard.setVisible(touch)

        buttons = QHBoxLayout()
        self.keyboard_button = make_button(self.tr("Keyboard"))
        self.keyboard_button.setAccessibleName(self.tr("Show or hide the on-screen keyboard"))
        self.keyboard_button.clicked.connect(self._toggle_keyboard)
        self.cancel_button = make_button(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.sign_in_button = make_button(self.tr("Sign in"), "primaryButton")
        self.sign_in_button.clicked.connect(self._try)
        buttons.addWidget(self.keyboard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)
        layout.addLayout(buttons)
        self.form.focus_first()

    @classmethod
    def ask(
        cls,
        station: Station,
        settings: Settings,
        *,
        purpose: str,
        needed: Permission = Permission.FRONT_DESK,
        touch: bool = False,
        parent: QWidget | None = None,
    ) -> StaffMember | None:
        """Show the dialog and wait: the signed-in member, or None if cancelled.

        A class method so tests of the windows that use it can replace it.
        """
        dialog = cls(
            station,
            settings,
            purpose=purpose,
            needed=needed,
            touch=touch,
            parent=parent,
        )
        dialog.exec()
        return dialog.member

    def _toggle_keyboard(self) -> None:
        self.keyboard.setVisible(not self.keyboard.isVisible())
        if self.keyboard.isVisible():
            self._fit_on_screen()

    def _say(self, text: str) -> None:
        self.title.hide()
        self.message.setText(text)
        self.message.show()
        self._fit_on_screen()

    def _fit_on_screen(self) -> None:
        # The message may need more height than the title it replaces: grow to fit every
        # key, then stay centred over the window (or the screen) so nothing goes off it.
        # (Not adjustSize(): it stops a window at two thirds of the screen's height, which
        # in landscape is too little for the keys.)
        area = self.screen().availableGeometry()
        frame = self.frameGeometry()
        borders = frame.size() - self.size()
        self.resize(self.sizeHint().expandedTo(self.size()).boundedTo(area.size() - borders))
        frame = self.frameGeometry()
        parent = self.parentWidget()
        frame.moveCenter(parent.window().frameGeometry().center() if parent else area.center())
        frame.moveTop(max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1)))
        frame.moveLeft(max(area.left(), min(frame.left(), area.right() - frame.width() + 1)))
        self.move(frame.topLeft())

    def _try(self) -> None:
        username, password = self.username.text(), self.password.text()
        # Gone from the widget at once, whatever happens next.
        self.password.clear()
        if not username.strip() or not password:
            self._say(self.tr("Please enter your username and password."))
            return
        now = self.clock()
        result = self.station.staff_accounts().sign_in(
            username,
            password,
            now=now,
            station=self.station.name,
            lock_minutes=self.settings.lockout_minutes,
            needed=self.needed,
        )
        if result.outcome is SignInOutcome.NOT_ALLOWED:
            self._say(self.tr("This account cannot do this. Please ask an admin."))
            return
        if result.outcome is SignInOutcome.SIGNED_IN and result.member is not None:
            self.member = result.member
            self.accept()
            return
        # The same words whatever refused it (kiosk.auth.SIGN_IN_REFUSED): a lock, a
        # disabled account or an unknown name is not told apart from a wrong password, or
        # someone guessing would learn which names are real. Staff hear of a lock from an
        # admin, who sees it in `kiosk users list` and the audit trail.
        self._say(
            self.tr(
                "That username and password did not work. Ask an admin if you keep being refused."
            )
        )
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
