"""An encrypted database (SQLCipher): unreadable without its key, the key kept private."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.content import ContentPack
from kiosk.database import DatabaseUnavailableError, open_database
from kiosk.settings import SettingsError, load_settings
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.databases import made_database
from tests.integration.running import kiosk

pytest.importorskip("sqlcipher3", reason="SQLCipher (sqlcipher3-binary) has Linux wheels only")

KEY = "correct-horse-battery-staple-17"


def encrypted_url(path: Path, key: str = KEY) -> str:
    return f"sqlite+pysqlcipher://:{key}@/{path}"


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_visits_in_an_encrypted_database_cannot_be_read_without_its_key(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    path = tmp_path / "clinic.db"
    database = made_database(encrypted_url(path))
    visit = walk_visit(pack, clock, first="Philippa", last="Okonkwo-Grant")
    store_visit(database, visit)
    with database.session() as session:
        connection = session.connection()
        # The same durability as a plain database: WAL and a full sync per transaction.
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    stored = file_bytes(path)
    assert b"Philippa" not in stored
    assert b"Okonkwo" not in stored
    assert b"SQLite format 3" not in stored
    database.close()

    reopened = open_database(encrypted_url(path))
    with reopened.session() as session:
        record = load_visit(session, next(iter(list_visits(session))).id)
    assert record is not None
    assert (record.first_name, record.last_name) == ("Philippa", "Okonkwo-Grant")
    reopened.close()

    with pytest.raises(DatabaseUnavailableError, match="key does not open it"):
        open_database(encrypted_url(path, "the-wrong-key-entirely"))
    with pytest.raises(DatabaseUnavailableError, match="not a database"):
        open_database(f"sqlite:///{path}")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
def test_a_settings_file_holding_the_key_must_be_readable_only_by_the_kiosk_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = tmp_path / "kiosk.toml"
    settings_file.write_text(f'database_url = "{encrypted_url(tmp_path / "clinic.db")}"\n')
    monkeypatch.setenv("KIOSK_CONFIG", str(settings_file))
    settings_file.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600") as refused:
        load_settings()
    assert KEY not in str(refused.value)
    settings_file.chmod(0o600)
    assert load_settings().database_url == encrypted_url(tmp_path / "clinic.db")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
def test_the_command_line_works_on_an_encrypted_database_and_its_backup_stays_encrypted(
    home: Path,
) -> None:
    database = home / "clinic.db"
    settings_file = home / "kiosk.toml"
    settings_file.write_text(f'database_url = "{encrypted_url(database)}"\n')
    settings_file.chmod(0o600)
    initialized = kiosk("db", "init", home=home, check=True)
    assert KEY not in initialized.stdout + initialized.stderr
    made = kiosk("demo-data", "--visits", "5", home=home, check=True)
    assert "to sqlite+pysqlcipher://:***@/" in made.stdout  # it names the database, not its key
    assert KEY not in made.stdout + made.stderr
    listed = kiosk("visits", home=home, check=True)
    assert len(listed.stdout.strip().splitlines()) >= 5
    assert KEY not in listed.stdout + listed.stderr

    copy = home / "backup.db"
    kiosk("backup", str(copy), home=home, check=True)
    assert b"SQLite format 3" not in copy.read_bytes()
    assert b"DEMO" not in copy.read_bytes()
    restored = kiosk("restore", str(copy), home=home, check=True)
    assert KEY not in restored.stdout + restored.stderr
    after = kiosk("visits", home=home, check=True)
    assert after.stdout == listed.stdout
