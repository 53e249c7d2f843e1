"""Visits kept on the kiosk while the database cannot take them (no display needed)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from kiosk.content import Answer, ContentPack
from kiosk.database import Database, open_database
from kiosk.held_visits import HeldVisits, HoldReason, hold_reason
from kiosk.stored_visits import load_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import another_writer, store_visit, url_of
from tests.databases import made_database


def test_a_visit_stored_later_is_exactly_the_visit_stored_at_once(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, new_database_url: Callable[..., str]
) -> None:
    visit = walk_visit(
        pack, clock, first="Nguyễn", last="Thị Minh", answers={"pregnancy": Answer.NOT_SURE}
    )
    at_once = made_database(new_database_url("at-once"))
    store_visit(at_once, visit)

    held = HeldVisits(tmp_path / "held")
    held.hold(visit, station="test-station", actor="kiosk:k1", reason=HoldReason.FULL, now=clock())
    # A new database that has never seen this content: the visit brings the text it showed.
    later = made_database(new_database_url("later"))
    assert held.store_all(later, now=clock) == [visit.id]
    assert held.held() == []
    assert list((tmp_path / "held").iterdir()) == []

    with at_once.session() as first, later.session() as second:
        direct, kept = load_visit(first, visit.id), load_visit(second, visit.id)
    assert direct is not None
    assert kept is not None
    # The same visit and the same content version; only the version's label says where
    # the database got it from.
    assert dataclasses.replace(kept, content_label=direct.content_label) == direct
    assert kept.flags
    at_once.close()
    later.close()


def test_a_visit_already_stored_before_a_crash_is_not_stored_twice(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, database_url: str
) -> None:
    visit = walk_visit(pack, clock)
    database = made_database(database_url)
    held = HeldVisits(tmp_path / "held")
    held.hold(visit, station="k1", actor="kiosk:k1", reason=HoldReason.LOCKED, now=clock())
    store_visit(database, visit)  # stored, then the kiosk died before removing the file
    assert held.store_all(database, now=clock) == []
    assert held.held() == []
    database.close()


def test_a_half_written_held_file_is_never_read_as_a_visit(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    held = HeldVisits(tmp_path / "held")
    held.hold(walk_visit(pack, clock), station="k1", actor="a", reason=HoldReason.FULL, now=clock())
    (tmp_path / "held" / ".writing-abc123").write_text('{"format": 1, "visit": {"id"')
    assert len(held.held()) == 1


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("INSERT INTO t VALUES (1)", HoldReason.READ_ONLY),
        ("SELECT * FROM missing_table", HoldReason.UNAVAILABLE),
    ],
)
def test_why_a_write_failed_comes_from_sqlites_own_code(
    tmp_path: Path, sql: str, reason: HoldReason
) -> None:
    path = tmp_path / "x.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (x)")
    setup.commit()
    setup.close()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as raised:
        read_only.execute(sql)
    read_only.close()
    wrapped = OperationalError(sql, {}, raised.value)
    assert hold_reason(wrapped) is reason
    assert reason.words


def _server_error(database: Database, statements: list[str]) -> BaseException:
    *first, failing = statements
    with database.engine.connect() as connection:
        for statement in first:
            connection.execute(text(statement))
        with pytest.raises(DBAPIError) as raised:
            connection.execute(text(failing))
    return raised.value


@pytest.mark.parametrize("database_engine", ["postgresql"])
@pytest.mark.parametrize(
    ("statements", "reason"),
    [
        (
            ["SET TRANSACTION READ ONLY", "UPDATE visits SET station = 'x'"],
            HoldReason.READ_ONLY,
        ),
        (["SET statement_timeout = 10", "SELECT pg_sleep(1)"], HoldReason.LOCKED),
        (["SELECT * FROM missing_table"], HoldReason.UNAVAILABLE),
    ],
)
def test_why_a_write_failed_comes_from_the_servers_own_code(
    database: Database, statements: list[str], reason: HoldReason
) -> None:
    assert hold_reason(_server_error(database, statements)) is reason


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_a_full_server_disk_and_a_server_out_of_reach_have_their_reasons(
    database: Database,
) -> None:
    psycopg: Any = pytest.importorskip("psycopg")
    full = OperationalError("INSERT", {}, psycopg.errors.DiskFull("could not extend file"))
    assert hold_reason(full) is HoldReason.FULL
    gone = OperationalError("INSERT", {}, psycopg.errors.AdminShutdown("terminating"))
    assert hold_reason(gone) is HoldReason.UNAVAILABLE


def test_a_retry_waits_only_briefly_for_another_stations_lock(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, database: Database
) -> None:
    import time

    held = HeldVisits(tmp_path / "held")
    visit = walk_visit(pack, clock)
    held.hold(visit, station="k1", actor="kiosk:k1", reason=HoldReason.LOCKED, now=clock())
    kiosk = open_database(url_of(database))
    began = time.monotonic()
    with another_writer(database), pytest.raises(OperationalError) as refused:
        held.store_all(kiosk, now=clock)
    # The retry runs at the Welcome screen: it gives up well before the busy timeout.
    assert time.monotonic() - began < kiosk.busy_timeout_ms / 1000 / 2
    assert hold_reason(refused.value) is HoldReason.LOCKED
    assert [waiting.visit_id for waiting in held.held()] == [visit.id]
    assert held.store_all(kiosk, now=clock) == [visit.id]
    kiosk.close()


def test_a_visit_the_database_refuses_is_set_aside_and_the_next_one_is_stored(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, database: Database
) -> None:
    import json
    import os

    held = HeldVisits(tmp_path / "held")
    refused, good = walk_visit(pack, clock, first="One"), walk_visit(pack, clock, first="Two")
    for visit in (refused, good):
        held.hold(visit, station="k1", actor="kiosk:k1", reason=HoldReason.LOCKED, now=clock())
    # The same answer twice: the database's own key refuses the whole visit.
    path = tmp_path / "held" / f"visit-{refused.id}.json"
    data = json.loads(path.read_text())
    data["rows"]["answers"].append(data["rows"]["answers"][0])
    path.write_text(json.dumps(data))
    os.utime(path, (1, 1))  # first in line

    assert held.store_all(database, now=clock, station="k1") == [good.id]
    assert [v.file_name for v in held.set_aside()] == [path.name]
    assert held.set_aside()[0].problem == "the database refused it (IntegrityError)"
    assert held.held() == []
    with database.session() as session:
        assert load_visit(session, refused.id) is None
