"""Alerts for the front desk and the kiosks' heartbeats, in the domain (no display)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from kiosk.actor import Actor, Role, StaffMember
from kiosk.alerts import (
    AlertError,
    AlertKind,
    Alerts,
    Heartbeat,
    HelpRequest,
    HelpWording,
    now_in,
)
from kiosk.audit import entries
from kiosk.database import Database
from kiosk.models import StationRow
from kiosk.retention import purge_older_than
from kiosk.visit_walk import ManualClock

MARIA = StaffMember(1, "maria", frozenset({Role.STAFF}))


def kiosk(station: str = "kiosk-1", *, now: datetime | None = None) -> Actor:
    return Actor.kiosk(station=station, now=now or datetime.now(UTC))


def staff(station: str = "desk-1") -> Actor:
    return Actor.staff(MARIA, station=station, now=datetime.now(UTC))


def desk_system() -> Actor:
    return Actor.system(station="desk-1", now=datetime.now(UTC))


def silence(database: Database, station: str, minutes: float) -> None:
    """The kiosk's last heartbeat `minutes` ago by the database's clock."""
    with database.session() as session, session.begin():
        before = now_in(session) - timedelta(minutes=minutes)
        session.execute(
            update(StationRow).where(StationRow.name == station).values(last_heartbeat_at=before)
        )


def test_a_help_request_is_shown_acknowledged_with_a_note_and_cleared(database: Database) -> None:
    alerts = Alerts(database)
    alert_id = alerts.ask_for_help("consent", kiosk())
    assert alerts.help_state(alert_id).shown is False
    board = alerts.board(desk_system())
    [alert] = board.alerts
    assert (alert.kind, alert.station) == (AlertKind.HELP_REQUESTED, "kiosk-1")
    assert alert.detail == "a patient on the consent screen"
    alerts.displayed([alert_id], "desk-1")
    assert alerts.help_state(alert_id).shown is True
    with pytest.raises(AlertError, match="signed-in member of staff"):
        alerts.acknowledge(alert_id, "coming", desk_system())
    alerts.acknowledge(alert_id, "Ana is on her way", staff())
    [acknowledged] = alerts.board(desk_system()).alerts
    assert acknowledged.acknowledged_by == "user:maria"
    assert acknowledged.acknowledgement_note == "Ana is on her way"
    assert acknowledged.shown_on == "desk-1"
    alerts.clear(alert_id, staff())
    assert alerts.board(desk_system()).alerts == ()
    assert alerts.help_state(alert_id).cleared is True
    with pytest.raises(AlertError, match="not open"):
        alerts.clear(alert_id, staff())
    with database.session() as session:
        trail = [(e.actor, e.action) for e in entries(session)]
    assert trail == [
        ("kiosk:kiosk-1", "alert_raised"),
        ("user:maria", "alert_acknowledged"),
        ("user:maria", "alert_cleared"),
    ]
    with database.session() as session:
        assert "Ana" not in " ".join(e.detail for e in entries(session))


def test_the_most_urgent_first_and_times_from_the_database_clock(database: Database) -> None:
    alerts = Alerts(database)
    # Kiosk 2's clock is a year fast: its alert must not seem to come later than it did.
    wrong = datetime.now(UTC) + timedelta(days=365)
    alerts.heartbeat(Heartbeat(2, False, "v1"), kiosk("kiosk-2", now=wrong))
    alerts.ask_for_help("slides", kiosk("kiosk-1"))
    board = alerts.board(desk_system())
    assert [a.kind for a in board.alerts] == [AlertKind.HELP_REQUESTED, AlertKind.VISITS_HELD]
    for alert in board.alerts:
        assert abs(alert.raised_at - board.now) < timedelta(minutes=1)
    [station] = board.stations
    assert (station.name, station.held_visits, station.responding) == ("kiosk-2", 2, True)
    assert abs(station.last_heartbeat_at - board.now) < timedelta(minutes=1)
    # The held visits stored: the kiosk's next heartbeat clears its alert.
    alerts.heartbeat(Heartbeat(0, False, "v1"), kiosk("kiosk-2", now=wrong))
    assert [a.kind for a in alerts.board(desk_system()).alerts] == [AlertKind.HELP_REQUESTED]


def test_a_silent_kiosk_is_not_responding_once_per_silence(database: Database) -> None:
    alerts = Alerts(database)
    alerts.heartbeat(Heartbeat(0, False, "v1"), kiosk())
    silence(database, "kiosk-1", 1.5)
    assert alerts.board(desk_system()).alerts == ()
    silence(database, "kiosk-1", 2.5)
    board = alerts.board(desk_system())
    [alert] = board.alerts
    assert alert.kind is AlertKind.KIOSK_NOT_RESPONDING
    assert board.stations[0].responding is False
    # Asked again (another desk, the command line): still one alert.
    assert len(alerts.board(desk_system()).alerts) == 1
    alerts.clear(alert.id, staff())
    assert alerts.board(desk_system()).alerts == ()
    # It speaks again, then falls silent again: a new alert.
    alerts.heartbeat(Heartbeat(0, False, "v1"), kiosk())
    silence(database, "kiosk-1", 3)
    assert [a.kind for a in alerts.board(desk_system()).alerts] == [AlertKind.KIOSK_NOT_RESPONDING]
    # And a heartbeat clears it by itself.
    alerts.heartbeat(Heartbeat(0, False, "v1"), kiosk())
    assert alerts.board(desk_system()).alerts == ()


def test_help_wording_waits_for_a_desk_for_fifteen_seconds() -> None:
    clock = ManualClock()
    request = HelpRequest(clock)
    assert request.wording() is HelpWording.TELLING
    request.raised(7)
    clock.advance(14)
    assert request.wording() is HelpWording.TELLING
    clock.advance(1)
    assert request.wording() is HelpWording.GO_TO_DESK
    from kiosk.alerts import HelpState

    request.heard(HelpState(shown=True, cleared=False))
    assert request.wording() is HelpWording.TOLD
    unreachable = HelpRequest(clock)
    unreachable.raised(None)
    assert unreachable.wording() is HelpWording.GO_TO_DESK
    assert not unreachable.following


def test_retention_never_purges_an_open_alert(database: Database) -> None:
    alerts = Alerts(database)
    open_id = alerts.ask_for_help("details", kiosk())
    cleared_id = alerts.ask_for_help("details", kiosk())
    alerts.clear(cleared_id, staff())
    later = Actor.command_line(station="desk-1", now=datetime.now(UTC) + timedelta(days=400))
    purge_older_than(database, 30, later)
    assert [a.id for a in alerts.board(desk_system()).alerts] == [open_id]
    assert alerts.help_state(cleared_id).cleared is True  # gone: no desk will come for it


def test_a_failed_print_alerts_every_desk_and_one_that_comes_out_clears_it(
    database: Database,
) -> None:
    from kiosk import desk
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.printing import JobStatus, PrintJob, PrintState
    from kiosk.visit_walk import walk_visit
    from tests.conftest import store_visit

    visit = walk_visit(load_pack(bundled_pack_dir()), ManualClock(datetime.now(UTC)))
    store_visit(database, visit)
    with database.session() as session, session.begin():
        desk.record_print(
            session,
            visit.id,
            printer="Reception",
            job=PrintJob("Reception", "Reception-7"),
            failure="",
            copy="staff",
            by=staff(),
        )
    alerts = Alerts(database)
    assert alerts.board(desk_system()).alerts == ()  # taken by the print system: no alarm
    with database.session() as session, session.begin():
        row_id = desk.latest_print(session, visit.id).row_id  # type: ignore[union-attr]
        desk.update_print(
            session, row_id, JobStatus(PrintState.FAILED, "Out of paper"), desk_system()
        )
    [alert] = alerts.board(desk_system()).alerts
    assert (alert.kind, alert.station) == (AlertKind.PRINTER_PROBLEM, "desk-1")
    assert alert.detail == "a summary did not print on Reception: Out of paper"
    assert visit.details is not None
    assert visit.details.last_name not in alert.detail
    with database.session() as session, session.begin():
        desk.update_print(session, row_id, JobStatus(PrintState.COMPLETED, ""), desk_system())
    assert alerts.board(desk_system()).alerts == ()


def test_protections_found_removed_at_a_start_alert_every_desk(tmp_path: Path) -> None:
    import sqlite3

    from kiosk.audit_protections import SQLITE_TRIGGERS
    from kiosk.database import open_database
    from tests.databases import made_database

    TRIGGER = next(iter(SQLITE_TRIGGERS))  # noqa: N806 - a constant of this test
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    made_database(url, station="desk-1").close()
    connection = sqlite3.connect(tmp_path / "kiosk.sqlite3")
    with connection:
        connection.execute(f"DROP TRIGGER {TRIGGER}")
    connection.close()
    started = open_database(url, station="kiosk-2")
    [alert] = Alerts(started).board(desk_system()).alerts
    started.close()
    assert (alert.kind, alert.station) == (AlertKind.PROTECTIONS_RESTORED, "kiosk-2")
    assert f"trigger {TRIGGER} missing" in alert.detail
