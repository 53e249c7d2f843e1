"""Start the patient kiosk: the Qt application, its style and the window."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from typing_extensions import override

from kiosk.held_visits import fallback_folder
from kiosk.kiosk_session import STAFF_CLOSED_STATUS
from kiosk.logs import log_unexpected
from kiosk.settings import Settings
from kiosk.station import DatabaseNotReadyError, DatabaseUnavailableError, Station
from ui.daily_purge import DailyPurge
from ui.heartbeat import KioskHeartbeat
from ui.kiosk_window import KioskWindow
from ui.lockdown import lock_down
from ui.patient_display import kiosk_style

log = logging.getLogger(__name__)


def no_screen_reason() -> str | None:
    """Why no window can open here (Linux with no display), or None."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "kiosk: there is no screen to show this window on (DISPLAY and WAYLAND_DISPLAY are "
        "not set). Start it from the kiosk's desktop session, or under a virtual screen "
        "such as `xvfb-run kiosk run` (or `xvfb-run kiosk desk`)."
    )


def install_error_screen(window: KioskWindow) -> None:
    """An unexpected error: logged without patient data, never a trace on the screen."""

    def handle(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        log_unexpected(kind, trace)
        window.recover_from_unexpected_error()

    sys.excepthook = handle


class QuitWhenWelcomeIsPainted(QObject):
    """Quits the application once Welcome has been painted ready to tap: the clinic's name
    shown and Start enabled. The start-up benchmark measures launch to this moment."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        window.welcome.start_button.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Once Start is painted with Welcome ready, quit after this frame is finished."""
        welcome = self.window.welcome
        if (
            event.type() == QEvent.Type.Paint
            and welcome.clinic_name.text()
            and welcome.start_button.isEnabled()
        ):
            # Start is the last thing Welcome paints; quitting from the next turn of the
            # event loop lets the frame reach the screen first.
            QTimer.singleShot(0, QApplication.quit)
        return super().eventFilter(watched, event)


def open_kiosk_station(settings: Settings, station: str) -> Station:
    """The kiosk's station, also on a database that is not ready; DatabaseUnavailableError
    if there is none to open at all.

    Not made, gone, or another version's: the kiosk never makes or upgrades one. It holds
    finished visits and says what to run; once that is run, it carries on by itself.
    """
    try:
        return Station.open(settings, name=station)
    except DatabaseNotReadyError as error:
        sys.stderr.write(f"kiosk: {error}; finished check-ins wait on this kiosk\n")
        logging.getLogger(__name__).error("check-ins wait on this kiosk: %s", error)
        return Station(error.database, station)


def run_kiosk(
    settings: Settings, *, station: str, windowed: bool, exit_after_first_paint: bool = False
) -> int:
    """Open the kiosk window and run until it is closed.

    Returns `STAFF_CLOSED_STATUS` when staff closed it from lock-down, so a kiosk session
    (`kiosk run --supervised`) knows to end rather than start it again.
    """
    reason = no_screen_reason()
    if reason is not None:
        # Qt would abort with a core dump and a page of plugin advice; say it plainly.
        sys.stderr.write(reason + "\n")
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Waiting Room Kiosk")
    app.setStyleSheet(kiosk_style())
    try:
        opened = open_kiosk_station(settings, station)
    except DatabaseUnavailableError as error:
        view = Station.read_only_view(settings, name=station)
        if view is None:
            sys.stderr.write(f"kiosk: {error}\n")
            return 1
        # The README's promise: while the database is read-only, check-ins go on and
        # finished visits wait on this machine until it can be written again.
        log.error("the database cannot be written; finished visits wait on this kiosk")
        sys.stderr.write(
            f"kiosk: {error}. Check-ins go on: finished visits wait in "
            f"{settings.held_visits_dir} (or {fallback_folder()} if that cannot be "
            "written) and are stored once the database and its folder can be written.\n"
        )
        opened = view
    window = KioskWindow(opened, settings)
    install_error_screen(window)
    # The desks learn that this kiosk is alive, and how many check-ins it holds.
    KioskHeartbeat(window.check_in, window)
    if settings.retention_days:
        DailyPurge(window, settings.retention_days)
    if exit_after_first_paint:
        QuitWhenWelcomeIsPainted(window)
    staff_left: list[str] = []
    if settings.lockdown and not windowed:
        lock_down(window).staff_left.connect(staff_left.append)
    else:
        screen = app.primaryScreen().availableGeometry()
        window.resize(min(1080, screen.width()), min(1920, screen.height()))
        window.show()
    try:
        status = app.exec()
    finally:
        opened.close()
    return STAFF_CLOSED_STATUS if staff_left else status
