"""Backup and restore of the kiosk's SQLite database, safe while kiosks keep running.

SQLite's online backup API copies a consistent snapshot page by page even while other
connections write; a copy is written beside its target and renamed only when complete,
so a half-written backup never takes a good file's name. An encrypted database
(SQLCipher) is copied with its key: the backup is encrypted with the same key.
"""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from kiosk.audit import AuditEntry
from kiosk.database import HEAD_REVISION, sqlite_file
from kiosk.database_url import without_secrets
from kiosk.file_access import create_file, make_folder


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for clinic IT."""


def database_file(database_url: str) -> Path:
    """The database file behind an SQLite URL (other databases have their own tools)."""
    file = sqlite_file(database_url)
    if file is None:
        raise BackupError(
            "backup and restore work on an SQLite file; for PostgreSQL use pg_dump and pg_restore"
        )
    return file


@dataclass(frozen=True)
class _Driver:
    """Plain SQLite, or SQLCipher with the database's key."""

    module: Any
    key: str | None

    @classmethod
    def of(cls, database_url: str) -> _Driver:
        url = make_url(database_url)
        if url.get_driver_name() == "pysqlcipher":
            return cls(importlib.import_module("sqlcipher3"), url.password)
        return cls(sqlite3, None)

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error, self.module.Error)

    def connect(self, path: Path, *, read_only: bool = False) -> Any:
        target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
        connection = self.module.connect(target, uri=read_only)
        if self.key is not None:
            quoted = self.key.replace("'", "''")
            connection.execute(f"PRAGMA key = '{quoted}'")
        return connection


def _copy(driver: _Driver, source: Any, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Made here, 0660, before SQLite would make it readable by every user of the computer.
    create_file(partial)
    destination = driver.connect(partial)
    try:
        source.backup(destination)
    finally:
        destination.close()
    partial.replace(target)


def backup(database_url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    source_path = database_file(database_url)
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}")
    if target.resolve() == source_path.resolve():
        raise BackupError("the backup cannot be written over the database itself")
    driver = _Driver.of(database_url)
    failures: tuple[type[Exception], ...] = (*driver.errors, OSError)
    source = driver.connect(source_path)
    try:
        _copy(driver, source, target)
    except failures as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"the backup to {target} failed: {reason}") from None
    finally:
        source.close()


def check_backup(path: Path, database_url: str) -> None:
    """Refuse a file that is not a whole kiosk database this version can read."""
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    driver = _Driver.of(database_url)
    try:
        connection = driver.connect(path, read_only=True)
        try:
            ok = connection.execute("PRAGMA integrity_check").fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except driver.errors as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"{path} is not a kiosk database backup ({reason})") from None
    if ok != ("ok",):
        raise BackupError(f"{path} is damaged: {ok[0] if ok else 'unreadable'}")
    if revision is None or revision[0] > HEAD_REVISION:
        raise BackupError(f"{path} comes from a newer version of the kiosk; update it first")


def restore(database_url: str, source: Path, *, now: datetime) -> Path:
    """Replace the database's content with a backup; the current content is kept aside.

    Returns where the content before the restore was saved. Stop the kiosks and desks
    first: they would otherwise write into the database while it is replaced.
    """
    check_backup(source, database_url)
    target_path = database_file(database_url)
    kept = target_path.with_name(f"{target_path.stem}.before-restore-{now:%Y%m%d-%H%M%S}.sqlite3")
    if target_path.is_file():
        backup(database_url, kept)
    driver = _Driver.of(database_url)
    make_folder(target_path.parent)
    create_file(target_path)  # 0660 when it is new; an existing database keeps its mode
    origin = driver.connect(source, read_only=True)
    target = driver.connect(target_path)
    try:
        origin.backup(target)
    except driver.errors as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"the restore from {source} failed: {reason}") from None
    finally:
        origin.close()
        target.close()
    return kept


def _moment(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def audit_entries_in(database_url: str, path: Path) -> list[AuditEntry]:
    """The audit trail in a kiosk database file, oldest first, read without changing it."""
    driver = _Driver.of(database_url)
    connection = driver.connect(path, read_only=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_entries)")}
        # A file from before revision 0008 has no carried-over entries.
        original = "original_at" if "original_at" in columns else "NULL"
        rows = connection.execute(
            "SELECT id, at, actor, action, visit_id, station, detail, "  # noqa: S608 - a column name
            f"{original} FROM audit_entries ORDER BY id"
        ).fetchall()
    except driver.errors as error:
        raise BackupError(f"the audit trail in {path} cannot be read: {error}") from error
    finally:
        connection.close()
    return [
        AuditEntry(
            id_,
            _moment(at),
            actor,
            action,
            visit_id,
            station,
            detail,
            _moment(first) if first else None,
        )
        for id_, at, actor, action, visit_id, station, detail, first in rows
    ]


def audit_entries_lost_by_restore(database_url: str, kept: Path) -> list[AuditEntry]:
    """Entries of the content a restore kept aside that the restored database lacks.

    What happened since the backup still happened: a restore must not take it out of the
    trail. An entry is the same one when every field is, number and time included.
    """
    restored = set(audit_entries_in(database_url, database_file(database_url)))
    return [entry for entry in audit_entries_in(database_url, kept) if entry not in restored]
