"""The save and desk scenarios on a PostgreSQL server, against the same SQL through psycopg.

Run when a server is named (`--server URL`, or the `KIOSK_BENCH_POSTGRESQL_URL` variable,
which keeps a password off the command line): a user allowed to create databases. Each
side gets a database of its own on that server, made by `kiosk db init` and dropped
afterwards:

- save a finished visit: `store_finished_visit` in one committed transaction, against
  the rows `bench.save_visit` writes with sqlite3, here through plain psycopg;
- the desk on a year of visits: the SQLite year `bench.desk` generates, moved onto the
  server with `kiosk db copy`; today's list, a search by part of a name, opening a visit,
  each against `bench.desk`'s SQL through plain psycopg on the same database.

Both sides talk to the same server over the same kind of connection (the URL's, TLS
included), so the ratio is what the kiosk's own code costs; the absolute times are the
server's and the network's as much as the kiosk's.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL, make_url

from bench import desk as desk_bench
from bench.measure import Row, Target
from bench.save_visit import save_with_sqlite3
from bench.visits import finished_visit
from kiosk import desk
from kiosk.actor import Actor
from kiosk.content_versions import content_in_use
from kiosk.database import Database, init_database, open_database
from kiosk.database_copy import copy_database
from kiosk.front_desk import FrontDesk
from kiosk.models import VisitRow
from kiosk.stored_visits import store_finished_visit
from kiosk.visit import Ending


def _as_psycopg(sql: str) -> str:
    # sqlite3's marks become psycopg's; the one integer written to a boolean (is_demo) too.
    return sql.replace("?", "%s").replace("%s, %s, 0, %s", "%s, %s, false, %s")


class PlainServer:
    """A psycopg connection that takes the sqlite3 baselines' SQL as it is written."""

    def __init__(self, url: URL) -> None:
        import psycopg

        self.connection = psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database,
            **{key: str(value) for key, value in url.query.items()},
        )
        self._transactions: list[Any] = []

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        return self.connection.execute(_as_psycopg(sql), parameters)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(_as_psycopg(sql), rows)  # type: ignore[arg-type]

    def __enter__(self) -> PlainServer:
        transaction = self.connection.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._transactions.pop().__exit__(kind, error, trace)

    def close(self) -> None:
        self.connection.close()


