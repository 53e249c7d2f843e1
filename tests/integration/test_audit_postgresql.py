"""The audit trail's protections on PostgreSQL, tried through a plain psycopg connection.

Runs on the test server (`KIOSK_TEST_POSTGRESQL_URL`, see tests/conftest.py); each test
gets a database of its own and drops it after. Without a server these tests skip.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kiosk.audit import AuditAction, entries, record
from kiosk.audit_protections import lapses
from kiosk.database import open_database, upgrade_database
from tests.databases import made_at_revision, made_database

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])
psycopg: Any = pytest.importorskip("psycopg")

A_NEW_ENTRY = "'user:mallory', 'sign_in', NULL, 'mallory-pc', 'rewritten'"


@pytest.fixture
def url(database_url: str) -> str:
    """A new, empty database on the server, dropped afterwards."""
    return database_url


def plain(url: str) -> Any:
    """A psycopg connection of its own, as someone with the server's address would open."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def trail_of(url: str) -> list[tuple[object, ...]]:
    with plain(url) as connection:
        return connection.execute(
            "SELECT id, at, actor, action, visit_id, station, detail, original_at"
            " FROM audit_entries ORDER BY id"
        ).fetchall()


@pytest.fixture
def trail(url: str) -> str:
    database = made_database(url, station="desk-1")
    with database.session() as session, session.begin():
        for actor in ("user:maria", "user:drlee", "cli:it"):
            record(session, actor, AuditAction.VISIT_OPENED, station="desk-1", visit_id="v-1")
    database.close()
    return url


def test_a_migrated_database_numbers_and_times_entries_itself(trail: str) -> None:
    rows = trail_of(trail)
    assert [row[0] for row in rows] == [1, 2, 3]
    server_now = datetime.now(UTC).replace(tzinfo=None)  # the server keeps naive UTC
    assert all(abs(server_now - row[1]) < timedelta(minutes=1) for row in rows)
    database = open_database(trail)
    with database.engine.connect() as connection:
        assert lapses(connection) == []
    database.close()


INSERT = "INSERT INTO audit_entries"
WITH_ID = f"(id, actor, action, visit_id, station, detail) VALUES (1, {A_NEW_ENTRY})"
WITH_TIME = f"(at, actor, action, visit_id, station, detail) VALUES ('2020-01-01', {A_NEW_ENTRY})"
WITH_BOTH = (
    f"(id, at, actor, action, visit_id, station, detail) VALUES (1, '2020-01-01', {A_NEW_ENTRY})"
)
PLAIN = f"(actor, action, visit_id, station, detail) VALUES ({A_NEW_ENTRY})"
UPSERT = "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor"
MERGE = "MERGE INTO audit_entries e USING (SELECT 1 AS id) s ON e.id = s.id WHEN MATCHED THEN"
HOSTILE = [
    f"{INSERT} {WITH_ID}",
    f"{INSERT} {WITH_ID.replace('(1,', '(99,')}",
    f"{INSERT} {WITH_TIME}",
    f"{INSERT} {WITH_BOTH.replace(' VALUES', ' OVERRIDING SYSTEM VALUE VALUES')}",
    f"{INSERT} {WITH_BOTH} {UPSERT}",
    f"{INSERT} {PLAIN} {UPSERT}",
    f"{MERGE} UPDATE SET actor = 'user:mallory'",
    f"{MERGE} DELETE",
    "UPDATE audit_entries SET actor = 'user:mallory'",
    "DELETE FROM audit_entries WHERE id = 2",
    "TRUNCATE audit_entries",
]


@pytest.mark.parametrize("statement", HOSTILE)
def test_no_statement_rewrites_removes_or_numbers_an_entry(trail: str, statement: str) -> None:
    before = trail_of(trail)
    with plain(trail) as connection, pytest.raises(psycopg.Error, match="audit entries"):
        connection.execute(statement)
    assert trail_of(trail) == before


def test_replica_mode_does_not_skip_the_protections(trail: str) -> None:
    before = trail_of(trail)
    with plain(trail) as connection:
        try:
            connection.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            pytest.skip("only a superuser can change session_replication_role")
        for statement in ("DELETE FROM audit_entries", "UPDATE audit_entries SET actor = 'x'"):
            with pytest.raises(psycopg.Error, match="cannot be changed or deleted"):
                connection.execute(statement)
    assert trail_of(trail) == before


def test_entries_written_before_the_upgrade_stay_and_numbering_goes_on(url: str) -> None:
    old = made_at_revision(url, "0007")
    with old.engine.begin() as connection:
        for actor in ("user:maria", "user:drlee"):
            connection.execute(
                text(
                    "INSERT INTO audit_entries (at, actor, action, station, detail)"
                    " VALUES ('2026-11-28 15:00:00', :actor, 'visit_opened', 'desk-1', '')"
                ),
                {"actor": actor},
            )
    old.close()
    upgrade_database(url)
    database = open_database(url)
    with database.session() as session, session.begin():
        record(session, "cli:it", AuditAction.AUDIT_READ, station="server")
    with database.session() as session:
        trail = list(entries(session))
    database.close()
    assert [(e.id, e.actor) for e in trail] == [(1, "user:maria"), (2, "user:drlee"), (3, "cli:it")]
    assert trail[0].at == datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def test_a_start_puts_back_what_was_removed_and_records_it(trail: str) -> None:
    with plain(trail) as connection:
        for statement in (
            "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
            "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_database_order",
            "DELETE FROM audit_entries WHERE actor = 'user:drlee'",
            (
                "CREATE OR REPLACE FUNCTION audit_entries_refuse_change() RETURNS trigger"
                " LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
            ),
            "CREATE RULE quiet AS ON INSERT TO audit_entries DO INSTEAD NOTHING",
            "ALTER TABLE audit_entries ALTER COLUMN at SET DEFAULT now()",
        ):
            connection.execute(statement)
    database = open_database(trail, station="kiosk-2")
    with database.session() as session:
        trail_now = list(entries(session))
    with database.engine.connect() as connection:
        assert lapses(connection) == []
    database.close()
    # The restoration, and the alert it raised for every desk.
    assert [e.actor for e in trail_now] == ["user:maria", "cli:it", "system", "system"]
    assert trail_now[-1].action == "alert_raised"
    restored = trail_now[-2]
    assert (restored.action, restored.station) == ("audit_protections_restored", "kiosk-2")
    for found in (
        "function audit_entries_refuse_change altered",
        "trigger audit_entries_append_only not always enabled",
        "trigger audit_entries_database_order not always enabled",
        "rule quiet",
        "default on at",
    ):
        assert found in restored.detail
    with plain(trail) as connection, pytest.raises(psycopg.Error, match="cannot be changed"):
        connection.execute("DELETE FROM audit_entries")
