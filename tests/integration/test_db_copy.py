"""`kiosk db copy --to URL`: a clinic moves from one computer's SQLite file to a server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from kiosk import desk
from kiosk.actor import Actor, Role
from kiosk.alerts import AlertKind, Alerts
from kiosk.content import Answer, ContentPack
from kiosk.models import AuditEntryRow, Base, table_of
from kiosk.staff_accounts import StaffAccounts
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.databases import made_database
from tests.integration.running import kiosk

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])


def a_clinic_on_one_computer(home: Path, pack: ContentPack) -> str:
    """A SQLite database with visits, accounts, an alert and a few hundred audit entries."""
    url = f"sqlite:///{home / 'clinic.sqlite3'}"
    database = made_database(url)
    clock = ManualClock(datetime(2026, 11, 2, 15, tzinfo=UTC))
    by = Actor.command_line(station="front", now=clock())
    StaffAccounts(database).add("maria", {Role.STAFF}, "a long password 1", by)
    for n in range(30):
        answers = {"psychosis": Answer.YES} if n % 5 == 0 else {}
        visit = walk_visit(pack, clock, first=f"P{n}", answers=answers)
        store_visit(database, visit)
        with database.session() as session, session.begin():
            desk.open_visit(session, visit.id, by)  # audited
        clock.advance(600)
    Alerts(database).raise_alert(AlertKind.HELP_REQUESTED, "kiosk 1", by)
    database.close()
    return url


def rows_of(url: str, password_file: Path | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order."""
    parsed = make_url(url)
    if password_file is not None and parsed.password is None:
        password = password_file.read_text().strip().rsplit(":", 1)[1]
        parsed = parsed._replace(password=password)
    engine = create_engine(parsed)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_db_copy_moves_everything_keeping_numbers_and_order_and_says_what_it_did(
    home: Path, db: str, pack: ContentPack
) -> None:
    source = a_clinic_on_one_computer(home, pack)
    before = rows_of(source)
    assert len(before["visits"]) == 30
    assert len(before["audit_entries"]) > 30
    assert before["content_versions"]
    assert before["content_publications"]

    copied = kiosk("db", "copy", "--database", source, "--to", db, home=home)
    assert copied.returncode == 0, copied.stderr
    said = copied.stdout
    assert "Copied the database at sqlite:///" in said
    assert "30 visits" in said
    assert f"{len(before['audit_entries'])} audit entries" in said
    assert "1 staff accounts" in said
    assert "1 alerts" in said
    newest = before["audit_entries"][-1][0]
    assert f"the newest audit entry (number {newest}) is the same on both" in said

    after = rows_of(db, home / "pgpass")
    entries = after.pop("audit_entries")
    # Every entry as it was, number and time; then one saying what was copied.
    assert entries[:-1] == before.pop("audit_entries")
    assert entries[-1][0] == newest + 1
    assert entries[-1][4] == "database_copied"
    assert after == before

    # The server numbers the next entry itself again, and still refuses one that names it.
    server = make_url(db)._replace(password=(home / "pgpass").read_text().strip().rsplit(":", 1)[1])
    engine = create_engine(server)
    try:
        with engine.begin() as connection:
            connection.execute(
                table_of(AuditEntryRow)
                .insert()
                .values(actor="cli:x", action="audit_read", station="s", detail="")
            )
            assert connection.execute(text("SELECT max(id) FROM audit_entries")).scalar() == (
                newest + 2
            )
        with pytest.raises(Exception, match="numbered by the database"), engine.begin() as c:
            c.execute(text("INSERT INTO audit_entries (id, actor, action, station, detail) "
                           "VALUES (99999, 'x', 'y', 's', '')"))  # fmt: skip
    finally:
        engine.dispose()


def test_db_copy_refuses_a_server_database_that_is_not_empty_and_changes_nothing(
    home: Path, db: str, pack: ContentPack
) -> None:
    source = a_clinic_on_one_computer(home, pack)
    kiosk("db", "copy", "--database", source, "--to", db, home=home, check=True)
    held = rows_of(db, home / "pgpass")
    again = kiosk("db", "copy", "--database", source, "--to", db, home=home)
    assert again.returncode == 1
    assert "is not empty" in again.stderr
    assert "30 rows in visits" in again.stderr
    assert "Nothing was copied" in again.stderr
    assert rows_of(db, home / "pgpass") == held


def test_db_copy_refuses_a_database_not_made_by_db_init(
    home: Path, pack: ContentPack, new_database_url: Callable[..., str], db: str
) -> None:
    source = a_clinic_on_one_computer(home, pack)
    never_made = make_url(new_database_url("empty"))._replace(password=None)
    refused = kiosk(
        "db", "copy", "--database", source, "--to",
        never_made.render_as_string(hide_password=False), home=home,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "kiosk db init" in refused.stderr
    assert "nothing was copied" in refused.stderr
