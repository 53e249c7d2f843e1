"""Fixtures shared by every test: a clock, the bundled pack, a throwaway database.

A test that takes `database`, `database_url` or `new_database_url` runs once on each
engine the kiosk supports: SQLite (a file in the test's folder) and PostgreSQL (a fresh
database on the server named by `KIOSK_TEST_POSTGRESQL_URL`, dropped after the test; the
PostgreSQL half skips, saying why, when no server is named). `.ci/test-postgresql start`
makes such a server. A test about one engine only says so with
`@pytest.mark.parametrize("database_engine", ["sqlite"])`. On both engines a database is
made as clinic IT makes it, `kiosk db init`, then opened (`tests/databases.py`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database, init_database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.visit import Visit
from kiosk.visit_walk import ManualClock
from tests.databases import made_database, make_database


def earlier_today(zone: ZoneInfo) -> datetime:
    """Now, or earlier on the clinic's today: a test's visits (about 2.5 minutes of the
    clock each, up to three hours of them) all finish on the today the desk lists,
    whatever the hour the tests run at (late evening crossed midnight)."""
    now = datetime.now(zone)
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(start_of_today, now - timedelta(hours=3)).astimezone(UTC)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own settings file or KIOSK_ variables."""
    import os

    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)
    # Nothing a test does lands in the developer's own data, state or log folders.
    for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "xdg" / variable.lower()))
    settings_file = tmp_path / "empty-kiosk.toml"
    # No voice unless a test asks for one: where speech-dispatcher is installed (CI) the
    # system's voice would otherwise read in every test's kiosk.
    settings_file.write_text("read_aloud = false\n")
    settings_file.chmod(0o600)  # others may not change settings, whatever the umask
    monkeypatch.setenv("KIOSK_CONFIG", str(settings_file))


@pytest.fixture(autouse=True)
def _umask_kept() -> Iterator[None]:
    """A test that runs a program's `main` in this process (which sets umask 007 for the
    program's own files) does not change the file modes of the tests after it."""
    kept = os.umask(0o077)
    os.umask(kept)
    yield
    os.umask(kept)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(bundled_pack_dir())


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack, for tests that break it."""
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    # The base pack in the clinic's language: a test that edits its files would otherwise
    # also (rightly) be told that the Spanish translation no longer matches.
    shutil.rmtree(target / "translations")
    return target


# Read once, before `_isolated_settings` hides every KIOSK_ variable from the tests.
POSTGRESQL_URL = os.environ.get("KIOSK_TEST_POSTGRESQL_URL", "")
ENGINES = ["sqlite", "postgresql"]


class PostgreSQLServer:
    """The test server: makes a database per test and drops it after.

    A database made by `kiosk db init` (`init_database`) once per run is the template of
    every made one, so a test starts from a copy (a few hundredths of a second) instead of
    running the migrations again.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        # One connection for CREATE and DROP, which cannot run inside a transaction.
        self._server: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.made = self._create()
        # It closes its connections: a template must have none when it is copied.
        init_database(self._url_of(self.made))

    def _url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _create(self, template: str | None = None) -> str:
        name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
        like = f' TEMPLATE "{template}"' if template else ""
        with self._server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{like}'))
        return name

    def new_database(self, *, made: bool = False) -> tuple[str, str]:
        """A new database's name and URL: empty, or made as `kiosk db init` makes it."""
        name = self._create(self.made if made else None)
        return name, self._url_of(name)

    def drop(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open to it."""
        with self._server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.drop(self.made)
        self._server.dispose()


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgreSQLServer]:
    if not POSTGRESQL_URL:
        pytest.skip(
            "no PostgreSQL server: KIOSK_TEST_POSTGRESQL_URL is not set"
            ' (`eval "$(.ci/test-postgresql start)"` starts one)'
        )
    pytest.importorskip("psycopg", reason="PostgreSQL needs psycopg: pip install '.[server]'")
    server = PostgreSQLServer(POSTGRESQL_URL)
    yield server
    server.close()


@pytest.fixture(params=ENGINES)
def database_engine(request: pytest.FixtureRequest) -> str:
    """The engine a storage test runs on this time: "sqlite" or "postgresql"."""
    engine: str = request.param
    if engine == "postgresql":
        request.getfixturevalue("postgresql_server")  # skips here, saying why
    return engine


@pytest.fixture
def new_database_url(
    database_engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., str]]:
    """Makes fresh databases on this test's engine: `new_database_url("later")`.

    Empty by default: nothing there yet, as on a fresh machine. `made=True` gives one made
    as clinic IT makes it, `kiosk db init` (on the server a copy of one it made).
    """
    to_drop: list[str] = []
    server: PostgreSQLServer | None = None
    if database_engine == "postgresql":
        server = request.getfixturevalue("postgresql_server")

    def new(name: str = "kiosk", *, made: bool = False) -> str:
        if server is None:
            url = f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
            return make_database(url) if made else url
        database_name, url = server.new_database(made=made)
        to_drop.append(database_name)
        return url

    yield new
    if server is not None:
        for name in to_drop:
            server.drop(name)


@pytest.fixture
def database_url(new_database_url: Callable[..., str]) -> str:
    """The URL of a fresh, empty database on this test's engine."""
    return new_database_url()


@pytest.fixture
def database(new_database_url: Callable[..., str]) -> Iterator[Database]:
    """A fresh database on this test's engine, made (`kiosk db init`) and opened as every
    program opens it."""
    db = made_database(new_database_url(made=True))
    yield db
    db.close()


def store_visit(database: Database, visit: Visit) -> None:
    """Store a finished visit the way the kiosk does: one transaction."""
    from kiosk.stored_visits import save_visit

    with database.session() as session, session.begin():
        content_in_use(session, None, visit.clock())  # the bundled pack on a new database
        save_visit(session, visit, station="test-station")


def url_of(database: Database) -> str:
    """The URL `database` was opened with, password included, to open it a second time."""
    return database.engine.url.render_as_string(hide_password=False)


@contextmanager
def another_writer(database: Database) -> Iterator[None]:
    """Another program holding what a new visit needs, until the block ends.

    On SQLite the database's write lock; on PostgreSQL a lock on the visits table that
    lets others read it but not add to it.
    """
    if database.file is not None:
        blocker = sqlite3.connect(database.file, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.rollback()
            blocker.close()
        return
    with database.engine.connect() as connection:
        connection.execute(text("LOCK TABLE visits IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()


@contextmanager
def one_at_a_time(thing: str) -> Iterator[None]:
    """Hold one thing of the machine (the test printer, a screen reader's run) while the
    suite runs in several test processes (`dev.py test`): a lock file every process
    shares, so tests that use it wait for each other whichever process runs them."""
    import fcntl  # the tests that need this run on Linux only (CUPS, the AT-SPI bus)

    lock = Path(tempfile.gettempdir()) / f"waiting-room-kiosk-tests-{thing}.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
