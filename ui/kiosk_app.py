"""Start the patient kiosk: the Qt application, its style and the window."""

from __future__ import annotations

import sys
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.settings import Settings
from kiosk.store import open_database
from ui.kiosk_window import KioskWindow


def kiosk_style() -> str:
    """The kiosk's QSS, shipped in `resources/styles`."""
    return resources.files("resources").joinpath("styles", "kiosk.qss").read_text("utf-8")


def run_kiosk(settings: Settings, *, station: str, windowed: bool) -> int:
    """Open the kiosk window and run until it is closed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Waiting Room Kiosk")
    app.setStyleSheet(kiosk_style())
    database = open_database(settings.database_url)
    window = KioskWindow(database, settings, station=station)
    if settings.lockdown and not windowed:
        window.setWindowFlags(
            Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        window.showFullScreen()
    else:
        screen = app.primaryScreen().availableGeometry()
        window.resize(min(1080, screen.width()), min(1920, screen.height()))
        window.show()
    try:
        return app.exec()
    finally:
        database.close()
