"""Only `kiosk db init` and `kiosk db upgrade` make or change a database; opening never does.

A deleted database silently made again, empty, by the next program that started lost the
clinic's content and, once the backup was back, the visits stored in between.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.audit import AuditAction, entries, record
from kiosk.check_in import CheckIn, Outcome
from kiosk.database import (
    Database,
    DatabaseNotReadyError,
    Initialized,
    NotReady,
    current_revision,
    init_database,
    open_database,
    upgrade_database,
)
from kiosk.held_visits import HeldVisits
from kiosk.unit_of_work import StorageUnavailableError, unit_of_work
from kiosk.visit_walk import ManualClock
from tests.databases import made_at_revision, made_database
from tests.unit.test_check_in import _service, _to_consent, _visits


def _url(file: Path) -> str:
    return f"sqlite:///{file}"


def _delete(file: Path) -> None:
    for name in (file.name, file.name + "-wal", file.name + "-shm"):
        (file.parent / name).unlink(missing_ok=True)


def _trail_length(url: str) -> int:
    database = open_database(url)
    with database.session() as session:
        length = len(list(entries(session)))
    database.close()
    return length


def test_init_makes_the_database_once_and_again_changes_nothing(tmp_path: Path) -> None:
    url = _url(tmp_path / "kiosk.sqlite3")
    assert init_database(url) is Initialized.MADE
    database = open_database(url)
    with database.session() as session, session.begin():
        record(session, "cli:it", AuditAction.AUDIT_READ, station="server")
    database.close()
    length = _trail_length(url)

    assert init_database(url) is Initialized.ALREADY_CURRENT
    assert _trail_length(url) == length


def test_opening_where_none_was_ever_made_makes_nothing_and_says_to_init(tmp_path: Path) -> None:
    file = tmp_path / "clinic" / "kiosk.sqlite3"
    with pytest.raises(DatabaseNotReadyError) as refused:
        open_database(_url(file))
    assert refused.value.state is NotReady.NEVER_MADE
    assert "`kiosk db init`" in str(refused.value)
    assert not file.parent.exists()


def test_a_deleted_database_is_not_made_again_unless_init_is_told_new(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.sqlite3"
    made_database(_url(file)).close()
    _delete(file)

    with pytest.raises(DatabaseNotReadyError) as gone:
        open_database(_url(file))
    assert gone.value.state is NotReady.GONE
    assert "kiosk restore" in str(gone.value)
    with pytest.raises(DatabaseNotReadyError) as refused:
        init_database(_url(file))
    assert "gone" in str(refused.value)
    assert "`kiosk db init --new`" in str(refused.value)
    assert not file.exists()

    assert init_database(_url(file), new=True) is Initialized.MADE
    open_database(_url(file)).close()


def test_an_older_schema_is_upgraded_only_by_db_upgrade(tmp_path: Path) -> None:
    url = _url(tmp_path / "kiosk.sqlite3")
    made_at_revision(url, "0007").close()
    for attempt in (open_database, init_database):
        with pytest.raises(DatabaseNotReadyError) as refused:
            attempt(url)
        assert refused.value.state is NotReady.OLDER
        assert "`kiosk db upgrade`" in str(refused.value)
    old = made_at_revision(url, "0007")
    assert current_revision(old.engine) == "0007"
    old.close()

    assert upgrade_database(url) == "0007"
    assert upgrade_database(url) is None  # once is enough
    open_database(url).close()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    url = _url(tmp_path / "kiosk.sqlite3")
    database = made_database(url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    database.close()
    for attempt in (open_database, init_database, upgrade_database):
        with pytest.raises(DatabaseNotReadyError) as refused:
            attempt(url)
        assert refused.value.state is NotReady.NEWER
        assert "update the kiosk program" in str(refused.value)


@pytest.mark.parametrize("database_engine", ["sqlite"])  # it deletes the database's file
def test_a_use_case_refuses_once_the_file_is_gone_and_makes_no_new_one(
    tmp_path: Path, database: Database
) -> None:
    assert database.file is not None
    with unit_of_work(database) as session:  # connections are open, as on a running desk
        record(session, "user:drlee", AuditAction.FLAGS_REVIEWED, station="desk-1")
    _delete(database.file)

    gone = pytest.raises(StorageUnavailableError, match="the database file is gone")
    with gone, unit_of_work(database) as session:
        record(session, "user:drlee", AuditAction.FLAGS_REVIEWED, station="desk-1")
    assert not database.file.exists()


def _retry(service: CheckIn) -> list[str]:
    """Try the waiting visits again; which were stored."""
    stored: list[list[str]] = []
    service.store_waiting_visits(stored.append)
    return stored[0]


@pytest.mark.parametrize("database_engine", ["sqlite"])  # it puts another file in its place
def test_a_kiosk_whose_database_is_put_back_at_an_older_schema_holds_and_says_upgrade(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, heard = _service(tmp_path, database, clock)
    assert service.content() is not None
    visit = _to_consent(service, clock)
    # Clinic IT puts back a backup from an older version, without `kiosk db upgrade`.
    database.close()
    older = tmp_path / "older.sqlite3"
    made_at_revision(_url(older), "0007").close()
    assert database.file is not None
    older.replace(database.file)

    service.talk_first()
    assert heard.ends[-1].outcome is Outcome.HELD
    assert [held.visit_id for held in HeldVisits(tmp_path / "held").held()] == [visit.id]
    (reason,) = {held.reason for held in HeldVisits(tmp_path / "held").held()}
    assert "`kiosk db upgrade`" in reason.words
    assert current_revision(database.engine) == "0007"  # the kiosk changed nothing

    service.end()
    assert _retry(service) == []
    upgrade_database(_url(database.file))
    assert _retry(service) == [visit.id]
    assert _visits(database) == 1
