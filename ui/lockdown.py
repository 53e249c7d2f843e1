"""Lock-down: a patient can use the kiosk, and nothing else on the machine.

Inside the application, keys and gestures that would close the window, open a menu or
copy text do nothing. Staff leave by holding the top-left corner for a few seconds and
signing in. The window fills the screen by itself, with or without a window manager, and
comes back at once if something minimises it. Keys that belong to the operating system
(Alt+Tab, the Windows key, Ctrl+Alt+F-keys) cannot be caught by an application at all:
the kiosk runs in a single-application session for those (see `deploy/` and the README).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QAbstractButton, QLineEdit

from kiosk.actor import Actor, Permission, StaffMember
from ui.exit_pin_dialog import ExitPinDialog
from ui.kiosk_window import KioskWindow
from ui.sign_in_dialog import SignInDialog
from ui.widgets.input_watch import Listening

log = logging.getLogger(__name__)

# Keys that close or leave a window in most desktops and toolkits.
_LEAVING_KEYS = {
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
}
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
_PRESSES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
_RELEASES = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel}
# Everything lock-down hears of the application's input (ui.widgets.input_watch).
_HEARD = (
    _KEY_EVENTS
    | _PRESSES
    | _RELEASES
    | {
        QEvent.Type.WindowStateChange,
        QEvent.Type.ContextMenu,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
    }
)

# How long a window manager or compositor gets to make the window full screen.
_SETTLING_MS = 1000

SignInAsk = Callable[..., StaffMember | None]
ExitPinAsk = Callable[..., bool]


class KioskLockdown(QObject):
    """Watches every event of the application while the kiosk is locked down.

    Signals:
        staff_left(str): a member of staff signed in to leave the kiosk (their username;
            "" when they typed the kiosk's exit PIN).
    """

    staff_left = Signal(str)

    def __init__(
        self,
        window: KioskWindow,
        *,
        hold_seconds: float = 5.0,
        corner_pixels: int = 90,
        ask_sign_in: SignInAsk | None = None,
        ask_exit_pin: ExitPinAsk | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.corner_pixels = corner_pixels
        self.ask_sign_in = ask_sign_in or SignInDialog.ask
        self.ask_exit_pin = ask_exit_pin or ExitPinDialog.ask
        self.hold_timer = QTimer(self)
        self.hold_timer.setSingleShot(True)
        self.hold_timer.setInterval(round(hold_seconds * 1000))
        self.hold_timer.timeout.connect(self._held_long_enough)
        self._swallow_release = False
        window.leaving_allowed = False
        window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._input = Listening(_HEARD, self._heard)

    def fill_screen(self) -> None:
        """Cover the whole screen, whatever window manager there is, or none.

        Full screen is a request a window manager may ignore, and with none at all (a bare
        X server, a misconfigured session) nobody acts on it: the window would stay at its
        first size. So once the window system has had its turn, a window that does not
        cover the screen takes the screen's size itself, and the log says so.
        """
        self.window.showFullScreen()
        # Not before showing: under cage, a window sized to the screen before it is first
        # shown is never drawn (Qt's Wayland plugin waits for a size change that never
        # comes), and the patient would face a black screen.
        QTimer.singleShot(_SETTLING_MS, self._cover_screen)

    def _covers_screen(self) -> bool:
        return self.window.frameGeometry().contains(self.window.screen().geometry())

    def _cover_screen(self) -> None:
        window = getattr(self, "window", None)  # gone while Python shuts down
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            return
        if self._covers_screen():
            return
        shown, screen = self.window.frameGeometry(), self.window.screen().geometry()
        # Clinic IT reads this in the log: no window manager, or one that ignores full
        # screen (or a panel that keeps its place), is what left the kiosk this size.
        log.warning(
            "lock-down: the window system left the kiosk at %dx%d on a %dx%d screen, not full "
            "screen; sizing it to the screen itself",
            shown.width(),
            shown.height(),
            screen.width(),
            screen.height(),
        )
        self.window.setGeometry(screen)
        QTimer.singleShot(_SETTLING_MS, self._check_covers_screen)

    def _check_covers_screen(self) -> None:
        if shiboken6.isValid(self.window) and self.window.isVisible() and not self._covers_screen():
            shown = self.window.frameGeometry()
            log.error(
                "lock-down: the kiosk cannot cover the screen (it shows at %dx%d at %d,%d): "
                "something on this computer keeps it from being full screen",
                shown.width(),
                shown.height(),
                shown.x(),
                shown.y(),
            )

    def screen_changed(self, _geometry: QRect) -> None:
        """The screen's size changed: cover it again."""
        if shiboken6.isValid(self.window) and not self.window.leaving_allowed:
            self.fill_screen()

    def _window_state_changed(self) -> None:
        # A window manager's minimise button, keys or task bar would leave the patient at
        # the desktop. (Only minimised: a compositor such as cage answers full screen with
        # "maximised" to the screen's size, and asking again would never end.)
        if self.window.windowState() & Qt.WindowState.WindowMinimized:
            # After this event, so Qt has settled the old state first.
            QTimer.singleShot(0, self._show_again)

    def _show_again(self) -> None:
        if shiboken6.isValid(self.window) and not self.window.leaving_allowed:
            log.info("lock-down: the kiosk was minimised; shown again")
            self.fill_screen()
            self.window.raise_()
            self.window.activateWindow()

    def _in_corner(self, global_point: QPoint) -> bool:
        local = self.window.mapFromGlobal(global_point)
        return 0 <= local.x() < self.corner_pixels and 0 <= local.y() < self.corner_pixels

    def _heard(self, watched: QObject, event: QEvent) -> bool:
        """Swallow what would let a patient leave, copy or open menus; time corner holds."""
        window = getattr(self, "window", None)  # gone while Python shuts down
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            # The kiosk has closed: whatever window is left (a desk, a test's) is not
            # locked down.
            return False
        kind = event.type()
        if kind == QEvent.Type.WindowStateChange and watched is self.window:
            self._window_state_changed()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent):
            return self._swallows_key(event)
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind in _PRESSES:
            point = self._global_point(event)
            if point is not None and self._in_corner(point):
                self.hold_timer.start()
            else:
                self.hold_timer.stop()
        elif kind in _RELEASES:
            self.hold_timer.stop()
            if self._swallow_release:
                self._swallow_release = False
                return True
        return isinstance(watched, QLineEdit) and self._selects_text(event)

    @staticmethod
    def _swallows_key(event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if (key, modifiers) in _LEAVING_KEYS:
            return True
        # Ctrl and Alt combinations are copy, paste, select-all, undo and menus: a patient
        # needs none of them (the on-screen keyboard types plain characters).
        return bool(
            modifiers
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )

    @staticmethod
    def _selects_text(event: QEvent) -> bool:
        # A double tap selects a word and a drag selects text; both only lead to copying.
        if event.type() == QEvent.Type.MouseButtonDblClick:
            return True
        return (
            event.type() == QEvent.Type.MouseMove
            and isinstance(event, QMouseEvent)
            and bool(event.buttons() & Qt.MouseButton.LeftButton)
        )

    @staticmethod
    def _global_point(event: QEvent) -> QPoint | None:
        if isinstance(event, QMouseEvent):
            return event.globalPosition().toPoint()
        if isinstance(event, QTouchEvent) and event.points():
            return event.points()[0].globalPosition().toPoint()
        return None

    def _held_long_enough(self) -> None:
        # The finger is still down on whatever is in the corner: that press must not
        # become a tap when it lifts.
        self._swallow_release = True
        for button in self.window.findChildren(QAbstractButton):
            if button.isDown():
                button.setDown(False)
        check_in = self.window.check_in
        if check_in.exit_pin is not None:
            # The kiosk's own PIN (on a server its database role reads no account).
            if not self.ask_exit_pin(check_in, parent=self.window):
                return
            log.info("kiosk closed by staff from lock-down with the exit PIN")
            self._leave("")
            return
        member = self.ask_sign_in(
            self.window.station,
            self.window.settings,
            purpose=self.tr("Staff: sign in to close the kiosk"),
            needed=Permission.CLOSE_KIOSK,
            touch=True,
            parent=self.window,
        )
        if member is None:
            return
        self.window.check_in.kiosk_closed(
            Actor.staff(member, station=self.window.station.name, now=self.window.clock())
        )
        log.info("kiosk closed by staff from lock-down")
        self._leave(member.username)

    def _leave(self, username: str) -> None:
        self.window.leaving_allowed = True
        if self.window.visit is not None:
            self.window.visit.abandon()
        self.staff_left.emit(username)
        self.window.close()
        self._input.stop()


def lock_down(window: KioskWindow) -> KioskLockdown:
    """Full screen, frameless, on top, and the patient cannot leave it."""
    window.setWindowFlags(
        window.windowFlags()
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
    )
    lockdown = KioskLockdown(window)
    lockdown.fill_screen()
    # A screen turned or given another resolution: cover it again.
    window.screen().geometryChanged.connect(lockdown.screen_changed)
    return lockdown
