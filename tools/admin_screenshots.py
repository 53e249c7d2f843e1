"""Render the admin content editor (every tab, dialogs) and its preview at desk-monitor sizes.

    .venv/bin/python tools/admin_screenshots.py OUTPUT_DIR

Uses a throwaway database; nothing is stored. Look at every picture after a change to
the editor: clipped text and unreadable parts are bugs.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.actor import Role, StaffMember
from kiosk.database import Database, init_database, open_database
from kiosk.pictures import ImportedPicture, import_picture
from kiosk.settings import Settings, load_settings
from kiosk.station import Station
from ui.admin.admin_window import AdminWindow
from ui.admin.publish_dialog import PublishDialog
from ui.screen_tour import tour

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
TABS = ["slides", "questions", "consent", "clinic"]


def _photo() -> bytes:
    image = Image.new("RGB", (2400, 1600), (120, 165, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 900, 2100, 1500), fill=(200, 180, 150))
    draw.ellipse((900, 200, 1500, 800), fill=(250, 230, 160))
    output = io.BytesIO()
    image.save(output, format="JPEG")
    return output.getvalue()


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))


def _save_publish_dialog(parent: QWidget, path: Path) -> None:
    dialog = PublishDialog(
        title="Publish the draft",
        explanation="This draft becomes the content of every visit that starts from now on.",
        warnings=[
            (
                "“Have you ever been told you have schizophrenia or psychosis?” is no longer a "
                "contraindication question; its answers will not ask a clinician to review the "
                "visit."
            )
        ],
        button_text="Publish",
        parent=parent,
    )
    dialog.show()
    _save(dialog, path)
    dialog.close()


def _edit_with_problems(window: AdminWindow, picture: ImportedPicture) -> None:
    """A draft with a picture lacking its description, an empty title and stale Spanish."""
    slides = list(window.pack.slides)
    slides[0] = dataclasses.replace(slides[0], picture=picture.name, picture_alt=None)
    slides[2] = dataclasses.replace(slides[2], title="")
    questions = list(window.pack.questions)
    # Reworded after it was translated: the Spanish is out of date.
    questions[0] = dataclasses.replace(
        questions[0],
        text="Has a doctor ever told you that you have schizophrenia or psychosis?",
    )
    window.take_edit(
        dataclasses.replace(
            window.pack,
            slides=tuple(slides),
            questions=tuple(questions),
            pictures={**window.pack.pictures, picture.name: picture.data},
        )
    )


def _save_translating(window: AdminWindow, output: Path, size_name: str) -> int:
    """The Spanish beside the clinic's own words, the reworded question marked."""
    window.language_choice.setCurrentIndex(window.language_choice.findData("es"))
    window.tabs.setCurrentIndex(1)
    window.question_list.items.setCurrentRow(0)
    _save(window, output / f"admin-translating-{size_name}.png")
    window.tabs.setCurrentIndex(0)
    window.slide_list.items.setCurrentRow(0)
    _save(window, output / f"admin-translating-slides-{size_name}.png")
    window.language_choice.setCurrentIndex(window.language_choice.findData(""))
    window.tabs.setCurrentIndex(0)
    return 2


def _save_changes(database: Database, settings: Settings, admin: StaffMember, output: Path) -> int:
    """Publish a reworded version, then show what restoring the first would change."""
    window = AdminWindow(Station(database, "screenshots"), settings, admin)
    window.editing.discard_draft(by=window.stamp())  # from the content in use
    window.load()
    slides = list(window.pack.slides)
    slides[2] = dataclasses.replace(
        slides[2], title="Common side effects", text=slides[2].text.replace("Most", "Almost all")
    )
    window.take_edit(dataclasses.replace(window.pack, slides=tuple(slides)))
    window.save_now()
    window.editing.save_draft(window.pack, based_on=None, by=window.stamp(), translated_from={})
    window.editing.publish_draft(label="clearer side effects", by=window.stamp())
    window.load()
    for size_name, (width, height) in SIZES.items():
        window.resize(width, height)
        window.show()
        window.show_versions()
        dialog = window.versions_dialog
        assert dialog is not None
        dialog.resize(min(1100, width - 40), min(640, height - 80))
        dialog.table.selectRow(1)
        dialog.views.setCurrentIndex(1)
        _save(dialog, output / f"admin-versions-changes-{size_name}.png")
        dialog.close()
    window.close()
    return len(SIZES)


def main() -> int:
    """Write `admin-…-<size>.png` and `preview-…-<size>.png` files to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    written = 0
    picture = import_picture(_photo(), "waiting-room.jpg")
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"database_url": f"sqlite:///{folder}/shots.sqlite3"})
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        admin = StaffMember(1, "admin", frozenset({Role.ADMIN}))
        for size_name, (width, height) in SIZES.items():
            window = AdminWindow(Station(database, "screenshots"), settings, admin)
            _edit_with_problems(window, picture)
            window.save_now()
            window.load()
            window.resize(width, height)
            window.show()
            window.check()
            for index, tab in enumerate(TABS):
                window.tabs.setCurrentIndex(index)
                _save(window, output / f"admin-{tab}-{size_name}.png")
                written += 1
            written += _save_translating(window, output, size_name)
            window.show_versions()
            assert window.versions_dialog is not None
            _save(window.versions_dialog, output / f"admin-versions-{size_name}.png")
            window.versions_dialog.close()
            _save_publish_dialog(window, output / f"admin-publish-dialog-{size_name}.png")
            written += 2
            window.show_preview()
            preview = window.preview
            assert preview is not None
            preview.room = QSize(width, height)
            kiosk = preview.kiosk
            for shape, button in (
                ("portrait", preview.portrait_button),
                ("landscape", preview.landscape_button),
            ):
                button.click()
                for name, _screen in tour(kiosk):
                    if name in {"welcome", "slide-01-what-it-is", "consent"}:
                        _save(preview, output / f"preview-{shape}-{name}-{size_name}.png")
                        written += 1
                    if name == "consent":
                        break
                preview.start_over()
                kiosk = preview.kiosk
            window.close()
            window.deleteLater()
            app.processEvents()
        written += _save_changes(database, settings, admin, output)
        database.close()
    print(f"wrote {written} pictures to {output}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
