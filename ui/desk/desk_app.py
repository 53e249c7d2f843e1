"""`kiosk desk`: sign in, then the front desk; an idle desk signs itself out.

The desk's alerts are watched from start to exit (`ui.desk.desk_alerts`), not only while
someone is signed in: the sign-in dialog shows them too, so a desk signed out by its
idle timer still shows and sounds a patient's help request.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog

from kiosk.actor import StaffMember
from kiosk.settings import Settings
from kiosk.station import DatabaseUnavailableError, Station
from ui.desk.alert_banner import AlertBanner
from ui.desk.desk_alerts import DeskAlerts
from ui.desk.desk_window import DeskWindow
from ui.errands import finish_errands
from ui.kiosk_app import no_screen_reason
from ui.sign_in_dialog import SignInDialog
from ui.staff_session import StaffSession


class DeskShift(QObject):
    """A shift at the desk: sign-in, the desk window, and sign-in again after idle.

    Signals:
        finished: nobody signed in (Cancel), or staff closed the desk window.
    """

    finished = Signal()

    def __init__(
        self, station: Station, settings: Settings, *, idle_milliseconds: int, alerts: DeskAlerts
    ) -> None:
        super().__init__()
        self.station = station
        self.settings = settings
        self.idle_milliseconds = idle_milliseconds
        self.alerts = alerts
        self.sign_in: SignInDialog | None = None
        self.window: DeskWindow | None = None
        self.session: StaffSession | None = None

    def ask_to_sign_in(self) -> None:
        """The sign-in dialog, with the desk's alerts above it (no patient's name there)."""
        banner = AlertBanner(self.alerts, self.station, self.settings.zone)
        dialog = SignInDialog(
            self.station,
            self.settings,
            purpose=QApplication.translate("DeskShift", "Front desk sign-in"),
            banner=banner,
        )
        dialog.finished.connect(self._signed_in)
        self.sign_in = dialog
        dialog.resize(720, dialog.sizeHint().height())
        dialog.show()

    def _signed_in(self, result: int) -> None:
        dialog, self.sign_in = self.sign_in, None
        member = dialog.member if dialog is not None else None
        if dialog is not None:
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or member is None:
            self.finished.emit()
            return
        self._open_desk(member)

    def _open_desk(self, member: StaffMember) -> None:
        window = DeskWindow(self.station, self.settings, member, alerts=self.alerts)
        session = StaffSession(
            self.station, member, idle_milliseconds=self.idle_milliseconds, parent=window
        )
        session.signed_out.connect(window.close)
        window.closed.connect(self._desk_closed)
        self.window, self.session = window, session
        window.resize(1600, 900)
        window.show()

    def _desk_closed(self) -> None:
        window, session = self.window, self.session
        if window is None:
            return  # told twice (a close after the close): one sign-in dialog at a time
        self.window = self.session = None
        window.deleteLater()
        if session is not None and session.member is not None:
            # Closed by staff, not by the idle timer: the desk ends.
            session.sign_out("window closed")
            self.finished.emit()
            return
        self.ask_to_sign_in()


def run_desk(settings: Settings, *, station: str) -> int:
    """Run the front desk until nobody signs in again or the window is closed."""
    reason = no_screen_reason()
    if reason is not None:
        sys.stderr.write(reason + "\n")
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Waiting Room Kiosk — front desk")
    app.setOrganizationName("waiting-room-kiosk")
    app.setQuitOnLastWindowClosed(False)  # between sign-outs and sign-ins
    try:
        opened = Station.open(settings, name=station)
    except DatabaseUnavailableError as error:
        sys.stderr.write(f"kiosk: {error}\n")
        return 1
    alerts = DeskAlerts(opened, parent=app)
    desk = DeskShift(
        opened, settings, idle_milliseconds=settings.staff_idle_minutes * 60_000, alerts=alerts
    )
    desk.finished.connect(app.quit)
    try:
        desk.ask_to_sign_in()
        return app.exec()
    finally:
        alerts.stop()
        finish_errands()
        opened.close()
