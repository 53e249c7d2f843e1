"""`kiosk backup` and `kiosk restore` on a PostgreSQL server: pg_dump and pg_restore, with
the promises the SQLite restore makes (nothing lost, nothing half-done)."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.integration.running import kiosk

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])


def server(db: str, home: Path) -> str:
    """The URL with the password the pgpass file holds, for the test's own look."""
    password = (home / "pgpass").read_text().strip().rsplit(":", 1)[1]
    return make_url(db)._replace(password=password).render_as_string(hide_password=False)


def count(url: str, query: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def test_backup_is_a_pg_dump_and_restore_carries_over_what_came_after(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "5", "--database", db, home=home, check=True)
    file = home / "backups" / "clinic.dump"
    file.parent.mkdir()
    made = kiosk("backup", str(file), "--database", db, home=home)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Backed up the database to")
    assert not file.stat().st_mode & stat.S_IROTH  # patients' data: not for every user
    assert not (file.parent / "clinic.dump.partial").exists()
    listed = subprocess.run(["pg_restore", "--list", str(file)], capture_output=True, check=True)
    assert b"TABLE public visits" in listed.stdout

    url = server(db, home)
    entries_at_backup = count(url, "SELECT count(*) FROM audit_entries")
    kiosk("demo-data", "--visits", "2", "--database", db, home=home, check=True)
    entries_before = count(url, "SELECT count(*) FROM audit_entries")

    restored = kiosk("restore", str(file), "--database", db, home=home)
    assert restored.returncode == 0, restored.stderr
    # The entry saying the backup was made is written once it is whole: after the snapshot.
    after_backup = entries_before - entries_at_backup + 1
    assert f"carried over from before the restore 2 visits and {after_backup} audit" in (
        restored.stdout
    )
    kept = next(file.parent.glob("*.before-restore-*.dump"))
    assert f"What it held before is in {kept}" in restored.stdout
    assert count(url, "SELECT count(*) FROM visits") == 7
    # Every entry is still there, and one says what the restore did.
    assert count(url, "SELECT count(*) FROM audit_entries WHERE action = 'restored'") == 1
    assert count(url, "SELECT count(*) FROM audit_entries") == entries_before + 1
    # The protections came back with the tables: the trail is still append-only.
    with pytest.raises(Exception, match="cannot be changed or deleted"):
        count(url, "WITH gone AS (DELETE FROM audit_entries RETURNING 1) SELECT count(*) FROM gone")
    # Desks still hear of changes on the restored database.
    assert (
        count(url, "SELECT count(*) FROM pg_trigger WHERE tgname = 'visits_announce_change'") == 1
    )


def test_restore_refuses_a_file_that_is_not_a_server_backup_and_changes_nothing(
    home: Path, db: str
) -> None:
    kiosk("demo-data", "--visits", "3", "--database", db, home=home, check=True)
    sqlite_file = home / "clinic.sqlite3"
    kiosk("db", "init", "--database", f"sqlite:///{sqlite_file}", home=home, check=True)
    for wrong in (sqlite_file, home / "kiosk.toml"):
        refused = kiosk("restore", str(wrong), "--database", db, home=home)
        assert refused.returncode == 1
        assert "is not a kiosk database backup" in refused.stderr
        assert "nothing was changed" in refused.stderr
    assert count(server(db, home), "SELECT count(*) FROM visits") == 3


def test_restore_refuses_while_a_station_is_connected_and_changes_nothing(
    home: Path, db: str
) -> None:
    kiosk("demo-data", "--visits", "3", "--database", db, home=home, check=True)
    file = home / "clinic.dump"
    kiosk("backup", str(file), "--database", db, home=home, check=True)
    url = server(db, home)
    station = create_engine(url)
    try:
        with station.connect() as desk:
            desk.execute(text("SELECT 1"))
            refused = kiosk("restore", str(file), "--database", db, home=home)
        assert refused.returncode == 1
        assert "still connected" in refused.stderr
        assert "nothing was changed" in refused.stderr
    finally:
        station.dispose()
    name = make_url(url).database
    assert count(url, f"SELECT count(*) FROM pg_database WHERE datname LIKE '{name}_%'") == 0
    assert list(home.glob("*.before-restore-*")) == []
    assert count(url, "SELECT count(*) FROM visits") == 3


def test_restore_carries_the_patients_of_visits_stored_after_the_backup(
    home: Path, db: str
) -> None:
    """Demo visits made after the backup are linked to returning patients made after it
    too: the restore carries each visit with its patient (as on SQLite), and the
    patient's last consent is recomputed from the visits now there."""
    url = server(db, home)
    file = home / "clinic.dump"
    made = kiosk("backup", str(file), "--database", db, home=home)
    assert made.returncode == 0, made.stderr
    kiosk("demo-data", "--visits", "12", "--database", db, home=home, check=True)
    linked = count(url, "SELECT count(*) FROM visits WHERE patient_id IS NOT NULL")
    assert linked >= 3
    patients = count(url, "SELECT count(*) FROM patients")

    restored = kiosk("restore", str(file), "--database", db, home=home)
    assert restored.returncode == 0, restored.stderr
    assert count(url, "SELECT count(*) FROM visits") == 12
    assert count(url, "SELECT count(*) FROM visits WHERE patient_id IS NOT NULL") == linked
    assert count(url, "SELECT count(*) FROM patients") == patients
    assert (
        count(
            url,
            "SELECT count(*) FROM patients WHERE last_consent_at IS NULL AND id IN "
            "(SELECT patient_id FROM visits WHERE signed_at IS NOT NULL AND voided_at IS NULL)",
        )
        == 0
    )
