"""A desk hears of changes from other computers at once, and of a server lost and back."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kiosk import desk
from kiosk.actor import Actor, Role, StaffMember
from kiosk.content import ContentPack
from kiosk.database import Database, open_database
from kiosk.live_updates import Change, LiveUpdates, ServerState
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import PostgreSQLServer, store_visit, url_of

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


@pytest.fixture
def heard(database: Database) -> Iterator[tuple[LiveUpdates, queue.Queue[object]]]:
    """A desk's listener on `database`, and what it heard, in order."""
    said: queue.Queue[object] = queue.Queue()
    live = Station(database, "desk-1").live_updates(on_change=said.put, on_state=said.put)
    assert live is not None
    live.retry_s = 0.2
    live.start()
    assert said.get(timeout=10) == ServerState(reachable=True)
    yield live, said
    live.stop()


def next_change(said: queue.Queue[object], table: str, *, within_s: float) -> Change:
    deadline = time.monotonic() + within_s
    while True:
        item = said.get(timeout=max(0.0, deadline - time.monotonic()))
        if isinstance(item, Change) and item.table == table:
            return item


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_a_visit_stored_and_changed_elsewhere_is_heard_within_a_second(
    database: Database,
    heard: tuple[LiveUpdates, queue.Queue[object]],
    pack: ContentPack,
    clock: ManualClock,
) -> None:
    _live, said = heard
    kiosk = open_database(url_of(database))  # the kiosk's own connection
    try:
        visit = walk_visit(pack, clock, ride=None)
        stored_at = time.time()
        store_visit(kiosk, visit)
        change = next_change(said, "visits", within_s=1.0)
        assert change.key == visit.id
        assert change.at - stored_at < 1.0
        with kiosk.session() as session, session.begin():
            desk.arrange_ride(
                session,
                visit.id,
                "Luis",
                "555 201 3344",
                Actor.staff(CLERK, station="desk-2", now=clock()),
            )
        assert next_change(said, "visits", within_s=1.0).key == visit.id
    finally:
        kiosk.close()


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_a_server_that_goes_away_is_said_and_the_listener_comes_back_by_itself(
    database: Database,
    heard: tuple[LiveUpdates, queue.Queue[object]],
    postgresql_server: PostgreSQLServer,
    pack: ContentPack,
    clock: ManualClock,
) -> None:
    _live, said = heard
    name = make_url(url_of(database)).database
    with postgresql_server._server.connect() as admin:
        # Nobody may connect, and whoever is connected is cut off: the server is away.
        admin.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        admin.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
        state = said.get(timeout=10)
        assert isinstance(state, ServerState)
        assert not state.reachable
        admin.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
    assert said.get(timeout=10) == ServerState(reachable=True)
    # Listening again: what a kiosk stores now is heard.
    kiosk = open_database(url_of(database))
    try:
        visit = walk_visit(pack, clock)
        store_visit(kiosk, visit)
        assert next_change(said, "visits", within_s=1.0).key == visit.id
    finally:
        kiosk.close()


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_a_desk_on_one_computer_keeps_asking_instead(database: Database) -> None:
    station = Station(database, "desk-1")
    assert station.live_updates(on_change=print, on_state=print) is None
