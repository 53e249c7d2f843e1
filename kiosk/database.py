"""The database: open it, keep its schema current, and say plainly when it cannot be used.

SQLite connections run in WAL mode with foreign keys on and `synchronous=FULL`, so a
visit is on disk before the patient is told it is saved. Connections to a PostgreSQL
server give up on a server that does not answer (connect, statement, lock and network
timeouts), so a hung network ends in a plain error instead of a frozen screen. Every
program (kiosk, desk, editor, command line) opens the database through `open_database`,
which never makes or upgrades one: `kiosk db init` (`init_database`) and `kiosk db
upgrade` (`upgrade_database`) do, once, so a deleted database is never silently replaced
by an empty one.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from kiosk.audit_protections import check_at_start
from kiosk.database_url import UnreadableURLError, shown_url, without_secrets
from kiosk.database_url import parse as parse_url
from kiosk.file_access import create_file, keep_from_others, make_folder
from kiosk.settings import station_name
from kiosk.used_databases import remember_use, used_here

BUSY_TIMEOUT_MS = 5000

# A server that does not answer: how long a connection attempt may take (libpq counts
# whole seconds, at least 2), how long one statement may run on the server, and how long
# sent data may go unacknowledged before the network counts as gone (Linux; other systems
# ignore it, and keepalives find a dead peer while nothing is being sent).
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 15_000
NETWORK_TIMEOUT_MS = 10_000
_LIBPQ_DRIVERS = frozenset({"psycopg", "psycopg2"})


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Every connection, not just the first: SQLite forgets foreign_keys per connection.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # Deleted rows (a purge) are overwritten with zeros, not left readable in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return on_connect


def _server_timeouts(url: URL, busy_timeout_ms: int) -> dict[str, Any]:
    """Connection arguments that keep a PostgreSQL client from waiting for ever.

    A lock held by another station waits `busy_timeout_ms`, as SQLite's busy timeout does.
    What the URL sets itself (clinic IT tuning a slow link) stays as the URL says.
    """
    if url.get_backend_name() != "postgresql" or url.get_driver_name() not in _LIBPQ_DRIVERS:
        return {}
    given = url.query
    wanted: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "tcp_user_timeout": NETWORK_TIMEOUT_MS,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    arguments = {name: value for name, value in wanted.items() if name not in given}
    options = given.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    settings = {"statement_timeout": STATEMENT_TIMEOUT_MS, "lock_timeout": int(busy_timeout_ms)}
    added = [f"-c {name}={value}" for name, value in settings.items() if name not in options]
    if added:
        arguments["options"] = " ".join([options, *added]).strip()
    return arguments


class NotReady(StrEnum):
    """Why a station may not use a database yet; each says what to run."""

    NEVER_MADE = "never made"
    GONE = "gone"
    OLDER = "older"
    NEWER = "newer"
    FOREIGN = "foreign"


@dataclass
class Database:
    """An engine and the session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]
    # The SQLite file, when there is one: a kiosk must notice when it is deleted.
    file: Path | None = None
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    # The address it was opened with, for saying which database is meant.
    url: URL | None = None
    # Whether its schema was found current; until then nothing may use it (a kiosk holds
    # visits), and nothing connects to a SQLite file that is not there, which would make it.
    ready: bool = True
    # What was last found wrong (None: nothing), for a kiosk to say why it holds visits.
    not_ready: NotReady | None = None
    _identity: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def session(self) -> Session:
        """A new session; use it as `with db.session() as s, s.begin(): ...`."""
        return self.sessions()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def file_is_gone(self) -> bool:
        """Whether the SQLite file has been deleted or moved away.

        SQLite keeps writing to a deleted file through connections that are already
        open, and a new connection would quietly create an empty one: both would lose
        visits. So a kiosk asks first, and drops its connections while the file is gone.
        """
        if self.file is None:
            return False
        try:
            status = self.file.stat()
        except FileNotFoundError:
            self.engine.dispose()
            return True
        identity = (status.st_dev, status.st_ino)
        if self._identity is not None and identity != self._identity:
            # Put back (a restore) while connections still held the old file: let go.
            self.engine.dispose()
        self._identity = identity
        return False

    def not_ready_reason(self) -> str | None:
        """Why nothing may be read or written here now, naming what to run; None if ready.

        Asked before every transaction (see `kiosk.unit_of_work`), so a database deleted
        under a running desk, editor or command is noticed before anything claims to be
        saved. A database that was not ready is looked at again: once clinic IT has run
        what it said, the station carries on.
        """
        if self.ready:
            noted = self._identity
            if self.file_is_gone():
                self.not_ready = NotReady.GONE
                return GONE_WHILE_OPEN
            if noted is None or noted == self._identity:
                return None
            # Another file put in its place (a restore): it may be any version's.
            self.ready = False
        self.not_ready, revision = self.readiness()
        if self.not_ready is not None:
            return self.words(self.not_ready, revision)
        self.ready = True
        if self.url is not None:
            remember_use(self.url, self.file)
        self.file_is_gone()  # notes which file it is, to notice if it is replaced
        return None

    def readiness(self) -> tuple[NotReady | None, str | None]:
        """Whether the database is there with this program's schema, and its revision.

        Reads only: a SQLite file that is not there is not connected to (that would make it).
        """
        url = self.url if self.url is not None else self.engine.url
        nothing = NotReady.GONE if used_here(url, self.file) else NotReady.NEVER_MADE
        if self.file is not None and not self.file.exists():
            return nothing, None
        with self.engine.connect() as connection:
            found = inspect(connection)
            if not found.has_table("alembic_version"):
                return (NotReady.FOREIGN if found.get_table_names() else nothing), None
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision is None or revision == HEAD_REVISION:
            return (None if revision else NotReady.FOREIGN), revision
        # Revisions are numbered 0001, 0002, …: any other is a later version's.
        numbered = len(revision) == len(HEAD_REVISION) and revision.isdigit()
        older = numbered and revision < HEAD_REVISION
        return (NotReady.OLDER if older else NotReady.NEWER), revision

    def words(self, state: NotReady, revision: str | None = None) -> str:
        """What staff and clinic IT read: what is wrong with the database, and what to run."""
        shown = shown_url(self.url if self.url is not None else self.engine.url)
        return {
            NotReady.NEVER_MADE: f"there is no database at {shown} yet: make it with "
            "`kiosk db init` (once, for the whole clinic)",
            NotReady.GONE: f"the database at {shown}, which this computer used before, is gone "
            "(deleted or moved away): put it back from a backup with `kiosk restore FILE`, "
            "or start an empty one with `kiosk db init --new`",
            NotReady.OLDER: f"the database at {shown} has an older schema ({revision}) than "
            f"this program ({HEAD_REVISION}): an admin runs `kiosk db upgrade` once",
            NotReady.NEWER: f"the database at {shown} has a newer schema ({revision}) than "
            f"this program ({HEAD_REVISION}): update the kiosk program on this computer",
            NotReady.FOREIGN: f"the database at {shown} is not a kiosk database (it holds "
            "other tables); nothing was changed: name the kiosk's own database",
        }[state]


