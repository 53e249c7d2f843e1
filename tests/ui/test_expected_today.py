"""Today's expected list at the desk, and a kiosk given a name on it or not."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.actor import Actor, Role, StaffMember
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.front_desk import FrontDesk
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits
from kiosk.visit import KioskTiming
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from ui.desk.desk_window import DeskWindow
from ui.desk.expected_today import ExpectedTodayDialog
from ui.kiosk_window import KioskWindow
from ui.visit_walk import complete_visit

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


@pytest.fixture
def clock(settings: Settings) -> ManualClock:
    return ManualClock(earlier_today(settings.zone))


def returning_patient(database: Database, pack: ContentPack, clock: ManualClock) -> int:
    visit = walk_visit(pack, clock, first="Ana", last="García", born="04/15/1968")
    store_visit(database, visit)
    front_desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    return front_desk.link_visit(visit.id, None, Actor.staff(CLERK, station="desk-1", now=clock()))


def open_expected(qtbot: QtBot, database: Database, settings: Settings) -> ExpectedTodayDialog:
    desk = DeskWindow(Station(database, "desk-1"), settings, CLERK)
    qtbot.addWidget(desk)
    desk.resize(1920, 1080)
    desk.show()
    qtbot.waitExposed(desk)
    qtbot.mouseClick(desk.expected_button, Qt.MouseButton.LeftButton)
    dialog = desk.expected_dialog
    qtbot.waitExposed(dialog)
    return dialog


def names(dialog: ExpectedTodayDialog) -> list[str]:
    return [
        " | ".join(dialog.table.item(row, column).text() for column in range(4))
        for row in range(dialog.table.rowCount())
    ]


def test_staff_mark_expected_patients_and_import_the_days_csv(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patient = returning_patient(database, pack, clock)
    dialog = open_expected(qtbot, database, settings)
    assert names(dialog) == []
    qtbot.keyClicks(dialog.first_name, "ana")
    qtbot.keyClicks(dialog.last_name, "GARCIA")
    qtbot.keyClicks(dialog.date_of_birth, "04/15/1968")
    qtbot.keyClicks(dialog.time, "2:30 pm")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert names(dialog) == [f"14:30 | ana GARCIA | 04/15/1968 | number {patient}"]
    assert dialog.message.text() == "Added to today's list."
    schedule = tmp_path / "today.csv"
    schedule.write_text("Name,DOB,Time\nKim Lee,12/01/1990,9:00\n", encoding="utf-8")
    monkeypatch.setattr(ExpectedTodayDialog, "file_to_import", classmethod(lambda *_: schedule))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Imported: 1 added, 0 already on the list."
    assert names(dialog)[0] == "09:00 | Kim Lee | 12/01/1990 | no record: a first visit"
    # A spreadsheet saved in the wrong format: a plain message, nothing imported.
    schedule.write_bytes("Name,DOB\nJosé Núñez,01/02/1950\n".encode("latin-1"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "not text in UTF-8" in dialog.message.text()
    assert len(names(dialog)) == 2
    # Removing the one chosen.
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [row.split(" | ")[1] for row in names(dialog)] == ["ana GARCIA"]
    dialog.grab().save(str(tmp_path / "expected.png"))


@pytest.mark.parametrize(("expected", "return_visit"), [(True, True), (False, False)])
def test_a_kiosk_matches_only_names_on_todays_list(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    expected: bool,
    return_visit: bool,
) -> None:
    returning_patient(database, pack, clock)
    if expected:
        FrontDesk(database, zone=settings.zone, paper_size="letter").expect(
            "Ana", "García", "04/15/1968", "", Actor.staff(CLERK, station="d", now=clock())
        )
    kiosk = KioskWindow(
        Station(database, "test-kiosk"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        complete_visit(kiosk, first="Ana", last="Garcia", born="04/15/1968")
    with database.session() as session:
        (at_the_kiosk,) = [v for v in list_visits(session) if v.last_name == "Garcia"]
    assert at_the_kiosk.return_visit is return_visit
