"""The audit trail cannot be rewritten, and the database numbers and times each entry.

The hostile statements go through a plain `sqlite3` connection, as someone with the file
and the `sqlite3` tool would type them, not through the application.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.actor import Actor
from kiosk.audit import AuditAction, AuditEntry, carry_over, entries, record
from kiosk.database import Database, open_database, upgrade_database
from tests.databases import made_at_revision, made_database

COLUMNS = "id, at, actor, action, visit_id, station, detail, original_at"
A_NEW_ENTRY = "'user:mallory', 'sign_in', NULL, 'mallory-pc', 'rewritten'"


@pytest.fixture
def trail(tmp_path: Path) -> Path:
    """A database file whose trail holds three entries the application wrote."""
    file = tmp_path / "kiosk.sqlite3"
    database = made_database(f"sqlite:///{file}")
    with database.session() as session, session.begin():
        for actor in ("user:maria", "user:drlee", "cli:it"):
            record(session, actor, AuditAction.VISIT_OPENED, station="desk-1", visit_id="v-1")
    database.close()
    return file


def rows(file: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(file) as connection:
        return connection.execute(f"SELECT {COLUMNS} FROM audit_entries ORDER BY id").fetchall()


# An entry with a number of its own, with a time (as on a database before revision 0008)
# and without one (taking the column's default).
OWN_NUMBER = [
    (
        "(id, at, actor, action, visit_id, station, detail)"
        f" VALUES (1, '2026-11-28 15:00:00.000000', {A_NEW_ENTRY})"
    ),
    f"(id, actor, action, visit_id, station, detail) VALUES (1, {A_NEW_ENTRY})",
]
REWRITES = [
    # Replacing a row deletes it without firing the delete trigger.
    *(f"INSERT OR REPLACE INTO audit_entries {entry}" for entry in OWN_NUMBER),
    *(f"REPLACE INTO audit_entries {entry}" for entry in OWN_NUMBER),
    # The same number under the names SQLite also gives it.
    *(
        f"REPLACE INTO audit_entries {OWN_NUMBER[1].replace('(id,', f'({alias},')}"
        for alias in ("rowid", "_rowid_", "oid")
    ),
    (
        "INSERT OR REPLACE INTO audit_entries (id, at, actor, action, visit_id, station, detail)"
        " SELECT id, at, 'user:mallory', action, visit_id, station, detail FROM audit_entries"
    ),
    (
        "INSERT OR REPLACE INTO audit_entries (id, actor, action, visit_id, station, detail)"
        " SELECT id, 'user:mallory', action, visit_id, station, detail FROM audit_entries"
    ),
    # Upserts and the other conflict clauses.
    *(
        f"INSERT INTO audit_entries {entry} ON CONFLICT (id) DO UPDATE"
        " SET actor = excluded.actor, detail = excluded.detail"
        for entry in OWN_NUMBER
    ),
    *(f"INSERT INTO audit_entries {entry} ON CONFLICT DO NOTHING" for entry in OWN_NUMBER),
    *(
        f"INSERT OR {clause} INTO audit_entries {entry}"
        for clause in ("IGNORE", "FAIL", "ABORT", "ROLLBACK")
        for entry in OWN_NUMBER
    ),
    # Changing or removing in place, with every conflict clause.
    *(
        f"UPDATE OR {clause} audit_entries SET actor = 'user:mallory' WHERE id = 1"
        for clause in ("REPLACE", "IGNORE", "FAIL", "ABORT", "ROLLBACK")
    ),
    "UPDATE OR REPLACE audit_entries SET id = 1 WHERE id = 2",
    "UPDATE audit_entries SET at = '2020-01-01 00:00:00.000000'",
    "DELETE FROM audit_entries",
    "DELETE FROM audit_entries WHERE id = 2",
]


@pytest.mark.parametrize("statement", REWRITES)
def test_no_statement_rewrites_or_removes_an_entry(trail: Path, statement: str) -> None:
    before = rows(trail)
    connection = sqlite3.connect(trail)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="audit entries"):
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()
    assert rows(trail) == before


@pytest.mark.parametrize(
    ("columns", "values", "refusal"),
    [
        ("id", "99", "numbered by the database"),
        ("id", "4", "numbered by the database"),  # the very number it would choose
        ("id", "-1", "numbered by the database"),
        ("id", "0", "numbered by the database"),
        ("at", "'2020-01-01 09:00:00.000000'", "timed by the database"),
        ("at", "'2099-01-01 09:00:00.000000'", "timed by the database"),
        ("at", "datetime('now')", "timed by the database"),
        ("at", "NULL", "timed by the database"),
        ("id, at", "99, '2020-01-01 09:00:00.000000'", "by the database"),
    ],
)
def test_an_entry_that_names_its_own_number_or_time_is_refused(
    trail: Path, columns: str, values: str, refusal: str
) -> None:
    before = rows(trail)
    connection = sqlite3.connect(trail)
    try:
        with pytest.raises(sqlite3.DatabaseError, match=refusal):
            connection.execute(
                f"INSERT INTO audit_entries ({columns}, actor, action, visit_id, station, detail)"
                f" VALUES ({values}, {A_NEW_ENTRY})"
            )
        connection.commit()
    finally:
        connection.close()
    assert rows(trail) == before


def test_the_database_numbers_and_times_an_entry_that_names_neither(trail: Path) -> None:
    before = datetime.now(UTC)
    connection = sqlite3.connect(trail)
    with connection:
        connection.execute(
            "INSERT INTO audit_entries (actor, action, visit_id, station, detail)"
            f" VALUES ({A_NEW_ENTRY}), ({A_NEW_ENTRY})"
        )
        connection.execute(
            "INSERT INTO audit_entries (id, actor, action, visit_id, station, detail)"
            f" VALUES (NULL, {A_NEW_ENTRY})"
        )
    connection.close()
    after = datetime.now(UTC)
    added = rows(trail)[3:]
    assert [row[0] for row in added] == [4, 5, 6]
    for row in added:
        at = datetime.fromisoformat(str(row[1])).replace(tzinfo=UTC)
        assert before - timedelta(milliseconds=1) <= at <= after


def test_an_entry_has_the_databases_time_not_the_stations(database: Database) -> None:
    wrong_clock = datetime(2001, 1, 1, 9, 0, tzinfo=UTC)
    before = datetime.now(UTC)
    with database.session() as session, session.begin():
        Actor.staff_named("maria", station="desk-with-a-flat-battery", now=wrong_clock).audit(
            session, AuditAction.VISIT_OPENED, "v-1"
        )
        record(session, "kiosk:k1", AuditAction.VISIT_STORED, station="k1", visit_id="v-2")
    after = datetime.now(UTC)
    with database.session() as session:
        trail = list(entries(session))
    assert [entry.id for entry in trail] == [1, 2]
    for entry in trail:
        assert before - timedelta(milliseconds=1) <= entry.at <= after
        assert entry.at.tzinfo is UTC
        assert entry.original_at is None
    with database.session() as session:
        # Readers ask by time as before: the database's times compare with theirs.
        assert len(list(entries(session, since=before - timedelta(milliseconds=1)))) == 2
        assert list(entries(session, since=after + timedelta(milliseconds=1))) == []


def test_entries_carried_over_keep_their_first_time_beside_the_databases(
    database: Database,
) -> None:
    with database.session() as session, session.begin():
        record(session, "cli:it", AuditAction.BACKUP_MADE, station="server")
    first = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    carried = [
        AuditEntry(7, first, "user:maria", "visit_opened", "v-1", "desk-1", ""),
        # Carried over once already: it keeps the time it was first written.
        AuditEntry(
            3,
            first + timedelta(days=1),
            "user:drlee",
            "flags_reviewed",
            "v-1",
            "desk-2",
            "",
            original_at=first - timedelta(days=30),
        ),
    ]
    before = datetime.now(UTC)
    with database.session() as session, session.begin():
        assert carry_over(session, carried) == 2
    with database.session() as session:
        trail = list(entries(session))
    assert [(e.id, e.actor, e.action, e.station) for e in trail] == [
        (1, "cli:it", "backup_made", "server"),
        (2, "user:maria", "visit_opened", "desk-1"),
        (3, "user:drlee", "flags_reviewed", "desk-2"),
    ]
    assert [e.original_at for e in trail] == [None, first, first - timedelta(days=30)]
    assert all(entry.at >= before - timedelta(milliseconds=1) for entry in trail[1:])


def test_entries_written_before_the_upgrade_stay_as_they_were(tmp_path: Path) -> None:
    file = tmp_path / "old.sqlite3"
    old = made_at_revision(f"sqlite:///{file}", "0007")
    old.close()
    connection = sqlite3.connect(file)
    with connection:
        connection.execute(
            "INSERT INTO audit_entries (at, actor, action, visit_id, station, detail)"
            " VALUES ('2026-11-28 15:00:00.000000', 'user:maria', 'visit_opened', 'v-1', 'd1', '')"
        )
    connection.close()
    upgrade_database(f"sqlite:///{file}")
    database = open_database(f"sqlite:///{file}")
    with database.session() as session, session.begin():
        record(session, "cli:it", AuditAction.AUDIT_READ, station="server")
    with database.session() as session:
        trail = list(entries(session))
    database.close()
    assert [(e.id, e.actor, e.at) for e in trail[:1]] == [
        (1, "user:maria", datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    ]
    assert [e.id for e in trail] == [1, 2]
    connection = sqlite3.connect(file)
    with pytest.raises(sqlite3.DatabaseError, match="cannot be changed or deleted"):
        connection.execute("DELETE FROM audit_entries")
    connection.close()
