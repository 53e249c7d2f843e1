"""Render the admin content editor (every tab) and its preview at desk-monitor sizes.

    .venv/bin/python tools/admin_screenshots.py OUTPUT_DIR

Uses a throwaway database; nothing is stored. Look at every picture after a change to
the editor: clipped text and unreadable parts are bugs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from kiosk.auth import Role, StaffMember
from kiosk.settings import load_settings
from kiosk.store import open_database
from ui.admin.admin_window import AdminWindow

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
TABS = ["slides", "questions", "consent", "clinic"]


def main() -> int:
    """Write `admin-<tab>-<size>.png` and `preview-<shape>-<size>.png` to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    written = 0
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"database_url": f"sqlite:///{folder}/shots.sqlite3"})
        database = open_database(settings.database_url)
        admin = StaffMember(1, "admin", Role.ADMIN)
        for size_name, (width, height) in SIZES.items():
            window = AdminWindow(database, settings, admin, station="screenshots")
            window.resize(width, height)
            window.show()
            app.processEvents()
            for index, tab in enumerate(TABS):
                window.tabs.setCurrentIndex(index)
                app.processEvents()
                window.grab().save(str(output / f"admin-{tab}-{size_name}.png"))
                written += 1
            window.tabs.setCurrentIndex(0)
            window.show_preview()
            preview = window.preview
            assert preview is not None
            for shape, button in (
                ("portrait", preview.portrait_button),
                ("landscape", preview.landscape_button),
            ):
                button.click()
                app.processEvents()
                preview.grab().save(str(output / f"preview-{shape}-{size_name}.png"))
                written += 1
            window.close()
            window.deleteLater()
            app.processEvents()
        database.close()
    print(f"wrote {written} pictures to {output}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