@contextmanager
def _databases(server: URL, count: int) -> Iterator[list[str]]:
    """`count` new databases on the server, made by `kiosk db init`, dropped afterwards."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    names = [f"kiosk_bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    urls = []
    try:
        for name in names:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = server.set(database=name).render_as_string(hide_password=False)
            init_database(url)
            urls.append(url)
        yield urls
    finally:
        for name in names:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _alternate(
    ours: Callable[[int], object], theirs: Callable[[int], object], times: int, warm: int
) -> tuple[list[float], list[float]]:
    mine: list[float] = []
    plain: list[float] = []
    for n in range(times + warm):
        start = time.perf_counter()
        ours(n)
        middle = time.perf_counter()
        theirs(n)
        end = time.perf_counter()
        if n >= warm:
            mine.append((middle - start) * 1000)
            plain.append((end - middle) * 1000)
    return mine, plain


def _save_rows(server: URL, *, quick: bool) -> list[Row]:
    count = 40 if quick else 200
    with _databases(server, 2) as (product_url, plain_url):
        product = open_database(product_url)
        plain_schema = open_database(plain_url)
        with product.session() as session, session.begin():
            _, pack = content_in_use(session, None, datetime.now(UTC))
        with plain_schema.session() as session, session.begin():
            content_in_use(session, None, datetime.now(UTC))
        plain_schema.close()
        plain = PlainServer(make_url(plain_url))
        visits = [finished_visit(pack, n, flagged=n % 5 == 0) for n in range(2 * (count + 5))]

        def ours(n: int) -> None:
            with product.engine.begin() as connection:  # as the check-in service stores it
                store_finished_visit(connection, visits[2 * n], station="bench")

        def theirs(n: int) -> None:
            save_with_sqlite3(plain, visits[2 * n + 1], "bench")  # type: ignore[arg-type]

        mine, base = _alternate(ours, theirs, count, 5)
        plain.close()
        product.close()
    return [
        Row(
            "save a finished visit (durable, PostgreSQL)",
            tuple(mine),
            tuple(base),
            Target(ratio=1.5),
        )
    ]


def _desk_rows(server: URL, workdir: Path, *, quick: bool) -> list[Row]:
    visits = 10_000 if quick else 100_000
    year = workdir / "year-of-visits.sqlite3"
    if not year.exists():  # the desk scenario made it already in a full run
        desk_bench.make_year_of_visits(year, visits)
    with _databases(server, 1) as (url,):
        start = time.perf_counter()
        copy_database(
            f"sqlite:///{year}", url, by=Actor.command_line(station="bench", now=datetime.now(UTC))
        )
        print(f"  (the year moved onto the server in {time.perf_counter() - start:.0f} s)")
        database = open_database(url)
        plain = PlainServer(make_url(url))
        try:
            return _desk_samples(database, plain, visits, quick=quick)
        finally:
            plain.close()
            database.close()


def _desk_samples(database: Database, plain: PlainServer, visits: int, *, quick: bool) -> list[Row]:
    times = 30 if quick else 100
    now = datetime.now(UTC)
    with database.session() as session:
        all_ids = [row[0] for row in session.execute(select(VisitRow.id))]
    to_open = random.Random(9).sample(all_ids, times + 3)
    twin = desk_bench.PlainDesk.__new__(desk_bench.PlainDesk)
    twin.connection = plain  # type: ignore[assignment]
    twin.on_server = True

    def action() -> Actor:
        return Actor.staff(desk_bench.STAFF, station="bench-desk", now=datetime.now(UTC))

    def todays_list(_: int) -> None:
        with database.session() as session, session.begin():
            desk.desk_marker(session)
            desk.todays_check_ins(session, zone=desk_bench.ZONE, now=now)

    def search(n: int) -> None:
        wanted = desk.VisitQuery(
            text=desk_bench.NAME_PARTS[n % len(desk_bench.NAME_PARTS)], page_size=100
        )
        with database.session() as session, session.begin():
            desk.desk_marker(session)
            page = desk.search(session, wanted, zone=desk_bench.ZONE)
            desk.audit_search(session, wanted, page.total, action())

    # Opened as the desk window opens one: through the front desk's operation.
    front_desk = FrontDesk(database, zone=desk_bench.ZONE, paper_size="letter")

    def open_one(n: int) -> None:
        record = front_desk.open_visit(to_open[n], action())
        assert record.ending in Ending

    parts = desk_bench.NAME_PARTS
    rows = []
    for label, ours, theirs in (
        ("desk: today's list", todays_list, lambda _: twin.todays_list(now)),
        (
            "desk: search part of a name (first 100)",
            search,
            lambda n: twin.search(parts[n % len(parts)], now),
        ),
        ("desk: open a visit", open_one, lambda n: twin.open_visit(to_open[n], now)),
    ):
        mine, base = _alternate(ours, theirs, times, 3)
        rows.append(
            Row(
                f"{label} ({visits // 1000}k visits, PostgreSQL)",
                tuple(mine),
                tuple(base),
                Target(median_ms=50, ratio=2),
            )
        )
    return rows


def run(workdir: Path, *, quick: bool, server_url: str, only: list[str]) -> list[Row]:
    """The PostgreSQL rows of the scenarios chosen (save, desk)."""
    server = make_url(server_url)
    rows: list[Row] = []
    if "save" in only:
        rows += _save_rows(server, quick=quick)
    if "desk" in only:
        rows += _desk_rows(server, workdir, quick=quick)
    return rows
