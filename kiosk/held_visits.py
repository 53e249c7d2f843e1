"""Finished visits the database could not take yet, kept safely on the kiosk until it can.

A patient who finished must never lose their check-in because the database was locked,
read-only, deleted or full. The kiosk writes such a visit to a local folder (one file
per visit, written whole or not at all) and stores it later, exactly as it would have
been stored at once, through the same rows. The front desk reads the same folder to
tell staff that check-ins are waiting, and its "check in at the desk" window holds and
stores visits there too; so, like the database that holds the same visits, the folder
is the kiosk's user's and its group's (2770, files 0660) and nobody else's, even when
the kiosk and the desk run as two users (see kiosk.file_access).

A held file that cannot be stored (damaged on disk, or refused by the database) must not
stop the visits behind it: it is moved, never deleted, to the `set-aside` folder inside,
with a note of why, logged and audited, and the desk counts it and says why until clinic
IT has dealt with it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk import APP_NAME
from kiosk.audit import AuditAction
from kiosk.content import pack_from_canonical
from kiosk.content_versions import store_content
from kiosk.database import (
    Database,
    DatabaseUnavailableError,
    connect_database,
    failure,
    open_database,
    sqlite_file,
)
from kiosk.file_access import FILE_MODE, make_folder
from kiosk.kiosk_access import may_store_content, record_kiosk_event
from kiosk.models import (
    AnswerRow,
    Base,
    ConsentAcknowledgementRow,
    ContentVersionRow,
    FlagRow,
    SlideViewRow,
    TeachBackAnswerRow,
    VisitRow,
)
from kiosk.pack_loader import ContentPackError
from kiosk.settings import station_name
from kiosk.stored_visits import VisitRows, store_visit, visit_rows
from kiosk.visit import Visit

log = logging.getLogger(__name__)

FORMAT = 1
# Held files that cannot be stored wait here, inside the held-visits folder, for clinic IT.
SET_ASIDE = "set-aside"
# Beside each set-aside file: why, in words for staff.
_WHY = ".why.txt"
# While the database is locked, a retry must not freeze the Welcome screen for the full
# busy timeout: it gives up quickly and tries again later.
RETRY_BUSY_TIMEOUT_MS = 200

# The visit's rows, by table, in the order they are inserted.
_TABLES: dict[str, type[Base]] = {
    "visits": VisitRow,
    "answers": AnswerRow,
    "slide_views": SlideViewRow,
    "consent_acknowledgements": ConsentAcknowledgementRow,
    "flags": FlagRow,
    "teach_back_answers": TeachBackAnswerRow,
}
# Tables a file held by an earlier version of the kiosk does not have (read as no rows).
_ADDED_LATER = frozenset({"teach_back_answers"})


class HoldReason(StrEnum):
    """Why the database could not take a finished visit, in words for the front desk."""

    LOCKED = "locked"
    READ_ONLY = "read-only"
    MISSING = "missing"
    FULL = "full"
    UNAVAILABLE = "unavailable"
    # Not made yet, or at another version's schema: nothing until clinic IT runs `kiosk db`.
    NOT_MADE = "not made"
    OLDER_SCHEMA = "older schema"
    OTHER_SCHEMA = "other schema"
    # The kiosk's role on a server may not store it (privileges missing after an upgrade).
    NOT_ALLOWED = "not allowed"

    @property
    def words(self) -> str:
        """What staff read in the desk's alert."""
        return {
            HoldReason.LOCKED: "the database was busy for too long",
            HoldReason.READ_ONLY: "the database cannot be written to (it is read-only)",
            HoldReason.MISSING: "the database file is missing (put it back from a backup "
            "with `kiosk restore FILE`, or start an empty one with `kiosk db init --new`)",
            HoldReason.FULL: "the database or its disk is full",
            HoldReason.UNAVAILABLE: "the database could not be reached",
            HoldReason.NOT_MADE: "there is no database yet (make it with `kiosk db init`)",
            HoldReason.OLDER_SCHEMA: "the database is older than the kiosk program (an admin "
            "runs `kiosk db upgrade`)",
            HoldReason.OTHER_SCHEMA: "the database belongs to another version of the kiosk "
            "program (update the kiosk program, or name the right database)",
            HoldReason.NOT_ALLOWED: "the kiosk's database role may not store it (clinic IT "
            "runs `kiosk db upgrade` as the database's owner)",
        }[self]

    @property
    def pauses_check_in(self) -> bool:
        """A full disk will not get better by itself; new check-ins wait for staff."""
        return self is HoldReason.FULL


