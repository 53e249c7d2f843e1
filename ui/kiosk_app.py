"""Start the patient kiosk: the Qt application, its style and the window.

Welcome is painted before storage is loaded. With Welcome's card (`kiosk.welcome_card`,
written by the check-in service at every start) the first frame needs only Qt, the
style and the Welcome screen; SQLAlchemy, the database and the content in use are loaded
after it, off the screen's thread, while the patient reads Welcome. Without a card (the
very first start, or a card that could not be read) Welcome waits for storage.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.logs import log_unexpected, open_held_log
from kiosk.overriding import override
from kiosk.settings import Settings, data_dir
from kiosk.welcome_card import read_welcome_card, welcome_card_file
from ui.errands import finish_errands
from ui.kiosk_frame import end_voice_checks
from ui.kiosk_window import KioskWindow
from ui.patient_display import kiosk_style

if TYPE_CHECKING:
    from kiosk.check_in import CheckIn
    from kiosk.station import Station

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
        self._quitting = False
        window.welcome.start_button.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Once Start is painted with Welcome ready, quit after this frame is finished."""
        welcome = self.window.welcome
        if (
            event.type() == QEvent.Type.Paint
            and not self._quitting
            and welcome.clinic_name.text()
            and welcome.start_button.isEnabled()
        ):
            # Start is the last thing Welcome paints; quitting from the next turn of the
            # event loop lets the frame reach the screen first.
            self._quitting = True
            QTimer.singleShot(0, _painted_and_quit)
        return super().eventFilter(watched, event)


FIRST_FRAME_PAINTED = "first frame painted"
"""Said on stderr when Welcome's frame has reached the screen: the benchmark times the
launch to this line, not to the end of the process (a kiosk is not closed to be used)."""


def _painted_and_quit() -> None:
    if sys.stderr is not None:  # none under pythonw on Windows
        sys.stderr.write(FIRST_FRAME_PAINTED + "\n")
        sys.stderr.flush()
    QApplication.quit()


def open_kiosk_station(settings: Settings, station: str) -> Station:
    """The kiosk's station, also on a database that is not ready; DatabaseUnavailableError
    if there is none to open at all.

    Not made, gone, or another version's: the kiosk never makes or upgrades one. It holds
    finished visits and says what to run; once that is run, it carries on by itself.
    """
    from kiosk.station import DatabaseNotReadyError, Station

    try:
        return Station.open(settings, name=station)
    except DatabaseNotReadyError as error:
        sys.stderr.write(f"kiosk: {error}; finished check-ins wait on this kiosk\n")
        logging.getLogger(__name__).error("check-ins wait on this kiosk: %s", error)
        return Station(error.database, station)


def open_storage(settings: Settings, station: str) -> tuple[Station, CheckIn] | None:
    """The station and its check-in service with the content in use read once, or None
    (said on stderr) when there is no database to open and none to read either."""
    from kiosk.held_visits import fallback_folder
    from kiosk.station import DatabaseUnavailableError, Station
    from ui.errands import DatabaseErrands

    try:
        opened = open_kiosk_station(settings, station)
    except DatabaseUnavailableError as error:
        view = Station.read_only_view(settings, name=station)
        if view is None:
            sys.stderr.write(f"kiosk: {error}\n")
            return None
        # The README's promise: while the database is read-only, check-ins go on and
        # finished visits wait on this machine until it can be written again.
        log.error("the database cannot be written; finished visits wait on this kiosk")
        sys.stderr.write(
            f"kiosk: {error}. Check-ins go on: finished visits wait in "
            f"{settings.held_visits_dir} (or {fallback_folder()} if that cannot be "
            "written) and are stored once the database and its folder can be written.\n"
        )
        opened = view
    # Errands are only run from the screen's thread; making the object here is harmless.
    check_in = opened.check_in(settings, errands=DatabaseErrands())
    check_in.content()
    return opened, check_in


