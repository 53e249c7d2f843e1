"""`kiosk db init|upgrade` as clinic IT runs them, and commands where no database is ready.

No command makes a database by itself: a deleted one was silently made again, empty, by
the next command, and the clinic's content and visits started over.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.database import HEAD_REVISION
from tests.databases import made_at_revision
from tests.integration.running import kiosk

DATA = Path("data") / "waiting-room-kiosk"


def test_questions_where_no_database_was_ever_made_answer_nothing_and_make_nothing(
    home: Path,
) -> None:
    for question in (("visits",), ("visits", "--json"), ("audit",), ("audit", "--json")):
        result = kiosk(*question, home=home)
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert "`kiosk db init`" in result.stderr
    assert not (home / DATA).exists()


def test_a_command_that_writes_where_none_was_made_says_to_run_db_init(home: Path) -> None:
    result = kiosk("demo-data", "--visits", "2", home=home)
    assert result.returncode == 1
    assert "`kiosk db init`" in result.stderr
    assert not (home / DATA).exists()


def test_db_init_makes_it_once_and_refuses_to_make_a_deleted_one_again(home: Path) -> None:
    made = kiosk("db", "init", home=home, check=True)
    assert made.stdout.startswith("Made the database at sqlite:///")
    kiosk("demo-data", "--visits", "3", home=home, check=True)
    again = kiosk("db", "init", home=home, check=True)
    assert "already current; nothing was changed" in again.stdout
    assert len(kiosk("visits", home=home, check=True).stdout.splitlines()) == 3

    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm"):
        (home / DATA / name).unlink(missing_ok=True)
    for question in (("visits",), ("audit",), ("db", "init"), ("users", "list")):
        gone = kiosk(*question, home=home)
        assert gone.returncode == 1, question
        assert "is gone" in gone.stderr
        assert "`kiosk db init --new`" in gone.stderr
        assert not (home / DATA / "kiosk.sqlite3").exists()

    kiosk("db", "init", "--new", home=home, check=True)
    assert kiosk("visits", home=home, check=True).stdout == ""


def test_db_init_takes_a_url_and_db_upgrade_brings_an_old_schema_up_to_date(home: Path) -> None:
    url = f"sqlite:///{home / 'clinic.sqlite3'}"
    made_at_revision(url, "0005").close()
    old = kiosk("visits", "--database", url, home=home)
    assert old.returncode == 1
    assert "`kiosk db upgrade`" in old.stderr
    refused = kiosk("db", "init", url, home=home)
    assert refused.returncode == 1
    assert "`kiosk db upgrade`" in refused.stderr

    upgraded = kiosk("db", "upgrade", "--database", url, home=home, check=True)
    assert f"from schema 0005 to {HEAD_REVISION}" in upgraded.stdout
    assert "already current" in kiosk("db", "upgrade", url, home=home, check=True).stdout
    assert "already current" in kiosk("db", "init", url, home=home, check=True).stdout
    kiosk("visits", "--database", url, home=home, check=True)


def test_db_init_takes_no_password_on_the_command_line(home: Path) -> None:
    result = kiosk("db", "init", "postgresql+psycopg://kiosk:hunter22@db/clinic", home=home)
    assert result.returncode == 1
    assert "hunter22" not in result.stderr
    assert "KIOSK_DATABASE_URL" in result.stderr