def hold_reason(error: BaseException) -> HoldReason:
    """Why a write failed, from the engine's own error code where there is one."""
    return HoldReason(failure(error).value)


@dataclass(frozen=True)
class HeldVisit:
    """A visit waiting on this machine to be stored."""

    visit_id: str
    station: str
    reason: HoldReason
    held_at: datetime
    # The folder it waits in: the held-visits folder, or the fallback when that cannot
    # be written (a read-only data folder).
    folder: Path


@dataclass(frozen=True)
class SetAsideVisit:
    """A held file that could not be stored; kept for clinic IT, never deleted."""

    file_name: str
    # Why, in words for staff ("the file is damaged", "the database refused it").
    problem: str
    # Where it is kept.
    folder: Path


class _DamagedFileError(Exception):
    """A held file that cannot be read as a visit; the message says why, for staff."""


# Why a file was set aside, in the words the desk shows.
DAMAGED = "the file is damaged and cannot be read as a visit"
CONTENT_MISSING = "the content the patient saw is missing from the kiosk"
REFUSED = "the database refused it"


def _refuses_this_visit(error: SQLAlchemyError) -> bool:
    """Whether the database refused this one visit's rows (trying again will not help),
    rather than being unusable for now (locked, read-only, missing, full, no rights)."""
    if isinstance(error, IntegrityError | DataError):
        return True  # the visit's own values break a key or a column
    # Not from the database at all: rows SQLAlchemy could not even turn into SQL.
    return not isinstance(error, DBAPIError)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
        if "bytes" in value:
            return base64.b64decode(value["bytes"])
    return value


def _write_whole(path: Path, data: bytes) -> None:
    """Write a file so that after a crash it is either complete or absent."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, FILE_MODE)  # mkstemp's 0600 would hide it from the desk's user
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        # The rename itself must survive a power cut (POSIX; Windows has no directory sync).
        directory = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


@dataclass
class ReadOnlyView(Database):
    """A database the kiosk can read but not write: its file or its folder is read-only.

    A kiosk started on it shows the content in use and holds every finished visit, as
    it would for a database that became read-only while it ran; once the real database
    can be written again, `writable_again` gives it back.
    """

    writable_url: str = ""


def read_only_view(url: str) -> ReadOnlyView | None:
    """A read-only view of the SQLite database at `url` this user cannot write, or None.

    In a read-only folder SQLite cannot make the `-wal` and `-shm` files it needs even to
    read; with none there, the last program to close the database folded everything into
    it, and nobody can write without them, so it is read as an unchanging file.
    """
    file = sqlite_file(url)
    if file is None or not file.is_file() or not os.access(file, os.R_OK):
        return None
    if os.access(file, os.W_OK) and os.access(file.parent, os.W_OK):
        return None  # writable: whatever stops it is not for a read-only view to hide
    for query in ("mode=ro", "mode=ro&immutable=1"):
        try:
            # Only read: nothing is checked or put back (that would write).
            opened = connect_database(f"sqlite:///file:{file.as_posix()}?{query}&uri=true")
        except DatabaseUnavailableError:
            continue
        view = ReadOnlyView(
            opened.engine, opened.sessions, file, opened.busy_timeout_ms, writable_url=url
        )
        try:
            with view.session() as session:
                session.scalar(select(ContentVersionRow.id).limit(1))
        except SQLAlchemyError:
            view.close()
            continue
        view.file_is_gone()  # notes which file it is, to notice if it is replaced
        return view
    return None


def writable_again(database: Database) -> Database:
    """The real database once a read-only view's file and folder can be written again."""
    if not isinstance(database, ReadOnlyView):
        return database
    try:
        writable = open_database(database.writable_url)
    except DatabaseUnavailableError:
        return database
    database.close()
    log.warning("the database can be written again: held visits are stored now")
    return writable


