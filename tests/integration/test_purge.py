"""`kiosk purge`: visits past retention go, and leave no patient text on disk."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.database import open_database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.integration.running import kiosk

# Reads the SQLite file's own bytes for what a purge left behind.
pytestmark = pytest.mark.parametrize("database_engine", ["sqlite"])

OLD_SECRETS = ("Zelda", "Quimby", "zelda quimby", "Rosalind", "777-8888")


def test_purge_removes_old_visits_and_every_trace_of_their_text(home: Path, db: str) -> None:
    pack = load_pack(bundled_pack_dir())
    database = open_database(db)
    now = datetime.now(UTC)
    old = walk_visit(
        pack,
        ManualClock(now - timedelta(days=400)),
        first="Zelda",
        last="Quimby",
        ride=("Rosalind", "(555) 777-8888", "sister"),
    )
    store_visit(database, old)
    recent = walk_visit(pack, ManualClock(now - timedelta(days=10)), first="Ana", last="Lee")
    store_visit(database, recent)
    # A kiosk still running keeps its connection open, so the WAL is not removed on close.
    with database.engine.connect() as kiosk_connection:
        kiosk_connection.exec_driver_sql("SELECT count(*) FROM visits").scalar()
        kiosk_connection.commit()
        result = kiosk("purge", "--older-than", "365", "--database", db, home=home)
        assert result.returncode == 0, result.stderr
        files = [p for p in home.iterdir() if p.name.startswith("clinic.sqlite3")]
        raw = b"".join(p.read_bytes() for p in files)
    database.close()
    assert result.stdout == "Removed 1 visits older than 365 days\n"
    listed = kiosk("visits", "--json", "--database", db, home=home, check=True).stdout
    assert [json.loads(line)["first_name"] for line in listed.splitlines()] == ["Ana"]
    for secret in OLD_SECRETS:
        assert secret.encode() not in raw, secret
    assert b"Ana" in raw  # the search can find text that is still there
    trail = [
        json.loads(line)
        for line in kiosk(
            "audit", "--json", "--visit", old.id, "--database", db, home=home, check=True
        ).stdout.splitlines()
    ]
    assert [e["action"] for e in trail] == ["visits_purged"]
    assert all("Zelda" not in e["detail"] for e in trail)


def _file_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.iterdir() if p.name.startswith("clinic.sqlite3"))


def test_purge_says_when_a_reader_keeps_old_text_and_the_next_purge_wipes_it(
    home: Path, db: str
) -> None:
    pack = load_pack(bundled_pack_dir())
    database = open_database(db)
    now = datetime.now(UTC)
    old = walk_visit(
        pack,
        ManualClock(now - timedelta(days=400)),
        first="Zelda",
        last="Quimby",
        ride=("Rosalind", "(555) 777-8888", "sister"),
    )
    store_visit(database, old)
    store_visit(database, walk_visit(pack, ManualClock(now - timedelta(days=10)), first="Ana"))
    database_file = home / "clinic.sqlite3"
    # A kiosk still running keeps its connection (idle, no transaction) all along, so
    # nothing is wiped by the last connection closing.
    with database.engine.connect() as kiosk_connection:
        kiosk_connection.exec_driver_sql("SELECT count(*) FROM visits").scalar()
        kiosk_connection.commit()
        # Another program in the middle of reading: a read transaction left open.
        reader = sqlite3.connect(database_file, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM visits").fetchone()
        result = kiosk("purge", "--older-than", "365", "--database", db, home=home)
        assert result.stdout == "Removed 1 visits older than 365 days\n"
        assert result.returncode == 1, "a purge that left the text on disk is not a success"
        assert "not wiped yet: another program is reading the database" in result.stderr
        assert "pages of its files still hold text" in result.stderr
        assert "run this command again" in result.stderr
        assert b"Zelda" in _file_bytes(home)  # what the report says is true

        reader.execute("COMMIT")
        reader.close()
        again = kiosk("purge", "--older-than", "365", "--database", db, home=home)
        assert again.returncode == 0, again.stderr
        assert again.stdout == "Removed 0 visits older than 365 days\n"
        assert again.stderr == ""
        raw = _file_bytes(home)
    database.close()
    for secret in OLD_SECRETS:
        assert secret.encode() not in raw, secret
    assert b"Ana" in raw