GONE_WHILE_OPEN = (
    "the database file is gone (deleted or moved away), so nothing can be saved or read: "
    "put it back from a backup with `kiosk restore FILE`, or start an empty one with "
    "`kiosk db init --new`; tell the clinic's IT"
)


class Failure(StrEnum):
    """Why the database could not do what was asked, whatever its engine."""

    LOCKED = "locked"
    READ_ONLY = "read-only"
    MISSING = "missing"
    FULL = "full"
    UNAVAILABLE = "unavailable"
    # A station's role on a server may not do this (`kiosk.server_roles`).
    NOT_ALLOWED = "not allowed"


_SQLITE_FAILURES = {
    sqlite3.SQLITE_BUSY: Failure.LOCKED,
    sqlite3.SQLITE_LOCKED: Failure.LOCKED,
    sqlite3.SQLITE_READONLY: Failure.READ_ONLY,
    sqlite3.SQLITE_FULL: Failure.FULL,
    sqlite3.SQLITE_CANTOPEN: Failure.MISSING,
}
# PostgreSQL's SQLSTATE codes; anything else (no connection, the server shutting down,
# too many connections) is a server out of reach.
_SERVER_FAILURES = {
    "55P03": Failure.LOCKED,  # lock_not_available: another station held it past lock_timeout
    "57014": Failure.LOCKED,  # query_canceled: the statement timeout
    "40001": Failure.LOCKED,  # serialization_failure
    "40P01": Failure.LOCKED,  # deadlock_detected
    "25006": Failure.READ_ONLY,  # read_only_sql_transaction: a standby, or read-only on purpose
    "53100": Failure.FULL,  # disk_full
    "42501": Failure.NOT_ALLOWED,  # insufficient_privilege: not this station role's to do
}


def failure(error: BaseException) -> Failure:
    """Why a statement failed, from the engine's own error code where there is one."""
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return _SQLITE_FAILURES.get(code & 0xFF, Failure.UNAVAILABLE)
    # psycopg names it `sqlstate`, psycopg2 `pgcode`.
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return _SERVER_FAILURES.get(str(state), Failure.UNAVAILABLE)


