"""Render the PHQ-9 and GAD-7 trends for the README: the desk and a printed summary.

    .venv/bin/python tools/measure_pictures.py OUTPUT_DIR

Fills a throwaway database with `kiosk demo-data`'s visits (its content asks both
measures), opens the newest visit of the returning patient with the most visits on the
desk at 1920×1080 and 1366×768 (`desk-measures-<size>.png`), and writes that visit's
summary (`summary-measures.pdf`; `pdftoppm -png -r 100` makes pictures of its pages).
Look at every picture after a change: clipped text is a bug.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.actor import Actor, Role, StaffMember
from kiosk.database import init_database, open_database
from kiosk.settings import load_settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.summary import build_summary
from kiosk.upkeep import Upkeep
from ui.desk.desk_window import DeskWindow

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


def _save(widget: QWidget, path: Path) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))


def main() -> int:
    """Write the pictures and the summary to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("waiting-room-kiosk-screenshots")
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings({"database_url": f"sqlite:///{folder}/shots.sqlite3"})
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        now = datetime.now(UTC)
        by = Actor.staff(CLERK, station="desk-1", now=now)
        Upkeep(database).add_demo_visits(
            200, content_dir=None, zone=settings.zone, force=False, by=by
        )
        with database.session() as session:
            visits = sorted(list_visits(session), key=lambda v: v.finished_at)
            counts: dict[int, int] = {}
            for visit in visits:
                if visit.patient_id is not None:
                    counts[visit.patient_id] = counts.get(visit.patient_id, 0) + 1
            patient = max(counts, key=lambda p: counts[p])
            newest = [v for v in visits if v.patient_id == patient][-1]
            record = load_visit(session, newest.id)
        assert record is not None
        (output / "summary-measures.pdf").write_bytes(
            build_summary(record, zone=settings.zone, printed_by="maria", printed_at=now)
        )
        station = Station(database, "desk-1")
        for size_name, (width, height) in SIZES.items():
            window = DeskWindow(station, settings, CLERK)
            window.resize(width, height)
            window.show()
            window.open_visit(newest.id)
            # Scrolled to the measures: the chart is what this picture is for.
            anchor = window.details.toPlainText().find("PHQ-9: total")
            cursor = window.details.textCursor()
            cursor.setPosition(anchor)
            window.details.setTextCursor(cursor)
            window.details.ensureCursorVisible()
            bar = window.details.verticalScrollBar()
            bar.setValue(min(bar.maximum(), bar.value() + window.details.height() // 2 - 40))
            _save(window, output / f"desk-measures-{size_name}.png")
            window.close()
            window.deleteLater()
            app.processEvents()
        database.close()
    print(f"wrote the desk's pictures and summary-measures.pdf to {output}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
