"""Render every kiosk screen and build one contact sheet per screen.

    .venv/bin/python tools/screenshots.py OUTPUT_DIR [LANGUAGE]
    .venv/bin/python tools/screenshots.py OUTPUT_DIR --accessibility
    .venv/bin/python tools/screenshots.py OUTPUT_DIR --all

The first renders the three kiosk sizes side by side; with LANGUAGE (such as `es`), the
patient chooses that language on Welcome first. The second renders each screen at the
portrait size in English and Spanish (rows), at normal and 200 % text, in the kiosk's
theme and in high contrast (columns): eight pictures a sheet, `<screen>-access.png`.
The third renders every screen at the three sizes, at 100 % and 200 % text, in English
and Spanish, in both themes (`<size>-<language>-<text>-<theme>/<screen>.png`, 24 folders)
and one contact sheet of each portrait set (`portrait-<language>-<text>-<theme>.png`);
`portrait-en-100-normal.png` is the README's `docs/kiosk-screens.png`.

Uses a throwaway database; nothing is stored. Look at the sheets after every change to
a screen: clipped text, tiny targets and poor contrast are bugs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.database import Database, init_database, open_database
from kiosk.settings import Settings, load_settings
from kiosk.station import Station
from ui.kiosk_window import KioskWindow
from ui.patient_display import PatientDisplay, kiosk_style
from ui.read_aloud import ReadAloud
from ui.screen_tour import tour

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}
SHEET_HEIGHT = 960


# The accessibility sheet's columns: (label, text size, high contrast).
DISPLAYS = (
    ("normal", 1.0, False),
    ("200 %", 2.0, False),
    ("high contrast", 1.0, True),
    ("high contrast, 200 %", 2.0, True),
)
LANGUAGES = (("English", ""), ("Spanish", "es"))
CELL_HEIGHT = 800
LABEL_HEIGHT = 36


def screens_of_a_visit(
    app: QApplication,
    database: Database,
    settings: Settings,
    *,
    size: tuple[int, int],
    language: str,
    display: PatientDisplay,
) -> dict[str, QImage]:
    """Each screen of a visit, by its tour name, as drawn with `display`."""
    window = KioskWindow(Station(database, "screenshots"), settings)
    window.resize(*size)
    window.show()
    shots = {}
    for screen_name, screen in tour(window, language):
        # Starting a visit keeps the patient's choice; the tour's own resets do not.
        if window.display != display:
            window.show_display(display)
            app.processEvents()
        shots[screen_name] = screen.window().grab().toImage()
    window.close()
    window.deleteLater()
    app.processEvents()
    return shots


def wait_for_the_voice(app: QApplication, settings: Settings) -> None:
    """Let the program's check of the voice answer, so every window offers Read to me."""
    voice = ReadAloud(enabled=settings.read_aloud, engine=settings.speech_engine)
    deadline = time.monotonic() + ReadAloud.TRIAL_SECONDS
    while not voice.available_for("en") and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def accessibility_sheets(app: QApplication, output: Path) -> int:
    """Write `<screen>-access.png`: English and Spanish × normal, 200 %, high contrast."""
    grid: dict[str, dict[tuple[int, int], QImage]] = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            # Qt's mock voice, so that "Read to me" shows as where a voice exists.
            {
                "database_url": f"sqlite:///{folder}/shots.sqlite3",
                "speech_engine": "mock",
                "read_aloud": True,
            }
        )
        wait_for_the_voice(app, settings)
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        for row, (_, language) in enumerate(LANGUAGES):
            for column, (_, text_size, high_contrast) in enumerate(DISPLAYS):
                display = PatientDisplay(text_size=text_size, high_contrast=high_contrast)
                shots = screens_of_a_visit(
                    app,
                    database,
                    settings,
                    size=SIZES["portrait"],
                    language=language,
                    display=display,
                )
                for name, image in shots.items():
                    # Spanish adds "welcome-es" (after choosing); English has no match.
                    grid.setdefault(name.removesuffix(f"-{language}"), {})[row, column] = image
        database.close()
    cell_width = round(CELL_HEIGHT * SIZES["portrait"][0] / SIZES["portrait"][1])
    for name, cells in grid.items():
        sheet = QImage(
            len(DISPLAYS) * (cell_width + 20) + 20,
            len(LANGUAGES) * (CELL_HEIGHT + LABEL_HEIGHT + 20) + 20,
            QImage.Format.Format_RGB32,
        )
        sheet.fill(QColor("#555555"))
        painter = QPainter(sheet)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(QFont("DejaVu Sans", 16))
        for (row, column), image in cells.items():
            x = 20 + column * (cell_width + 20)
            y = 20 + row * (CELL_HEIGHT + LABEL_HEIGHT + 20)
            label = f"{LANGUAGES[row][0]}, {DISPLAYS[column][0]}"
            painter.drawText(QRect(x, y, cell_width, LABEL_HEIGHT), 0, label)
            scaled = image.scaledToHeight(CELL_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            painter.drawImage(x, y + LABEL_HEIGHT, scaled)
        painter.end()
        sheet.save(str(output / f"{name}-access.png"))
    print(f"wrote {len(grid)} accessibility sheets to {output}")  # noqa: T201
    return 0


# The sheet of a portrait set: small enough to read every screen's layout at a glance.
THUMB_HEIGHT = 400
THUMB_COLUMNS = 8


def all_screens(app: QApplication, output: Path) -> int:
    """Every screen × size × 100 % and 200 % × English and Spanish × both themes."""
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            {
                "database_url": f"sqlite:///{folder}/shots.sqlite3",
                "speech_engine": "mock",
                "read_aloud": True,
            }
        )
        wait_for_the_voice(app, settings)
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        count = 0
        for size_name, size in SIZES.items():
            for language_name, language in LANGUAGES:
                for text_size in (1.0, 2.0):
                    for high_contrast in (False, True):
                        display = PatientDisplay(text_size=text_size, high_contrast=high_contrast)
                        set_name = "-".join(
                            (
                                language or "en",
                                f"{round(text_size * 100)}",
                                "contrast" if high_contrast else "normal",
                            )
                        )
                        folder_out = output / f"{size_name}-{set_name}"
                        folder_out.mkdir(parents=True, exist_ok=True)
                        shots = screens_of_a_visit(
                            app,
                            database,
                            settings,
                            size=size,
                            language=language,
                            display=display,
                        )
                        for name, image in shots.items():
                            image.save(str(folder_out / f"{name}.png"))
                        count += len(shots)
                        if size_name == "portrait":
                            label = f"{language_name}, {round(text_size * 100)} % text" + (
                                ", high contrast" if high_contrast else ""
                            )
                            set_sheet(shots, label, output / f"portrait-{set_name}.png")
        database.close()
    print(f"wrote {count} screens to {output}")  # noqa: T201
    return 0


