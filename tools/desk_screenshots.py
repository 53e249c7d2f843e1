"""Render the front desk on a busy morning at desk-monitor sizes, for the README.

    .venv/bin/python tools/desk_screenshots.py OUTPUT_DIR

Writes `desk-<size>.png` (a flagged visit open, its print failed) and
`desk-glance-<size>.png` (no visit chosen: today at a glance) at 1920×1080 and 1366×768.
Uses a throwaway database with made-up patients; nothing is printed or stored elsewhere.
Look at every picture after a change to the desk: clipped text is a bug.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import desk
from kiosk.actor import Actor, Role, StaffMember
from kiosk.alerts import AlertKind
from kiosk.content import Answer
from kiosk.content_versions import content_in_use
from kiosk.database import Database, init_database, open_database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.printing import JobStatus, PrintJob, PrintState
from kiosk.settings import load_settings
from kiosk.station import Station
from kiosk.stored_visits import save_visit
from kiosk.visit_walk import RIDE_HOME, ManualClock, walk_visit
from ui.desk.desk_window import DeskWindow

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
NURSE = StaffMember(2, "drlee", frozenset({Role.CLINICIAN}))

# A morning's check-ins: (first, last, minutes ago, answers, ride home, talk first).
MORNING: list[tuple[str, str, int, dict[str, str], bool, bool]] = [
    ("Walter", "Nash", 8, {"blood-pressure": Answer.NOT_SURE}, False, False),
    ("Rosa", "Delgado", 15, {"pregnancy": Answer.YES}, True, False),
    ("Kevin", "O'Brien", 22, {}, False, False),
    ("Aisha", "Rahman", 31, {}, True, True),
    ("Tom", "Becker", 40, {}, True, False),
    ("Lucía", "Fernández", 52, {}, True, False),
    ("Grace", "Kim", 64, {"heart-condition": Answer.YES}, True, False),
    ("Daniel", "Okafor", 75, {}, True, False),
    ("Emily", "Larsen", 90, {}, True, False),
    ("Samuel", "Adeyemi", 104, {"substance-misuse": Answer.NOT_SURE}, True, False),
]


def _store(database: Database, now: datetime) -> dict[str, str]:
    """The morning's visits, a review, a ride, a void and three prints; IDs by last name."""
    pack = load_pack(bundled_pack_dir())
    ids: dict[str, str] = {}
    for number, (first, last, minutes_ago, answers, ride, talk) in enumerate(MORNING):
        clock = ManualClock(now - timedelta(minutes=minutes_ago + 6))
        visit = walk_visit(
            pack,
            clock,
            first=first,
            last=last,
            born=f"{number % 12 + 1:02d}/{(number * 7) % 27 + 1:02d}/{1950 + number * 4}",
            answers=answers,
            ride=RIDE_HOME if ride else None,
            talk_first=talk,
        )
        with database.session() as session, session.begin():
            content_in_use(session, None, clock())
            save_visit(session, visit, station="lobby-1")
        ids[last] = visit.id
    clerk = Actor.staff(CLERK, station="desk-1", now=now)
    nurse = Actor.staff(NURSE, station="desk-1", now=now)
    with database.session() as session, session.begin():
        desk.review_flags(session, ids["Adeyemi"], "Discussed; fine to go ahead.", nurse)
        desk.void_visit(session, ids["Larsen"], "Checked in twice by mistake", clerk)
        for last in ("Delgado", "Becker", "Okafor"):
            desk.record_print(
                session,
                ids[last],
                printer="FrontDesk",
                job=PrintJob("FrontDesk", f"FrontDesk-{last}"),
                failure="",
                copy="staff",
                by=clerk,
            )
        for last, status in (
            ("Delgado", JobStatus(PrintState.FAILED, "The printer is out of paper")),
            ("Becker", JobStatus(PrintState.COMPLETED, "")),
        ):
            record = desk.latest_print(session, ids[last])
            assert record is not None
            desk.update_print(session, record.row_id, status, clerk)
    return ids


def _save(widget: QWidget, path: Path) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))


def main() -> int:
    """Write the desk's pictures to the output folder."""
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    output.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("waiting-room-kiosk-screenshots")
    QSettings().setValue("desk/printer", "FrontDesk")
    written = 0
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            {"database_url": f"sqlite:///{folder}/shots.sqlite3", "content_dir": folder}
        )
        init_database(settings.database_url)
        database = open_database(settings.database_url)
        now = datetime.now(UTC)
        ids = _store(database, now)
        station = Station(database, "desk-1")
        station.alerts().raise_alert(
            AlertKind.HELP_REQUESTED,
            "on the questions",
            Actor.kiosk(station="lobby-2", now=now),
        )
        for size_name, (width, height) in SIZES.items():
            window = DeskWindow(station, settings, CLERK)
            window.resize(width, height)
            window.show()
            # The printer as a desk lists it, once the print system here has answered.
            for _ in range(200):
                app.processEvents()
                if window.printer_choice.placeholderText() != "Looking for printers…":
                    break
                QThread.msleep(20)
            window.printer_choice.blockSignals(True)
            window.printer_choice.addItem("FrontDesk")
            window.printer_choice.setCurrentText("FrontDesk")
            window.printer_choice.setEnabled(True)
            window.printer_choice.blockSignals(False)
            window.alerts.look()
            for _ in range(50):
                app.processEvents()
                if window.alerts.board is not None:
                    break
                QThread.msleep(20)
            window.refresh()
            _save(window, output / f"desk-glance-{size_name}.png")
            window.open_visit(ids["Delgado"])
            for row in range(window.model.rowCount()):
                check_in = window.model.check_in_at(row)
                if check_in is not None and check_in.id == ids["Delgado"]:
                    window.table.selectRow(row)
            _save(window, output / f"desk-{size_name}.png")
            written += 2
            window.close()
            window.deleteLater()
            app.processEvents()
        database.close()
    print(f"wrote {written} pictures to {output}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
