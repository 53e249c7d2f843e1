"""`kiosk backup` while a kiosk keeps storing visits, and `kiosk restore`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.content import Answer
from kiosk.database import open_database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.stored_visits import load_visit
from kiosk.visit import RideStatus
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.integration.running import kiosk

# `kiosk backup` copies a SQLite file here; on a server it is pg_dump (test_server_backup.py).
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
        for visit_id, flow, demo in copy.execute("SELECT id, flow, is_demo FROM visits").fetchall():
            (answers,) = copy.execute(
                "SELECT count(*) FROM answers WHERE visit_id = ?", (visit_id,)
            ).fetchone()
            # Every answer the visit gave: a returning patient's visit asks twenty, and a
            # demo visit (its content asks them) the PHQ-9's and GAD-7's eighteen items.
            assert answers == (5 if flow == "first_visit" else 20) + (18 if demo else 0)
    finally:
        copy.close()
    assert len(visit_ids(home / "copy.sqlite3")) >= 20
    assert not (home / "copy.sqlite3.partial").exists()


def test_restore_brings_back_the_backup_and_keeps_what_was_there(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "5", "--database", db, home=home, check=True)
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    result = kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home)
    assert result.returncode == 0, result.stderr
    assert "What it held before is in" in result.stdout
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 5
    (kept,) = home.glob("clinic.before-restore-*")  # one file, no -wal or -shm beside it
    assert len(visit_ids(kept)) == 5
    actions = [
        json.loads(line)["action"]
        for line in kiosk("audit", "--json", "--database", db, home=home).stdout.splitlines()
    ]
    assert actions[-2:] == ["restored", "visits_listed"]
    assert not list(home.glob("clinic.restoring*"))


def store_check_ins(db: str, *names: str) -> list[str]:
    """Visits stored as a kiosk stores them: one with a contraindication and no ride home."""
    database = open_database(db)
    pack = load_pack(bundled_pack_dir())
    clock = ManualClock(datetime.now(UTC))
    stored = []
    try:
        for name in names:
            visit = walk_visit(
                pack, clock, first=name, answers={"pregnancy": Answer.YES}, ride=None
            )
            store_visit(database, visit)
            stored.append(visit.id)
    finally:
        database.close()
    return stored


def test_a_restore_of_an_older_backup_keeps_the_visits_stored_since(home: Path, db: str) -> None:
    monday = store_check_ins(db, "Monday")
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    tuesday = store_check_ins(db, "Tuesday", "Wednesday")
    kiosk(
        "summary",
        tuesday[0],
        "--output",
        str(home / "t.pdf"),
        "--database",
        db,
        home=home,
        check=True,
    )
    before = audit(home, db)

    result = kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home)

    assert result.returncode == 0, result.stderr
    assert "carried over from before the restore 2 visits and" in result.stdout
    assert visit_ids(home / "clinic.sqlite3") == {*monday, *tuesday}
    database = open_database(db)
    try:
        with database.session() as session, session.begin():
            carried = load_visit(session, tuesday[1])
    finally:
        database.close()
    # What the desk must see of it: the patient, the flags and "no ride home".
    assert carried is not None
    assert carried.first_name == "Wednesday"
    assert len(carried.flags) == 2
    assert carried.ride.status is RideStatus.NONE_YET
    after = audit(home, db)
    summary_saved = next(e for e in before if e["action"] == "summary_saved")
    assert [
        (e["action"], e["visit_id"], e["original_at"])
        for e in after
        if e["action"] == "summary_saved"
    ] == [("summary_saved", tuesday[0], summary_saved["at"])]
    restored = next(e for e in after if e["action"] == "restored")
    assert "2 visits and" in restored["detail"]
    listed = kiosk("visits", "--database", db, home=home, check=True).stdout
    assert "Wednesday" in listed


def test_a_restore_carries_over_the_content_the_backup_never_had(home: Path, db: str) -> None:
    kiosk("visits", "--database", db, home=home, check=True)  # a database with no visit yet
    kiosk("backup", str(home / "empty.sqlite3"), "--database", db, home=home, check=True)
    stored = store_check_ins(db, "First")
    connection = sqlite3.connect(home / "clinic.sqlite3")
    connection.execute(
        "INSERT INTO print_jobs (visit_id, printer, copy, state, reason, sent_at, sent_by)"
        " VALUES (?, 'desk', 'staff', 'completed', '', '2026-12-06 09:00:00', 'maria')",
        stored,
    )
    connection.commit()
    connection.close()

    kiosk("restore", str(home / "empty.sqlite3"), "--database", db, home=home, check=True)

    assert visit_ids(home / "clinic.sqlite3") == set(stored)
    connection = sqlite3.connect(home / "clinic.sqlite3")
    try:
        assert connection.execute("SELECT count(*) FROM content_versions").fetchone() == (1,)
        # Each carried visit still names the publish it saw (the versions list counts them).
        assert connection.execute(
            "SELECT count(*) FROM visits v JOIN content_publications p"
            " ON p.id = v.content_publication_id AND p.content_version_id = v.content_version_id"
        ).fetchone() == (len(stored),)
        assert connection.execute("SELECT visit_id, sent_by FROM print_jobs").fetchall() == [
            (stored[0], "maria")
        ]
    finally:
        connection.close()
    summary = kiosk(
        "summary", stored[0], "--output", str(home / "s.pdf"), "--database", db, home=home
    )
    assert summary.returncode == 0, summary.stderr


def what_the_database_holds(path: Path) -> tuple[list[tuple[object, ...]], ...]:
    connection = sqlite3.connect(path)
    try:
        return (
            connection.execute("SELECT * FROM visits ORDER BY id").fetchall(),
            connection.execute("SELECT * FROM audit_entries ORDER BY id").fetchall(),
            connection.execute("SELECT * FROM alembic_version").fetchall(),
        )
    finally:
        connection.close()


def foreign_database(path: Path, revision: str) -> Path:
    """Another program's SQLite file that also keeps its schema with Alembic."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("revision", ["0008", "0003", "4d2f8a9c1b7e"])
