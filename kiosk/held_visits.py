"""Finished visits the database could not take yet, kept safely on the kiosk until it can.

A patient who finished must never lose their check-in because the database was locked,
read-only, deleted or full. The kiosk writes such a visit to a local folder (one file
per visit, written whole or not at all) and stores it later, exactly as it would have
been stored at once, through the same rows. The front desk reads the same folder to
tell staff that check-ins are waiting, and its "check in at the desk" window holds and
stores visits there too; so, like the database that holds the same visits, the folder
is the kiosk's user's and its group's (2770, files 0660) and nobody else's, even when
the kiosk and the desk run as two users (see kiosk.file_access).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, record
from kiosk.content import pack_from_canonical
from kiosk.content_versions import store_content
from kiosk.database import Database, failure
from kiosk.file_access import FILE_MODE, make_folder
from kiosk.models import (
    AnswerRow,
    Base,
    ConsentAcknowledgementRow,
    ContentVersionRow,
    FlagRow,
    SlideViewRow,
    VisitRow,
)
from kiosk.stored_visits import VisitRows, insert_visit_rows, visit_rows
from kiosk.visit import Visit

FORMAT = 1
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
}


class HoldReason(StrEnum):
    """Why the database could not take a finished visit, in words for the front desk."""

    LOCKED = "locked"
    READ_ONLY = "read-only"
    MISSING = "missing"
    FULL = "full"
    UNAVAILABLE = "unavailable"

    @property
    def words(self) -> str:
        """What staff read in the desk's alert."""
        return {
            HoldReason.LOCKED: "the database was busy for too long",
            HoldReason.READ_ONLY: "the database cannot be written to (it is read-only)",
            HoldReason.MISSING: "the database file is missing",
            HoldReason.FULL: "the database or its disk is full",
            HoldReason.UNAVAILABLE: "the database could not be reached",
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


class HeldVisits:
    """The folder of visits waiting to be stored."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _ensure_folder(self) -> None:
        make_folder(self.folder)

    def hold(
        self, visit: Visit, *, station: str, actor: str, reason: HoldReason, now: datetime
    ) -> None:
        """Keep a finished visit on disk; raises OSError if even that is impossible."""
        self._ensure_folder()
        content = visit.content
        content_file = self.folder / f"content-{content.version}.json"
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
        _write_whole(self.folder / f"visit-{visit.id}.json", json.dumps(held).encode("utf-8"))

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("visit-*.json"), key=lambda path: path.stat().st_mtime)

    def held(self) -> list[HeldVisit]:
        """The visits waiting, oldest first."""
        waiting = []
        for path in self._files():
            try:
                data = json.loads(path.read_bytes())
                waiting.append(
                    HeldVisit(
                        visit_id=data["rows"]["visits"][0]["id"],
                        station=data["station"],
                        reason=HoldReason(data["reason"]),
                        held_at=datetime.fromisoformat(data["held_at"]),
                    )
                )
            except (OSError, ValueError, KeyError):
                continue
        return waiting

    def store_all(self, database: Database, *, now: Callable[[], datetime]) -> list[str]:
        """Store every waiting visit, each in its own transaction; returns their IDs.

        A visit's file is removed only after its transaction has committed; a visit
        already in the database (stored just before a crash) is not stored twice.
        Raises the database's error if it still cannot take them.
        """
        stored: list[str] = []
        for path in self._files():
            data = json.loads(path.read_bytes())
            with database.session() as session, session.begin():
                if database.file is not None:
                    session.connection().exec_driver_sql(
                        f"PRAGMA busy_timeout={RETRY_BUSY_TIMEOUT_MS}"
                    )
                elif database.engine.dialect.name == "postgresql":
                    # A server's lock wait; LOCAL ends with this transaction.
                    session.connection().exec_driver_sql(
                        f"SET LOCAL lock_timeout = {RETRY_BUSY_TIMEOUT_MS}"
                    )
                try:
                    visit_id = data["rows"]["visits"][0]["id"]
                    if session.get(VisitRow, visit_id) is None:
                        self._store_one(session, data, now())
                        stored.append(visit_id)
                finally:
                    if database.file is not None:
                        with suppress(SQLAlchemyError):
                            session.connection().exec_driver_sql(
                                f"PRAGMA busy_timeout={database.busy_timeout_ms}"
                            )
            path.unlink()
        self._forget_unused_content()
        return stored

    def _store_one(self, session: Session, data: dict[str, Any], now: datetime) -> None:
        version = data["content"]
        version_id = session.scalar(
            select(ContentVersionRow.id).where(ContentVersionRow.sha256 == version)
        )
        if version_id is None:
            # The database was replaced while the visit waited: store the content it showed.
            kept = json.loads((self.folder / f"content-{version}.json").read_bytes())
            pack = pack_from_canonical(
                kept["canonical"].encode("utf-8"),
                {name: base64.b64decode(data) for name, data in kept["pictures"].items()},
            )
            version_id = store_content(
                session,
                pack,
                label="kept with a visit that waited on the kiosk",
                stored_by=data["actor"],
                now=now,
            ).id
        rows: VisitRows = {
            model: [
                {key: _decode(value) for key, value in row.items()} for row in data["rows"][name]
            ]
            for name, model in _TABLES.items()
        }
        rows[VisitRow][0]["content_version_id"] = version_id
        insert_visit_rows(session, rows)
        reason = HoldReason(data["reason"])
        record(
            session,
            data["actor"],
            AuditAction.VISIT_STORED,
            station=data["station"],
            visit_id=rows[VisitRow][0]["id"],
            detail=f"kept on the kiosk since {data['held_at']} because {reason.words}",
        )

    def _forget_unused_content(self) -> None:
        if self._files():
            return
        for path in self.folder.glob("content-*.json"):
            path.unlink(missing_ok=True)
