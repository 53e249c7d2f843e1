"""Every program start puts back the audit trail's protections and says it did.

The protections are removed as someone with the file would: through a plain `sqlite3`
connection. "Starting a program" is `open_database`, which kiosk, desk, editor and the
command line all open their database with.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from kiosk.audit import AuditAction, entries, record
from kiosk.audit_protections import SQLITE_TRIGGERS, lapses
from kiosk.database import open_database
from tests.databases import made_database


@pytest.fixture
def file(tmp_path: Path) -> Path:
    """A database whose trail holds three entries."""
    path = tmp_path / "kiosk.sqlite3"
    database = made_database(f"sqlite:///{path}", station="desk-1")
    with database.session() as session, session.begin():
        for actor in ("user:maria", "user:drlee", "cli:it"):
            record(session, actor, AuditAction.VISIT_OPENED, station="desk-1", visit_id="v-1")
    database.close()
    return path


def tamper(file: Path, *statements: str) -> None:
    connection = sqlite3.connect(file)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def triggers(file: Path) -> set[str]:
    with sqlite3.connect(file) as connection:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
        )
        return {name for (name,) in found}


def start(file: Path, station: str = "kiosk-2") -> list[tuple[str, str, str, str]]:
    """Start a program on the file; the trail as it then reads."""
    database = open_database(f"sqlite:///{file}", station=station)
    with database.session() as session:
        trail = [(e.actor, e.action, e.station, e.detail) for e in entries(session)]
    database.close()
    return trail


def restorations(trail: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    return [e for e in trail if e[1] == AuditAction.AUDIT_PROTECTIONS_RESTORED]


def test_a_migrated_database_lacks_no_protection_and_a_start_leaves_no_entry(file: Path) -> None:
    database = open_database(f"sqlite:///{file}")
    with database.engine.connect() as connection:
        assert lapses(connection) == []
    database.close()
    assert triggers(file) == set(SQLITE_TRIGGERS)
    assert restorations(start(file)) == []


def test_protections_dropped_and_an_entry_deleted_are_put_back_and_recorded(file: Path) -> None:
    tamper(
        file,
        *(f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS),
        "DELETE FROM audit_entries WHERE actor = 'user:drlee'",
    )
    assert triggers(file) == set()
    trail = start(file, station="kiosk-2")
    assert triggers(file) == set(SQLITE_TRIGGERS)
    (restored,) = restorations(trail)
    assert restored[:3] == ("system", "audit_protections_restored", "kiosk-2")
    for name in SQLITE_TRIGGERS:
        assert f"trigger {name} missing" in restored[3]
    # They work again: the next attempt is refused.
    with pytest.raises(sqlite3.DatabaseError, match="cannot be changed or deleted"):
        tamper(file, "DELETE FROM audit_entries")
    trail = start(file)
    # Two left of the three, the restoration and its alert for the desks; no second one.
    assert [e[1] for e in trail].count(AuditAction.AUDIT_PROTECTIONS_RESTORED) == 1
    assert len(trail) == 4


def test_a_trigger_that_quietly_drops_new_entries_is_removed(file: Path) -> None:
    tamper(
        file,
        "CREATE TRIGGER audit_entries_quiet BEFORE INSERT ON audit_entries"
        " BEGIN SELECT RAISE(IGNORE); END",
    )
    (restored,) = restorations(start(file))
    assert "unknown trigger audit_entries_quiet" in restored[3]
    database = open_database(f"sqlite:///{file}")
    with database.session() as session, session.begin():
        record(session, "user:maria", AuditAction.SUMMARY_PRINTED, station="desk-1")
    with database.session() as session:
        assert [e.action for e in entries(session)][-1] == "summary_printed"
    database.close()


def test_a_protection_replaced_by_one_that_never_fires_is_put_back(file: Path) -> None:
    tamper(
        file,
        "DROP TRIGGER audit_entries_no_delete",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries WHEN 0"
        " BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted'); END",
    )
    (restored,) = restorations(start(file))
    assert "trigger audit_entries_no_delete altered" in restored[3]
    with pytest.raises(sqlite3.DatabaseError, match="cannot be changed or deleted"):
        tamper(file, "DELETE FROM audit_entries")


def test_a_unique_index_that_lets_replace_delete_entries_is_removed(file: Path) -> None:
    def replace_the_entry_of(actor: str) -> str:
        # No number named: the index alone makes the new entry collide with the old one.
        return (
            "INSERT OR REPLACE INTO audit_entries (actor, action, visit_id, station, detail)"
            f" VALUES ('{actor}', 'sign_in', NULL, 'x', 'replaced')"
        )

    tamper(
        file,
        "CREATE UNIQUE INDEX audit_by_actor ON audit_entries (actor)",
        replace_the_entry_of("user:drlee"),
    )
    trail = start(file)
    assert ("user:drlee", "visit_opened", "desk-1", "") not in trail  # what the index allowed
    (restored,) = restorations(trail)
    assert "unique index audit_by_actor" in restored[3]
    tamper(file, replace_the_entry_of("user:maria"))
    after = start(file)
    assert after[: len(trail)] == trail
    assert ("user:maria", "visit_opened", "desk-1", "") in after


def test_a_start_on_a_database_it_cannot_write_goes_on_and_says_why_in_the_log(
    file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tamper(file, "DROP TRIGGER audit_entries_no_delete")
    caplog.set_level(logging.ERROR)
    read_only = open_database(f"sqlite:///file:{file}?mode=ro&uri=true", station="kiosk-ro")
    with read_only.session() as session:
        assert len(list(entries(session))) == 3
    read_only.close()
    assert "could not be checked or put back" in caplog.text
    assert "audit_entries_no_delete" not in triggers(file)
    (restored,) = restorations(start(file))  # the next program that can, does
    assert "trigger audit_entries_no_delete missing" in restored[3]
