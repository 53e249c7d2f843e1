"""Render every kiosk screen at the three kiosk sizes and build one contact sheet per screen.

    .venv/bin/python tools/screenshots.py OUTPUT_DIR [LANGUAGE]

With LANGUAGE (such as `es`), the patient chooses that language on Welcome first.

Uses a throwaway database; nothing is stored. Look at the sheets after every change to
a screen: clipped text, tiny targets and poor contrast are bugs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.settings import load_settings
from kiosk.store import open_database
from tests.ui.screen_tour import tour
from ui.kiosk_window import KioskWindow
from ui.patient_display import kiosk_style

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}
SHEET_HEIGHT = 960


def main() -> int:
    """Write `<screen>-<size>.png` and `<screen>-sheet.png` files to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    language = sys.argv[2] if len(sys.argv) > 2 else ""
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(kiosk_style())
    shots: dict[str, list[QImage]] = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"database_url": f"sqlite:///{folder}/shots.sqlite3"})
        database = open_database(settings.database_url)
        for size_name, size in SIZES.items():
            window = KioskWindow(database, settings, station="screenshots")
            window.resize(*size)
            window.show()
            for screen_name, screen in tour(window, language):
                image = screen.window().grab().toImage()
                name = f"{language}-{screen_name}" if language else screen_name
                image.save(str(output / f"{name}-{size_name}.png"))
                shots.setdefault(name, []).append(image)
            window.close()
            window.deleteLater()
            app.processEvents()
        database.close()
    for name, images in shots.items():
        scaled = [
            i.scaledToHeight(SHEET_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            for i in images
        ]
        sheet = QImage(
            sum(i.width() for i in scaled) + 20 * (len(scaled) + 1),
            SHEET_HEIGHT + 40,
            QImage.Format.Format_RGB32,
        )
        sheet.fill(QColor("#555555"))
        painter = QPainter(sheet)
        x = 20
        for image in scaled:
            painter.drawImage(x, 20, image)
            x += image.width() + 20
        painter.end()
        sheet.save(str(output / f"{name}-sheet.png"))
    print(f"wrote {len(shots)} contact sheets to {output}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