class DatabaseUnavailableError(Exception):
    """The database cannot be opened; the message says which and why, in one line."""


class DatabaseNotReadyError(DatabaseUnavailableError):
    """The database is not there, or not at this program's schema; the message says what
    to run. `database` is the station's way to it once someone has: a kiosk holds visits
    and keeps looking (see `Database.not_ready_reason`)."""

    def __init__(self, message: str, state: NotReady, database: Database) -> None:
        super().__init__(message)
        self.state = state
        self.database = database


def _parse(url: str) -> URL:
    try:
        return parse_url(url)
    except UnreadableURLError as error:
        raise DatabaseUnavailableError(f"database_url {error}") from None


@contextmanager
def _said_plainly(parsed: URL) -> Iterator[None]:
    """A driver's or the system's error as one line that names the database and no secret."""
    shown = shown_url(parsed)
    try:
        yield
    except (ImportError, NoSuchModuleError) as error:
        raise DatabaseUnavailableError(
            f"the database at {shown} needs a driver that is not installed "
            f"({without_secrets(str(error), parsed)})"
        ) from None
    except (SQLAlchemyError, OSError, ValueError, TypeError) as error:
        # ValueError and TypeError: a driver refusing one of the URL's parameters.
        reason = str(getattr(error, "orig", None) or error)
        if parsed.get_driver_name() == "pysqlcipher" and "not a database" in reason:
            reason = "its key does not open it (a wrong key, or not an encrypted kiosk database)"
        # `from None`: a trace of the driver's own error would print what it quoted.
        raise DatabaseUnavailableError(
            f"the database at {shown} cannot be opened: {without_secrets(reason, parsed)}"
        ) from None