class StorageLoading(QObject):
    """Loads storage (`open_storage`) on a thread of its own, once Welcome's first frame
    has been painted, and hands it to the screen's thread.

    A daemon thread, not an errand: a kiosk closed while it loads must not wait for it.

    Signals:
        loaded(object): the (station, check-in service) pair, or None.
    """

    loaded = Signal(object)

    def __init__(self, settings: Settings, station: str, first_frame: QWidget) -> None:
        super().__init__(first_frame)
        self.settings, self.station = settings, station
        self._begun = False
        first_frame.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Begin after the first paint has finished, never before it."""
        if event.type() == QEvent.Type.Paint and not self._begun:
            self._begun = True
            QTimer.singleShot(0, self._begin)
        return super().eventFilter(watched, event)

    def _begin(self) -> None:
        # The log first (`kiosk.logs.hold_log_records`): what storage's loading logs goes
        # straight to the file.
        open_held_log()
        threading.Thread(target=self._load, name="kiosk storage", daemon=True).start()

    def _load(self) -> None:
        try:
            result: object = open_storage(self.settings, self.station)
        except Exception as error:  # noqa: BLE001 - raised again on the screen's thread
            result = error
        # The kiosk may have closed while storage loaded: then nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self.loaded.emit(result)


def _with_storage(
    app: QApplication,
    window: KioskWindow,
    settings: Settings,
    *,
    lockdown: bool,
    staff_left: list[str],
) -> Callable[[object], None]:
    """What follows storage's loading: the window takes it up, then the kiosk's own
    timers (heartbeat, purge) and lock-down."""

    def taken_up(result: object) -> None:
        if isinstance(result, Exception):
            raise result
        if result is None:
            app.exit(1)
            return
        from ui.daily_purge import DailyPurge
        from ui.heartbeat import KioskHeartbeat
        from ui.lockdown import lock_down

        station, check_in = cast("tuple[Station, CheckIn]", result)
        window.storage_ready(station, check_in)
        # The desks learn that this kiosk is alive, and how many check-ins it holds.
        KioskHeartbeat(window.check_in, window)
        if settings.retention_days:
            DailyPurge(window, settings.retention_days)
        if lockdown:
            lock_down(window).staff_left.connect(staff_left.append)

    return taken_up


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
    # The voice's check is a process of its own: it ends with the kiosk, however it ends.
    app.aboutToQuit.connect(end_voice_checks)
    lockdown = settings.lockdown and not windowed
    staff_left: list[str] = []
    card = read_welcome_card(welcome_card_file(data_dir(), station))
    if card is None:
        # No card (the first start): Welcome waits for storage, and the log need not.
        open_held_log()
        loaded = open_storage(settings, station)
        if loaded is None:
            return 1
        window = KioskWindow(None, settings)
        _with_storage(app, window, settings, lockdown=lockdown, staff_left=staff_left)(loaded)
    else:
        window = KioskWindow(None, settings, card=card)
        # Once the whole of the first frame is painted; with check-in paused, Start is
        # not on it (waiting for Start's paint kept storage, and the kiosk, paused).
        loading = StorageLoading(settings, station, window.welcome.painted_last())
        loading.loaded.connect(
            _with_storage(app, window, settings, lockdown=lockdown, staff_left=staff_left)
        )
        if lockdown:
            # Full screen and no way out from the first frame; the rest of lock-down (its
            # module needs storage) follows once storage has loaded.
            window.leaving_allowed = False
            window.setWindowFlags(
                window.windowFlags()
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
            window.showFullScreen()
    install_error_screen(window)
    if exit_after_first_paint:
        QuitWhenWelcomeIsPainted(window)
    if not lockdown:
        screen = app.primaryScreen().availableGeometry()
        window.resize(min(1080, screen.width()), min(1920, screen.height()))
        window.show()
    try:
        status = app.exec()
    finally:
        finish_errands()
        if window.is_storage_ready:
            window.check_in.keep_before_closing()
            window.station.close()
    if staff_left:
        # Only here: the session's module (subprocess, signals) is no part of a first frame.
        from kiosk.kiosk_session import STAFF_CLOSED_STATUS

        return STAFF_CLOSED_STATUS
    return status
