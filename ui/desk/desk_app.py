"""`kiosk desk`: sign in, then the front desk; an idle desk signs itself out."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from kiosk.settings import Settings
from kiosk.station import DatabaseUnavailableError, Station
from ui.desk.desk_window import DeskWindow
from ui.kiosk_app import no_screen_reason
from ui.sign_in_dialog import SignInDialog
from ui.staff_session import StaffSession


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
    try:
        opened = Station.open(settings, name=station)
    except DatabaseUnavailableError as error:
        sys.stderr.write(f"kiosk: {error}\n")
        return 1
    try:
        while True:
            member = SignInDialog.ask(opened, settings, purpose=app.tr("Front desk sign-in"))
            if member is None:
                return 0
            window = DeskWindow(opened, settings, member)
            session = StaffSession(
                opened,
                member,
                idle_milliseconds=settings.staff_idle_minutes * 60_000,
                parent=window,
            )
            signed_out_by_idle: list[str] = []
            session.signed_out.connect(signed_out_by_idle.append)
            session.signed_out.connect(window.close)
            window.resize(1600, 900)
            window.show()
            app.exec()
            if not signed_out_by_idle:
                session.sign_out("window closed")
                return 0
            window.deleteLater()
    finally:
        opened.close()
