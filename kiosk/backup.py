"""Backup and restore of the kiosk's SQLite database, safe while kiosks keep running.

SQLite's online backup API copies a consistent snapshot page by page even while other
connections write; a copy is written beside its target and renamed only when complete,
so a half-written backup never takes a good file's name.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from kiosk.store import HEAD_REVISION, sqlite_file


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


def _copy(source: sqlite3.Connection, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
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
    source = sqlite3.connect(source_path)
    try:
        _copy(source, target)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"the backup to {target} failed: {error}") from error
    finally:
        source.close()


def check_backup(path: Path) -> None:
    """Refuse a file that is not a whole kiosk database this version can read."""
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = connection.execute("PRAGMA integrity_check").fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not a kiosk database backup ({error})") from error
    if ok != ("ok",):
        raise BackupError(f"{path} is damaged: {ok[0] if ok else 'unreadable'}")
    if revision is None or revision[0] > HEAD_REVISION:
        raise BackupError(f"{path} comes from a newer version of the kiosk; update it first")


def restore(database_url: str, source: Path, *, now: datetime) -> Path:
    """Replace the database's content with a backup; the current content is kept aside.

    Returns where the content before the restore was saved. Stop the kiosks and desks
    first: they would otherwise write into the database while it is replaced.
    """
    check_backup(source)
    target_path = database_file(database_url)
    kept = target_path.with_name(f"{target_path.stem}.before-restore-{now:%Y%m%d-%H%M%S}.sqlite3")
    if target_path.is_file():
        backup(database_url, kept)
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        origin.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"the restore from {source} failed: {error}") from error
    finally:
        origin.close()
        target.close()
    return kept
