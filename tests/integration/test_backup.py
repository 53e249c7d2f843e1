"""`kiosk backup` while a kiosk keeps storing visits, and `kiosk restore`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.running import kiosk

# `kiosk backup` copies a SQLite file; pg_dump on a server is still to come.
pytestmark = pytest.mark.parametrize("database_engine", ["sqlite"])

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from datetime import UTC, datetime
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.database import open_database
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import store_visit
    pack = load_pack(bundled_pack_dir())
    database = open_database(sys.argv[1])
    clock = ManualClock(datetime.now(UTC))
    print("ready", flush=True)
    for n in range(400):
        store_visit(database, walk_visit(pack, clock, first=f"Busy{n}"))
""")


def visit_ids(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM visits")}
    finally:
        connection.close()


def test_a_backup_taken_while_a_kiosk_writes_is_whole(home: Path, db: str) -> None:
    root = Path(__file__).resolve().parents[2]
    kiosk("demo-data", "--visits", "20", "--database", db, home=home, check=True)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    try:
        result = kiosk("backup", str(home / "copy.sqlite3"), "--database", db, home=home)
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(home / "copy.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for (visit_id,) in copy.execute("SELECT id FROM visits").fetchall():
            (answers,) = copy.execute(
                "SELECT count(*) FROM answers WHERE visit_id = ?", (visit_id,)
            ).fetchone()
            assert answers == 5
    finally:
        copy.close()
    assert len(visit_ids(home / "copy.sqlite3")) >= 20
    assert not (home / "copy.sqlite3.partial").exists()


def test_restore_brings_back_the_backup_and_keeps_what_was_there(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "5", "--database", db, home=home, check=True)
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    kiosk("demo-data", "--visits", "3", "--force", "--database", db, home=home, check=True)
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 8
    result = kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home)
    assert result.returncode == 0, result.stderr
    assert "what it held before is in" in result.stdout
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 5
    kept = next(home.glob("clinic.before-restore-*.sqlite3"))
    assert len(visit_ids(kept)) == 8
    actions = [
        json.loads(line)["action"]
        for line in kiosk("audit", "--json", "--database", db, home=home).stdout.splitlines()
    ]
    assert actions[-2:] == ["restored", "visits_listed"]


def test_restore_refuses_a_file_that_is_not_a_backup(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "2", "--database", db, home=home, check=True)
    (home / "notes.sqlite3").write_text("shopping list")
    result = kiosk("restore", str(home / "notes.sqlite3"), "--database", db, home=home)
    assert result.returncode == 1
    assert "is not a kiosk database backup" in result.stderr
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 2


def test_restore_refuses_a_backup_from_a_newer_version(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "2", "--database", db, home=home, check=True)
    kiosk("backup", str(home / "future.sqlite3"), "--database", db, home=home, check=True)
    future = sqlite3.connect(home / "future.sqlite3")
    future.execute("UPDATE alembic_version SET version_num = '9999'")
    future.commit()
    future.close()
    result = kiosk("restore", str(home / "future.sqlite3"), "--database", db, home=home)
    assert result.returncode == 1
    assert "comes from a newer version of the kiosk" in result.stderr


def audit(home: Path, db: str) -> list[dict[str, str]]:
    out = kiosk("audit", "--json", "--database", db, home=home, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_a_restore_keeps_the_audit_entries_written_since_the_backup(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "2", "--database", db, home=home, check=True)
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    kiosk("visits", "--database", db, home=home, check=True)
    before = audit(home, db)
    assert [e["action"] for e in before] == ["demo_visits_added", "backup_made", "visits_listed"]
    kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    after = audit(home, db)
    # The backup's own entry, then everything written since, carried over in order, then
    # the restore itself.
    assert [e["action"] for e in after] == [
        "demo_visits_added",
        "backup_made",
        "visits_listed",
        "audit_read",
        "restored",
    ]
    assert after[0] == before[0]
    assert [e["original_at"] for e in after[1:3]] == [e["at"] for e in before[1:3]]
    assert [e["id"] for e in after] == [1, 2, 3, 4, 5]
    assert "3 audit entries from before the restore carried over" in after[-1]["detail"]
