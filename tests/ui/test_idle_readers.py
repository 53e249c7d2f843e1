"""Kiosks and desks hold no read transaction open while idle, so a purge can wipe.

A read transaction left open pins the old pages of the write-ahead log: a purge could
then not wipe the removed patients' text from the files (see kiosk.retention).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.actor import Actor, Role, StaffMember
from kiosk.database import Database, open_database
from kiosk.retention import purge_older_than
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.desk.desk_window import DeskWindow
from ui.kiosk_window import KioskWindow
from ui.visit_walk import complete_visit


def test_an_idle_kiosk_and_desk_leave_nothing_for_a_purge_to_wait_on(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = KioskWindow(
        Station(database, "front-kiosk"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        complete_visit(kiosk, first="Idle", last="Reader")
    desk_database = open_database(settings.database_url)
    desk = DeskWindow(
        Station(desk_database, "desk-1"),
        settings,
        StaffMember(id=1, username="dana", roles=frozenset({Role.STAFF})),
    )
    qtbot.addWidget(desk)
    desk.resize(1920, 1080)
    desk.show()
    qtbot.waitUntil(lambda: desk.model.rowCount() == 1)
    rect = desk.table.visualRect(desk.model.index(0, 2))
    qtbot.mouseClick(desk.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: desk.current is not None)
    desk.refresh_if_changed()  # the desk's polling

    command_line = open_database(settings.database_url)
    try:
        purge = purge_older_than(
            command_line,
            1,
            Actor.command_line(station="it", now=datetime.now(UTC)),
            wait_ms=0,
        )
    finally:
        command_line.close()
        desk.close()
        desk_database.close()
    assert purge.removed == 0
    assert purge.wiped, "an idle kiosk or desk kept a read transaction open"
