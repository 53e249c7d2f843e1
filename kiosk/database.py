"""The database: open it, keep its schema current, and say plainly when it cannot be used.

SQLite connections run in WAL mode with foreign keys on and `synchronous=FULL`, so a
visit is on disk before the patient is told it is saved. Every program (kiosk, desk,
editor, command line) opens the database through `open_database`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from kiosk.audit import station_name
from kiosk.audit_protections import check_at_start
from kiosk.database_url import UnreadableURLError, shown_url, without_secrets
from kiosk.database_url import parse as parse_url
from kiosk.file_access import create_file, keep_from_others, make_folder

BUSY_TIMEOUT_MS = 5000


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


@dataclass
class Database:
    """An engine and the session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]
    # The SQLite file, when there is one: a kiosk must notice when it is deleted.
    file: Path | None = None
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
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


class DatabaseUnavailableError(Exception):
    """The database cannot be opened; the message says which and why, in one line."""


def open_database(
    url: str,
    *,
    migrate_schema: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    station: str | None = None,
) -> Database:
    """Connect to `url` (any SQLAlchemy URL) and bring its schema up to date.

    With the schema brought up to date, the audit trail's protections are checked and any
    missing one is put back, in the name of `station` (this machine's name by default).
    `busy_timeout_ms` is how long a SQLite write waits for another writer to finish.
    """
    try:
        parsed = parse_url(url)
    except UnreadableURLError as error:
        raise DatabaseUnavailableError(f"database_url {error}") from None
    shown = shown_url(parsed)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    file = sqlite_file(parsed)
    try:
        if file is not None:
            _prepare_file(file, read_only=parsed.query.get("mode") == "ro")
        engine = create_engine(parsed)
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        database = Database(
            engine, sessionmaker(engine, expire_on_commit=False), file, busy_timeout_ms
        )
        if migrate_schema:
            migrate(engine)
            # Every program opens the database here: kiosk, desk, editor, command line.
            with database.session() as session:
                check_at_start(session, station=station or station_name())
        database.file_is_gone()  # notes which file it is, to notice if it is replaced
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
    return database


def _prepare_file(file: Path, *, read_only: bool) -> None:
    """Create the SQLite file (and its folder) for the kiosk's user and group only.

    SQLite would create it 0644, readable by every user of the computer; its `-wal` and
    `-shm` files take the database file's mode, so setting it here covers all three. A
    file from an earlier version that others can read loses their access.
    """
    make_folder(file.parent)
    if read_only:
        return  # SQLite opens it as it is, or says it is missing
    if not create_file(file) and keep_from_others(file):
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
HEAD_REVISION = "0009"


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
    """Upgrade the schema to `revision` (every command works on a new, empty database)."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            # SQLite changes a table by copying it; with foreign keys on, dropping the old
            # copy would fail (or cascade) for every table visits refer to. The keys are
            # checked once the whole upgrade is done instead. Only outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseUnavailableError(
                        "the upgrade would break links between stored records; nothing was changed"
                    )
        finally:
            if is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
