"""Held-visit files the kiosk cannot store: set aside, counted and explained on the desk.

A damaged file must neither stop the visits held behind it nor vanish from what the desk
tells staff; the same visit held twice is one check-in, not two.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.audit import AuditAction, entries
from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today
from ui.desk.desk_window import DeskWindow
from ui.kiosk_window import KioskWindow

CLERK = StaffMember(id=1, username="dana", roles=frozenset({Role.STAFF}))


def open_desk(qtbot: QtBot, database: Database, settings: Settings) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, CLERK)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def names_on_the_list(window: DeskWindow) -> list[str]:
    model = window.model
    return sorted(model.data(model.index(row, 2)) for row in range(model.rowCount()))


def hold(held: HeldVisits, pack: ContentPack, first: str, last: str, zone: ZoneInfo) -> str:
    visit = walk_visit(pack, ManualClock(earlier_today(zone)), first=first, last=last)
    held.hold(
        visit,
        station="front-kiosk",
        actor="kiosk:front-kiosk",
        reason=HoldReason.LOCKED,
        now=datetime.now(UTC),
    )
    return visit.id


def test_a_damaged_file_in_front_is_set_aside_and_the_visits_behind_it_reach_the_desk(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    with database.session() as session, session.begin():
        content_in_use(session, None, datetime.now(UTC))  # the kiosk has run here before
    held = HeldVisits(settings.held_visits_dir)
    hold(held, pack, "Amara", "Okafor", settings.zone)
    hold(held, pack, "Bo", "Larsen", settings.zone)
    # A file cut short by a failing disk, older than both: replayed first.
    damaged = settings.held_visits_dir / f"visit-{uuid.uuid4()}.json"
    damaged.write_text('{"format": 1, "station": "front-kiosk", "rows": {"visits": [{"id"')
    os.utime(damaged, (1, 1))

    desk = open_desk(qtbot, database, settings)
    shown = desk.held_alert.text()
    assert desk.held_alert.isVisible()
    assert "2 finished check-in(s) are waiting" in shown
    # Before any replay, the damaged file is counted too, with why.
    assert "1 finished check-in(s) could not be saved and were set aside" in shown
    assert "damaged" in shown

    kiosk = KioskWindow(Station(database, "front-kiosk"), settings)
    qtbot.addWidget(kiosk)
    with qtbot.waitSignals([kiosk.visit_stored, kiosk.visit_stored], timeout=5000):
        kiosk.show()  # a kiosk replays what waits when it starts

    desk.refresh_if_changed()
    assert names_on_the_list(desk) == ["Larsen, Bo", "Okafor, Amara"]
    shown = desk.held_alert.text()
    assert "waiting on this computer" not in shown
    assert "1 finished check-in(s) could not be saved and were set aside" in shown
    assert "the file is damaged and cannot be read as a visit" in shown
    assert str(settings.held_visits_dir / "set-aside") in shown
    # Kept for clinic IT, never deleted, and not tried again and again.
    kept = settings.held_visits_dir / "set-aside" / damaged.name
    assert kept.exists()
    assert not damaged.exists()
    with database.session() as session:
        set_aside = [e for e in entries(session) if e.action == AuditAction.HELD_VISIT_SET_ASIDE]
    assert len(set_aside) == 1
    assert damaged.name in set_aside[0].detail
    assert "damaged" in set_aside[0].detail


def test_the_same_visit_held_twice_is_one_check_in(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    held = HeldVisits(settings.held_visits_dir)
    visit_id = hold(held, pack, "Chidi", "Eze", settings.zone)
    original = settings.held_visits_dir / f"visit-{visit_id}.json"
    # A copy left by hand (a file manager's "copy"), or a held file restored twice.
    shutil.copyfile(original, settings.held_visits_dir / f"visit-{visit_id} (copy).json")

    desk = open_desk(qtbot, database, settings)
    assert "1 finished check-in(s) are waiting" in desk.held_alert.text()
    assert "set aside" not in desk.held_alert.text()
    assert held.store_all(database, now=lambda: datetime.now(UTC)) == [visit_id]
    assert held.held() == []
    assert held.set_aside() == []
    desk.refresh_if_changed()
    assert names_on_the_list(desk) == ["Eze, Chidi"]
    assert not desk.held_alert.isVisible()


def test_visits_held_beside_the_logs_are_on_the_desk_with_where_they_are(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The data folder is read-only, so the held-visits folder cannot be made there.
    blocked = tmp_path / "read-only-data"
    blocked.write_text("")
    settings = dataclasses.replace(settings, held_visits_dir=blocked / "held-visits")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    hold(HeldVisits(settings.held_visits_dir), pack, "Eun", "Park", settings.zone)

    desk = open_desk(qtbot, database, settings)
    shown = desk.held_alert.text()
    assert "1 finished check-in(s) are waiting" in shown
    assert "held-visits folder cannot be written" in shown
    assert str(tmp_path / "state" / "waiting-room-kiosk" / "held-visits") in shown
