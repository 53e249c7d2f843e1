"""The front desk warns staff when a program found the audit's protections removed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.audit_protections import SQLITE_TRIGGERS, WARNING_DAYS
from kiosk.content import ContentPack
from kiosk.database import Database, open_database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from ui.desk.desk_window import DeskWindow

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
WARNING = "The audit trail's protections were found removed on kiosk-2 at"


def remove_the_protections(settings: Settings) -> None:
    """What someone with the file and the sqlite3 tool would do."""
    connection = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))
    with connection:
        for name in SQLITE_TRIGGERS:
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute("DELETE FROM audit_entries")
    connection.close()


def open_desk(
    qtbot: QtBot, database: Database, settings: Settings, clock: ManualClock, size: tuple[int, int]
) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, CLERK, clock=clock)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def now_clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_desk_warns_after_a_start_found_the_protections_removed_and_check_ins_go_on(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    now_clock: ManualClock,
    tmp_path: Path,
    size: tuple[int, int],
) -> None:
    remove_the_protections(settings)
    kiosk = open_database(settings.database_url, station="kiosk-2")  # a kiosk starts
    window = open_desk(qtbot, database, settings, now_clock, size)
    assert window.audit_alert.isVisible()
    shown = window.audit_alert.text()
    assert shown.startswith(WARNING)
    assert shown.endswith("and put back. Tell the clinic's IT.")
    window.grab().save(str(tmp_path / f"desk-audit-warning-{size[0]}x{size[1]}.png"))
    # Check-ins go on, and a new one does not write over the warning.
    store_visit(kiosk, walk_visit(pack, now_clock, first="Ana", last="Ruiz"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    assert window.audit_alert.isVisible()
    assert window.audit_alert.text() == shown
    kiosk.close()


def test_the_warning_goes_after_a_week_and_is_not_there_without_cause(
    qtbot: QtBot, database: Database, settings: Settings, now_clock: ManualClock
) -> None:
    window = open_desk(qtbot, database, settings, now_clock, (1920, 1080))
    assert not window.audit_alert.isVisible()
    window.close()
    remove_the_protections(settings)
    open_database(settings.database_url, station="kiosk-2").close()
    week_later = ManualClock(now_clock() + timedelta(days=WARNING_DAYS, minutes=1))
    later = open_desk(qtbot, database, settings, week_later, (1920, 1080))
    assert not later.audit_alert.isVisible()


def test_a_name_in_the_warning_is_shown_as_typed(
    qtbot: QtBot, database: Database, settings: Settings, now_clock: ManualClock
) -> None:
    remove_the_protections(settings)
    open_database(settings.database_url, station="<b>kiosk-2</b>").close()
    window = open_desk(qtbot, database, settings, now_clock, (1920, 1080))
    assert "found removed on <b>kiosk-2</b> at" in window.audit_alert.text()
    assert window.audit_alert.textFormat().name == "PlainText"