def test_restore_refuses_another_programs_database_and_leaves_the_clinics(
    home: Path, db: str, revision: str
) -> None:
    store_check_ins(db, "Ana")
    before = what_the_database_holds(home / "clinic.sqlite3")
    other = foreign_database(home / "invoices.sqlite3", revision)

    result = kiosk("restore", str(other), "--database", db, home=home)

    assert result.returncode == 1
    assert "is not a kiosk database backup" in result.stderr
    assert "nothing was changed" in result.stderr
    assert what_the_database_holds(home / "clinic.sqlite3") == before
    assert "Ana" in kiosk("visits", "--database", db, home=home, check=True).stdout
    assert not list(home.glob("clinic.restoring*"))


def test_restore_refuses_a_damaged_backup(home: Path, db: str) -> None:
    store_check_ins(db, "Ana", "Luis", "Rosa")
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    damaged = bytearray((home / "monday.sqlite3").read_bytes())
    page = 4096
    damaged[3 * page : 5 * page] = bytes(range(256)) * (2 * page // 256)
    (home / "monday.sqlite3").write_bytes(bytes(damaged))
    before = what_the_database_holds(home / "clinic.sqlite3")

    result = kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home)

    assert result.returncode == 1
    assert "monday.sqlite3" in result.stderr
    assert "damaged" in result.stderr or "not a kiosk database" in result.stderr
    assert what_the_database_holds(home / "clinic.sqlite3") == before


def test_restore_refuses_over_a_damaged_database_and_says_how_to_go_on(home: Path, db: str) -> None:
    store_check_ins(db, "Ana")
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    live = home / "clinic.sqlite3"
    live.write_bytes(b"this is not what it was" * 400)
    wrecked = live.read_bytes()

    result = kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home)

    assert result.returncode == 1
    assert "cannot be carried over; nothing was changed" in result.stderr
    assert "rename it to clinic.sqlite3.damaged" in result.stderr
    assert live.read_bytes() == wrecked
    live.rename(home / "clinic.sqlite3.damaged")
    kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    assert "Ana" in kiosk("visits", "--database", db, home=home, check=True).stdout


def test_a_restore_stops_when_a_kiosk_writes_during_it(
    home: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import backup as backup_module
    from kiosk.actor import Actor

    store_check_ins(db, "Ana")
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    late: list[str] = []
    carry_over = backup_module._carry_over

    def with_a_kiosk_still_running(*args: object) -> tuple[int, int]:
        counted = carry_over(*args)  # type: ignore[arg-type]
        late.extend(store_check_ins(db, "Late"))
        return counted

    monkeypatch.setattr(backup_module, "_carry_over", with_a_kiosk_still_running)
    by = Actor.command_line(station="test", now=datetime.now(UTC))
    with pytest.raises(backup_module.BackupError, match="wrote to the database during the restore"):
        backup_module.restore(db, home / "monday.sqlite3", by=by)
    assert set(late) <= visit_ids(home / "clinic.sqlite3")
    assert not list(home.glob("clinic.before-restore-*"))
    assert not list(home.glob("clinic.restoring*"))


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
    # demo-data publishes its own content (the measures on), then adds its visits.
    assert [e["action"] for e in before] == [
        "content_published",
        "demo_visits_added",
        "backup_made",
        "visits_listed",
    ]
    kiosk("restore", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    after = audit(home, db)
    # The backup's own entry, then everything written since, carried over in order, then
    # the restore itself.
    assert [e["action"] for e in after] == [
        "content_published",
        "demo_visits_added",
        "backup_made",
        "visits_listed",
        "audit_read",
        "restored",
    ]
    assert after[:2] == before[:2]
    assert [e["original_at"] for e in after[2:4]] == [e["at"] for e in before[2:4]]
    assert [e["id"] for e in after] == [1, 2, 3, 4, 5, 6]
    assert "3 audit entries from before the restore carried over" in after[-1]["detail"]
