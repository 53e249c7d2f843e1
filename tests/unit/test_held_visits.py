"""Visits kept on the kiosk while the database cannot take them (no display needed)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from kiosk.content import Answer, ContentPack
from kiosk.held_visits import HeldVisits, HoldReason, hold_reason
from kiosk.stored_visits import load_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.databases import made_database


def test_a_visit_stored_later_is_exactly_the_visit_stored_at_once(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(
        pack, clock, first="Nguyễn", last="Thị Minh", answers={"pregnancy": Answer.NOT_SURE}
    )
    at_once = made_database(f"sqlite:///{tmp_path / 'at-once.sqlite3'}")
    store_visit(at_once, visit)

    held = HeldVisits(tmp_path / "held")
    held.hold(visit, station="test-station", actor="kiosk:k1", reason=HoldReason.FULL, now=clock())
    # A new database that has never seen this content: the visit brings the text it showed.
    later = made_database(f"sqlite:///{tmp_path / 'later.sqlite3'}")
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
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock)
    database = made_database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
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


def test_a_visit_the_database_refuses_is_set_aside_and_the_next_one_is_stored(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    import json
    import os

    database = made_database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
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
    database.close()
