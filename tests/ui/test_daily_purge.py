"""The kiosk applies the clinic's retention period by itself, never under a patient."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.audit import AuditAction, entries
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits
from kiosk.visit import KioskTiming
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from ui.daily_purge import DailyPurge
from ui.kiosk_window import KioskWindow
from ui.visit_walk import current, tap


def test_the_daily_purge_removes_only_visits_past_retention_and_waits_for_the_patient(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    long_ago = ManualClock()
    long_ago.advance(-400 * 24 * 3600)
    old = walk_visit(pack, long_ago, first="Edith", last="Old")
    store_visit(database, old)
    recent_clock = ManualClock()
    recent_clock.advance(-10 * 24 * 3600)
    recent = walk_visit(pack, recent_clock, first="Rita", last="Recent")
    store_visit(database, recent)

    kiosk = KioskWindow(
        Station(database, "lobby"),
        settings,
        clock=ManualClock(),
        timing=KioskTiming(double_tap_guard_seconds=0),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    tap(current(kiosk), "Start")  # a patient is checking in
    purge = DailyPurge(kiosk, 365)
    with qtbot.assertNotEmitted(purge.purged, wait=200):
        pass
    assert purge.timer.isActive()
    with database.session() as session:
        assert {v.id for v in list_visits(session)} == {old.id, recent.id}

    tap(current(kiosk), "Back")  # the patient changes their mind: Welcome again
    assert kiosk.visit is None
    with qtbot.waitSignal(purge.purged) as ran:
        purge.run()
    assert ran.args == [1]
    assert purge.timer.remainingTime() > 23 * 3600 * 1000  # again tomorrow
    with database.session() as session:
        assert [v.id for v in list_visits(session)] == [recent.id]
        purged = [e for e in entries(session) if e.action == AuditAction.VISITS_PURGED]
    assert [(e.visit_id, e.actor) for e in purged] == [(old.id, "kiosk:lobby")]
    assert "365 days" in purged[0].detail
