"""The kiosk's window before storage: Welcome, the notices' places, and where focus goes.

`ui.kiosk_window.KioskWindow` is this frame with the check-in service taken up. The
frame needs only Qt and the Welcome screen, so the kiosk's first frame is painted before
SQLAlchemy and the visit's screens are imported (see `ui.kiosk_app`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.overriding import override
from kiosk.settings import Settings
from kiosk.welcome_card import WelcomeCard
from ui.assistive_technology import ASSISTIVE_INPUT
from ui.interface_language import SOURCE_LANGUAGE, InterfaceLanguage
from ui.patient_display import PatientDisplay
from ui.screens.welcome import WelcomeScreen
from ui.widgets.input_watch import Listening
from ui.widgets.keyboard_access import KeyboardUse, move_focus, place_focus
from ui.widgets.notice_overlay import NoticeOverlay
from ui.widgets.tap_guard import TAP_STARTS, TapGuard

if TYPE_CHECKING:
    from kiosk.actor import StaffMember
    from kiosk.content import ContentPack
    from kiosk.visit import Clock
    from ui.screens.patient_screen import PatientScreen
    from ui.visit_screens import VisitScreens

# A press through the accessibility bus (a switch, a screen reader) is input too.
_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchUpdate,
    QEvent.Type.MouseMove,
    ASSISTIVE_INPUT,
}


def end_voice_checks() -> None:
    """End every check of the voice still running (`ui.read_aloud.end_voice_checks`).

    Only that module starts one: if it was never loaded (a kiosk closed before storage
    had loaded), there is none, and closing does not load it.
    """
    read_aloud = sys.modules.get("ui.read_aloud")
    if read_aloud is not None:
        read_aloud.end_voice_checks()


class KioskFrame(QMainWindow):
    """The stack of patient screens with Welcome on it, the notices above it, and the
    keyboard's focus; before storage has loaded, Welcome shows its card."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock,
        assisted_by: StaffMember | None,
        card: WelcomeCard | None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self._ready = False
        self._card = card
        # Start tapped while storage was still loading: shown once it has loaded.
        self._start_waiting = False
        self.welcome_content: ContentPack | None = None
        self._welcome_card: WelcomeCard | None = None
        # A check-in at the front desk, with this member of staff beside the patient.
        self.assisted_by = assisted_by
        # Off in lock-down until staff sign in to leave (see ui.lockdown).
        self.leaving_allowed = True
        # The visit's screens, from Start until it ends.
        self.screens: VisitScreens | None = None
        # The language chosen on Welcome for the next visit ("" is the content's own).
        self.language = ""

        self.central = central = QWidget()
        central.setObjectName("kioskWindow")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.tap_guard = TapGuard(self.stack)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.welcome = WelcomeScreen()
        # Larger text or high contrast, for this visit only.
        self.display = PatientDisplay()
        self.stack.addWidget(self.welcome)

        self.help_notice = NoticeOverlay(central)
        self.problem_notice = NoticeOverlay(central)
        # Keys or a finger: where the focus goes on each new screen depends on which.
        self.keyboard_use = KeyboardUse(self, after_painting=None if card is None else self.welcome)
        # Back to Welcome by itself, a while after Done or a problem notice.
        self.problem_timer, self.done_timer = QTimer(self), QTimer(self)
        # The application's input, heard once the check-in service is taken up.
        self._input: Listening | None = None
        for timer in (self.problem_timer, self.done_timer):
            timer.setSingleShot(True)

    @property
    def is_storage_ready(self) -> bool:
        """Whether the check-in service has been taken up (Start can begin a visit)."""
        return self._ready

    def _notices(self) -> list[NoticeOverlay]:
        """The notices that cover the screens, the one that goes first first."""
        return [self.problem_notice, self.help_notice]

    def _place_focus(self, screen: PatientScreen | WelcomeScreen) -> None:
        keys = self.keyboard_use.in_use
        place_focus(screen, screen.first_control, using_keys=keys, heading=screen.heading)

    def _notice_on_show(self) -> NoticeOverlay | None:
        for notice in self._notices():
            if notice.isVisible():
                return notice
        return None

    def _focus_notice(self, notice: NoticeOverlay) -> None:
        notice.take_focus(using_keys=self.keyboard_use.in_use)

    def _touched(self) -> None:
        """A touch, click or key: the patient is there (the idle policy hears it)."""

    def _closing(self) -> None:
        """The window closes: what it started stops."""

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop watching the application's input once the kiosk window is closed.

        In lock-down a close from the window system (Alt+F4, a close button) is refused.
        """
        if not self.leaving_allowed:
            event.ignore()
            return
        # A check-in window at the desk closes; the desk goes on in its own language.
        InterfaceLanguage.use(SOURCE_LANGUAGE)
        if self._input is not None:
            self._input.stop()
        self.keyboard_use.stop()
        for timer in (self.done_timer, self.problem_timer):
            timer.stop()
        self._closing()
        # The voice's check is a process of its own: it must not outlive the kiosk.
        end_voice_checks()
        super().closeEvent(event)

    def _listen_to_input(self) -> None:
        """Hear every touch, click and key in the application from now on."""
        if self._input is None:
            self._input = Listening(_INPUT_EVENTS | TAP_STARTS, self._heard_input)

    def _heard_input(self, watched: QObject, event: QEvent) -> bool:
        """Any touch, click or key restarts the idle timeout; taps right after a change wait."""
        if event.type() in _INPUT_EVENTS:
            self._touched()
        return self.tap_guard.swallows(watched, event)

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab with nothing focused: round the notice on show, else the current screen."""
        notice = self._notice_on_show()
        root = notice or self.stack.currentWidget()
        if root is not None and move_focus(root, forward=next):
            return True
        return super().focusNextPrevChild(next)