def set_sheet(shots: dict[str, QImage], title: str, path: Path) -> None:
    """Every screen of one set as a grid of labelled thumbnails, in a patient's order."""
    names = list(shots)
    first = shots[names[0]]
    width = round(THUMB_HEIGHT * first.width() / first.height())
    cell_w, cell_h = width + 16, THUMB_HEIGHT + LABEL_HEIGHT + 16
    rows = -(-len(names) // THUMB_COLUMNS)
    sheet = QImage(
        THUMB_COLUMNS * cell_w + 16, rows * cell_h + LABEL_HEIGHT + 24, QImage.Format.Format_RGB32
    )
    sheet.fill(QColor("#555555"))
    painter = QPainter(sheet)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(QFont("DejaVu Sans", 18, QFont.Weight.DemiBold))
    painter.drawText(QRect(16, 8, sheet.width() - 32, LABEL_HEIGHT), 0, title)
    painter.setFont(QFont("DejaVu Sans", 11))
    for index, name in enumerate(names):
        x = 16 + (index % THUMB_COLUMNS) * cell_w
        y = LABEL_HEIGHT + 16 + (index // THUMB_COLUMNS) * cell_h
        painter.drawText(QRect(x, y, width, LABEL_HEIGHT), 0, name)
        thumb = shots[name].scaledToHeight(THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        painter.drawImage(x, y + LABEL_HEIGHT - 8, thumb)
    painter.end()
    sheet.save(str(path))


def main() -> int:
    """Write `<screen>-<size>.png` and `<screen>-sheet.png` files to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    language = sys.argv[2] if len(sys.argv) > 2 else ""
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(kiosk_style())
    if language == "--accessibility":
        return accessibility_sheets(app, output)
    if language == "--all":
        return all_screens(app, output)
    shots: dict[str, list[QImage]] = {}
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            # Qt's mock voice, so that "Read to me" shows as where a voice exists.
            {
                "database_url": f"sqlite:///{folder}/shots.sqlite3",
                "speech_engine": "mock",
                "read_aloud": True,
            }
        )
        wait_for_the_voice(app, settings)
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        for size_name, size in SIZES.items():
            window = KioskWindow(Station(database, "screenshots"), settings)
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
    portrait_sheet(shots, output / "kiosk-portrait.png")
    print(f"wrote {len(shots)} contact sheets to {output}")  # noqa: T201
    return 0


# The screens in the README's picture (docs/kiosk-portrait.png), in a patient's order.
README_SCREENS = (
    "welcome",
    "details",
    "slide-03-common-side-effects",
    "question-flagged",
    "consent-acknowledged",
    "ride-home",
    "done-flagged",
)


def portrait_sheet(shots: dict[str, list[QImage]], path: Path) -> None:
    """One row of the portrait screens a patient sees, for the README."""
    height = 700
    images = [
        shots[name][0].scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
        for name in README_SCREENS
        if name in shots
    ]
    if not images:
        return
    sheet = QImage(
        sum(i.width() for i in images) + 12 * (len(images) + 1),
        height + 24,
        QImage.Format.Format_RGB32,
    )
    sheet.fill(QColor("#555555"))
    painter = QPainter(sheet)
    x = 12
    for image in images:
        painter.drawImage(x, 12, image)
        x += image.width() + 12
    painter.end()
    sheet.save(str(path))


if __name__ == "__main__":
    sys.exit(main())
