"""`kiosk admin`: an admin signs in, then edits the content; an idle editor signs out."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from kiosk.actor import Permission
from kiosk.settings import Settings
from kiosk.station import DatabaseUnavailableError, Station
from ui.admin.admin_window import AdminWindow
from ui.kiosk_app import no_screen_reason
from ui.sign_in_dialog import SignInDialog
from ui.staff_session import StaffSession


def open_editor(station: Station, settings: Settings) -> AdminWindow | None:
    """Ask for an admin's sign-in; the editor for them, or None if nobody signed in.

    A staff or clinician account is refused by the sign-in dialog itself.
    """
    member = SignInDialog.ask(
        station,
        settings,
        purpose=QCoreApplication.translate("AdminApp", "Admin sign-in: content editor"),
        needed=Permission.EDIT_CONTENT,
    )
    if member is None:
        return None
    return AdminWindow(station, settings, member)


def run_admin(settings: Settings, *, station: str) -> int:
    """Run the content editor until nobody signs in again or the window is closed."""
    reason = no_screen_reason()
    if reason is not None:
        sys.stderr.write(reason + "\n")
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Waiting Room Kiosk — content editor")
    app.setOrganizationName("waiting-room-kiosk")
    try:
        opened = Station.open(settings, name=station)
    except DatabaseUnavailableError as error:
        sys.stderr.write(f"kiosk: {error}\n")
        return 1
    try:
        while True:
            window = open_editor(opened, settings)
            if window is None:
                return 0
            session = StaffSession(
                opened,
                window.member,
                idle_milliseconds=settings.staff_idle_minutes * 60_000,
                parent=window,
            )
            signed_out_by_idle: list[str] = []
            session.signed_out.connect(signed_out_by_idle.append)
            # Closing the window saves the draft first: an idle sign-out loses no work.
            session.signed_out.connect(window.close)
            screen = app.primaryScreen().availableGeometry()
            window.resize(min(1600, screen.width()), min(1000, screen.height()))
            window.show()
            app.exec()
            if not signed_out_by_idle:
                session.sign_out("window closed")
                return 0
            window.deleteLater()
    finally:
        opened.close()