def connect_database(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """The engine for `url`, not yet connected: nothing is checked, made or changed.

    For `kiosk db` and for tests that build an old schema; everything else opens the
    database with `open_database`.
    """
    parsed = _parse(url)
    with _said_plainly(parsed):
        engine = create_engine(
            parsed,
            connect_args=_server_timeouts(parsed, busy_timeout_ms),
            # A server restarted under a running station leaves its pooled connections
            # dead: each is tried before use, so the first use after the server is back
            # succeeds instead of failing once.
            pool_pre_ping=parsed.get_backend_name() != "sqlite",
        )
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        return Database(
            engine,
            sessionmaker(engine, expire_on_commit=False),
            sqlite_file(parsed),
            busy_timeout_ms,
            url=parsed,
            ready=False,
        )


def open_database(
    url: str,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    station: str | None = None,
) -> Database:
    """Connect to the database at `url` (any SQLAlchemy URL), made and current.

    It is never made or upgraded here: `kiosk db init` and `kiosk db upgrade` do that,
    once. A database that is not there, or not at this program's schema, raises
    `DatabaseNotReadyError` saying what to run. Once open, the audit trail's protections
    are checked and any missing one is put back, in the name of `station` (this
    machine's name by default). `busy_timeout_ms` is how long a SQLite write waits for
    another writer to finish.
    """
    database = connect_database(url, busy_timeout_ms=busy_timeout_ms)
    assert database.url is not None
    with _said_plainly(database.url):
        state, revision = database.readiness()
        if state is not None:
            database.close()
            database.not_ready = state
            raise DatabaseNotReadyError(database.words(state, revision), state, database)
        if database.file is not None and database.url.query.get("mode") != "ro":
            _close_to_others(database.file)
        # Every program opens the database here: kiosk, desk, editor, command line.
        with database.session() as session:
            check_at_start(session, station=station or station_name())
        database.ready = True
        remember_use(database.url, database.file)
        database.file_is_gone()  # notes which file it is, to notice if it is replaced
    return database


def make_throwaway_database(url: str) -> Database:
    """A new SQLite database made and opened here, never remembered as this station's.

    Only for the editor's preview, whose database is thrown away with its folder; every
    database of the clinic's is made by `kiosk db init`.
    """
    database = connect_database(url)
    assert database.url is not None
    assert database.file is not None
    with _said_plainly(database.url):
        _prepare_file(database.file, read_only=False)
        migrate(database.engine)
    database.ready = True
    database.file_is_gone()  # notes which file it is
    return database


class Initialized(StrEnum):
    """What `kiosk db init` did."""

    MADE = "made"
    ALREADY_CURRENT = "already current"


def init_database(url: str, *, new: bool = False, station: str | None = None) -> Initialized:
    """`kiosk db init`: make the database at `url` with the current schema, once.

    A database that is already current is left as it is. One that this station used
    before and is now gone is not made again unless `new` says so: the clinic's content,
    accounts and visits would silently start over. Anything else that is not ready
    (an older, newer or foreign schema) raises `DatabaseNotReadyError` saying what to run.
    """
    database = connect_database(url)
    assert database.url is not None
    try:
        with _said_plainly(database.url):
            state, revision = database.readiness()
            if state is None:
                remember_use(database.url, database.file)
                return Initialized.ALREADY_CURRENT
            if state is NotReady.GONE and not new:
                raise DatabaseNotReadyError(database.words(state), state, database)
            if state not in (NotReady.NEVER_MADE, NotReady.GONE):
                raise DatabaseNotReadyError(database.words(state, revision), state, database)
            if database.file is not None:
                _prepare_file(database.file, read_only=database.url.query.get("mode") == "ro")
            migrate(database.engine)
            with database.session() as session:
                check_at_start(session, station=station or station_name())
            remember_use(database.url, database.file)
            return Initialized.MADE
    finally:
        database.close()


def upgrade_database(url: str, *, station: str | None = None) -> str | None:
    """`kiosk db upgrade`: bring an older schema up to this program's; the old revision.

    None when it was already current. A database that is not there, or newer than this
    program, raises `DatabaseNotReadyError` saying what to run instead.
    """
    database = connect_database(url)
    assert database.url is not None
    try:
        with _said_plainly(database.url):
            state, revision = database.readiness()
            if state is None:
                remember_use(database.url, database.file)
                return None
            if state is not NotReady.OLDER:
                raise DatabaseNotReadyError(database.words(state, revision), state, database)
            migrate(database.engine)
            with database.session() as session:
                check_at_start(session, station=station or station_name())
            remember_use(database.url, database.file)
            return revision
    finally:
        database.close()


def _prepare_file(file: Path, *, read_only: bool) -> None:
    """Create the SQLite file (and its folder) for the kiosk's user and group only.

    SQLite would create it 0644, readable by every user of the computer; its `-wal` and
    `-shm` files take the database file's mode, so setting it here covers all three. A
    file from an earlier version that others can read loses their access.
    """
    make_folder(file.parent)
    if read_only:
        return  # SQLite opens it as it is, or says it is missing
    if not create_file(file):
        _close_to_others(file)


def _close_to_others(file: Path) -> None:
    """A file from an earlier version that others can read loses their access."""
    if keep_from_others(file):
        for companion in (file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
            keep_from_others(companion)
        logging.getLogger(__name__).warning(
            "the database file was open to every user of this computer; now only its "
            "owner and group may use it"
        )


def sqlite_file(database_url: URL | str) -> Path | None:
    """The file behind a SQLite URL (plain or `file:` URI form); None for memory or a server."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    name = url.database
    if name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
        if name.startswith("///"):
            name = name[2:]
        if not name or name == ":memory:" or url.query.get("mode") == "memory":
            return None
    return Path(name)


# The newest migration; a test checks it is Alembic's head. Knowing it lets a database
# that is already current open without loading Alembic (a third of a second per command).
HEAD_REVISION = "0020"


def alembic_config(engine_connection: Any = None) -> Config:
    """Alembic's settings, pointing at the migrations inside the installed package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kiosk:migrations")
    config.attributes["connection"] = engine_connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for a new, empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision`: for `kiosk db init|upgrade` (and tests), no other."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        driver: Any = connection.connection.driver_connection
        implicit_begin = getattr(driver, "isolation_level", None)
        if is_sqlite:
            # SQLite changes a table by copying it; with foreign keys on, dropping the old
            # copy would fail (or cascade) for every table visits refer to. The keys are
            # checked once the whole upgrade is done instead. Only outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            # Python's sqlite3 (and sqlcipher3) sends BEGIN only before INSERT, UPDATE or
            # DELETE, never before CREATE, DROP or ALTER: each of those committed on its
            # own, and a migration killed half-way left tables its revision did not know,
            # a database no program could open again. So this connection begins its
            # transaction itself (SQLAlchemy's documented recipe for pysqlite), taking the
            # write lock at once; SQLite undoes every statement of an unfinished one.
            driver.isolation_level = None
        try:
            with connection.begin():
                if is_sqlite:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                elif engine.dialect.name == "postgresql":
                    # An upgrade of a large clinic's tables may take longer than any one
                    # station's statement should; this transaction only.
                    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
                command.upgrade(alembic_config(connection), revision)
                if is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseUnavailableError(
                        "the upgrade would break links between stored records; nothing was changed"
                    )
        finally:
            if is_sqlite:
                driver.isolation_level = implicit_begin  # the pool's other users expect it
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