def fallback_folder() -> Path:
    """Where visits wait when the held-visits folder cannot be written (a read-only data
    folder): this user's state folder, where the logs are written too."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "held-visits"


def let_sqlite_write_again(database: Database) -> None:
    """After a read-only database file is made writable again, let SQLite write to it.

    SQLite creates the `-wal` and `-shm` files with the database file's mode, so a file
    that was read-only leaves them read-only too, and a `chmod` of the database alone
    (the obvious fix) is not enough: every connection, even after a restart, would open
    the shared memory read-only and refuse to write. Where this user may write the
    database and owns its companions, they get the database file's mode back and the
    connections opened meanwhile are let go.
    """
    file = database.file
    if file is None or os.name != "posix" or not os.access(file, os.W_OK):
        return
    fixed = False
    with suppress(OSError):
        mode = stat.S_IMODE(file.stat().st_mode)
        for companion in (file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
            if (
                companion.exists()
                and not os.access(companion, os.W_OK)
                and companion.stat().st_uid == os.geteuid()
            ):
                companion.chmod(mode)
                fixed = True
    if fixed:
        log.warning("the database's -wal and -shm files were read-only; now writable again")
        database.engine.dispose()


@contextmanager
def _quick_busy_timeout(session: Session, database: Database) -> Iterator[None]:
    """While the database is locked, give up quickly and try again later."""
    if database.engine.dialect.name == "postgresql":
        # A server's lock wait; LOCAL ends with this transaction.
        session.connection().exec_driver_sql(f"SET LOCAL lock_timeout = {RETRY_BUSY_TIMEOUT_MS}")
        yield
        return
    if database.file is None:
        yield
        return
    session.connection().exec_driver_sql(f"PRAGMA busy_timeout={RETRY_BUSY_TIMEOUT_MS}")
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):
            session.connection().exec_driver_sql(f"PRAGMA busy_timeout={database.busy_timeout_ms}")


class HeldVisits:
    """The folder of visits waiting to be stored."""

    def __init__(self, folder: Path, fallback: Path | None = None) -> None:
        """`fallback`: where visits wait when `folder` cannot be written (by default
        `held-visits` in this user's state folder, beside the logs)."""
        self.folder = folder
        fallback = fallback or fallback_folder()
        self.fallback = None if fallback == folder else fallback

    @property
    def folders(self) -> list[Path]:
        """Every folder visits may wait in, the held-visits folder first."""
        return [self.folder] + ([self.fallback] if self.fallback else [])

    def hold(
        self, visit: Visit, *, station: str, actor: str, reason: HoldReason, now: datetime
    ) -> Path:
        """Keep a finished visit on disk, in the held-visits folder or else the fallback.

        Returns the folder it waits in; raises OSError if even that is impossible.
        """
        try:
            self._hold_in(self.folder, visit, station=station, actor=actor, reason=reason, now=now)
        except OSError as error:
            if self.fallback is None:
                raise
            self._hold_in(
                self.fallback, visit, station=station, actor=actor, reason=reason, now=now
            )
            log.warning(
                "the held-visits folder %s cannot be written (%s): visit %s waits in %s",
                self.folder,
                type(error).__name__,
                visit.id,
                self.fallback,
            )
            return self.fallback
        return self.folder

    def _hold_in(
        self,
        folder: Path,
        visit: Visit,
        *,
        station: str,
        actor: str,
        reason: HoldReason,
        now: datetime,
    ) -> None:
        make_folder(folder)
        content = visit.content
        content_file = folder / f"content-{content.version}.json"
        if not content_file.exists():
            _write_whole(
                content_file,
                json.dumps(
                    {
                        "canonical": content.canonical_bytes().decode("utf-8"),
                        "pictures": {
                            name: base64.b64encode(data).decode("ascii")
                            for name, data in content.pictures.items()
                        },
                    }
                ).encode("utf-8"),
            )
        rows = visit_rows(visit, station=station, content_version_id=0)
        held = {
            "format": FORMAT,
            "station": station,
            "actor": actor,
            "reason": reason.value,
            "held_at": now.isoformat(),
            "content": content.version,
            "rows": {
                name: [{key: _encode(value) for key, value in row.items()} for row in rows[model]]
                for name, model in _TABLES.items()
            },
        }
        _write_whole(folder / f"visit-{visit.id}.json", json.dumps(held).encode("utf-8"))

    def _files(self) -> list[Path]:
        found = []
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for path in folder.glob("visit-*.json"):
                with suppress(OSError):  # gone meanwhile: stored by another process
                    found.append((path.stat().st_mtime, path.name, path))
        return [path for _, _, path in sorted(found)]

    def _read(self, path: Path) -> tuple[dict[str, Any], HeldVisit]:
        """A held file's contents and what it holds; raises _DamagedFileError."""
        try:
            data = json.loads(path.read_bytes())
            if not isinstance(data["content"], str) or not isinstance(data["actor"], str):
                raise TypeError("no content version or actor")
            for name in _TABLES:
                if name in _ADDED_LATER and name not in data["rows"]:
                    continue
                if not isinstance(data["rows"][name], list):
                    raise TypeError(f"no {name}")
            return data, HeldVisit(
                visit_id=str(data["rows"]["visits"][0]["id"]),
                station=str(data["station"]),
                reason=HoldReason(data["reason"]),
                held_at=datetime.fromisoformat(data["held_at"]),
                folder=path.parent,
            )
        except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
            raise _DamagedFileError(DAMAGED) from error

    def held(self) -> list[HeldVisit]:
        """The visits waiting, oldest first, each once however many files hold it."""
        waiting: dict[str, HeldVisit] = {}
        for path in self._files():
            try:
                _, visit = self._read(path)
            except _DamagedFileError:
                continue  # counted by set_aside()
            waiting.setdefault(visit.visit_id, visit)
        return list(waiting.values())

    def set_aside(self) -> list[SetAsideVisit]:
        """Files that cannot be stored: those set aside, and damaged ones not yet moved."""
        found: list[SetAsideVisit] = []
        for path in self._files():
            try:
                self._read(path)
            except _DamagedFileError as damage:
                found.append(SetAsideVisit(path.name, str(damage), path.parent))
        for folder in self.folders:
            for path in sorted((folder / SET_ASIDE).glob("visit-*.json")):
                try:
                    problem = path.with_name(path.name + _WHY).read_text("utf-8").strip()
                except OSError:
                    problem = DAMAGED
                found.append(SetAsideVisit(path.name, problem or DAMAGED, path.parent))
        return found

    def store_all(
        self, database: Database, *, now: Callable[[], datetime], station: str | None = None
    ) -> list[str]:
        """Store every waiting visit, each in its own transaction; returns their IDs.

        A visit's file is removed only after its transaction has committed; a visit
        already in the database (stored just before a crash, or held twice) is not stored
        twice. A file that cannot be stored is set aside (`station` signs the audit
        entry) and the rest go on. Raises the database's error if it cannot take them.
        """
        station = station or station_name()
        stored: list[str] = []
        files = self._files()
        if files:
            let_sqlite_write_again(database)
        for path in files:
            try:
                data, visit = self._read(path)
                with (
                    database.session() as session,
                    session.begin(),
                    _quick_busy_timeout(session, database),
                ):
                    if self._store_one(session, data, now(), path.parent):
                        stored.append(visit.visit_id)
            except _DamagedFileError as damage:
                self._set_aside(database, path, str(damage), station=station, now=now())
                continue
            except SQLAlchemyError as error:
                if not _refuses_this_visit(error):
                    if hold_reason(error) is HoldReason.READ_ONLY:
                        # A connection that opened the file read-only stays so after the
                        # file is made writable: the next try opens new ones.
                        database.engine.dispose()
                    raise
                problem = f"{REFUSED} ({type(error).__name__})"
                self._set_aside(database, path, problem, station=station, now=now())
                continue
            path.unlink(missing_ok=True)
        self._forget_unused_content()
        return stored

    def _set_aside(
        self, database: Database, path: Path, problem: str, *, station: str, now: datetime
    ) -> None:
        """Move a file that cannot be stored out of the way, audited; never delete it.

        The audit entry comes first: while the database cannot take even that, the file
        stays where it is (the desk counts it all the same) and is set aside next time.
        """
        with database.session() as session, session.begin():
            record_kiosk_event(
                session,
                f"kiosk:{station}",
                AuditAction.HELD_VISIT_SET_ASIDE,
                station=station,
                detail=f"{path.name}: {problem}; kept in the held-visits folder's "
                f"{SET_ASIDE} folder since {now.isoformat(timespec='seconds')}",
            )
        folder = path.parent / SET_ASIDE
        try:
            make_folder(folder)
            _write_whole(folder / (path.name + _WHY), (problem + "\n").encode("utf-8"))
            path.replace(folder / path.name)
        except OSError as error:
            log.error("a held visit could not be set aside: %s", type(error).__name__)
            return
        # File names carry only the visit's ID: no patient data in the log.
        log.error("held visit %s set aside in %s: %s", path.name, folder, problem)

    def _store_one(
        self, session: Session, data: dict[str, Any], now: datetime, folder: Path
    ) -> bool:
        """Store one held visit; False when it was in the database already."""
        version = data["content"]
        version_id = session.scalar(
            select(ContentVersionRow.id).where(ContentVersionRow.sha256 == version)
        )
        if version_id is None and not may_store_content(session):
            # The kiosk's role on a server may not store content: set aside, with the
            # content it showed beside it, for clinic IT to store by hand.
            raise _DamagedFileError(CONTENT_MISSING)
        if version_id is None:
            # The database was replaced while the visit waited: store the content it showed.
            try:
                kept = json.loads((folder / f"content-{version}.json").read_bytes())
                pack = pack_from_canonical(
                    kept["canonical"].encode("utf-8"),
                    {name: base64.b64decode(data) for name, data in kept["pictures"].items()},
                )
            except (OSError, ValueError, KeyError, TypeError, ContentPackError) as error:
                raise _DamagedFileError(CONTENT_MISSING) from error
            version_id = store_content(
                session,
                pack,
                label="kept with a visit that waited on the kiosk",
                stored_by=data["actor"],
                now=now,
            ).id
        try:
            rows: VisitRows = {
                model: [
                    {key: _decode(value) for key, value in row.items()}
                    for row in (
                        data["rows"].get(name, []) if name in _ADDED_LATER else data["rows"][name]
                    )
                ]
                for name, model in _TABLES.items()
            }
            rows[VisitRow][0]["content_version_id"] = version_id
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
            raise _DamagedFileError(DAMAGED) from error
        try:
            reason = HoldReason(data["reason"])
        except (ValueError, KeyError) as error:
            raise _DamagedFileError(DAMAGED) from error
        return store_visit(
            session,
            rows,
            content=version,
            actor=data["actor"],
            station=data["station"],
            detail=f"kept on the kiosk since {data['held_at']} because {reason.words}",
        )

    def _forget_unused_content(self) -> None:
        for folder in self.folders:
            # A set-aside visit keeps the content it showed, for whoever stores it by hand.
            if any(folder.glob("visit-*.json")) or any((folder / SET_ASIDE).glob("visit-*.json")):
                continue
            for path in folder.glob("content-*.json"):
                path.unlink(missing_ok=True)
