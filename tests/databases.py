"""Databases for tests, made as clinic IT makes them: `kiosk db init`, then opened.

No station makes a database by itself any more, so every test that needs one makes it
here (one way, used by every fixture) and then opens it as a station would.

Running the migrations takes a fifth of a second; over a thousand tests that is minutes.
So a plain SQLite file is made once per test process by `kiosk db init` and each test's
database is a copy of it, made in the test's own place exactly as `kiosk db init` makes a
file (its mode, and this station's record that the database exists), through SQLite's own
backup so the copy is whole. The server's tests copy a made database the same way
(`CREATE DATABASE … TEMPLATE`, tests/conftest.py). The tests of `kiosk db init` itself
call `init_database` directly, never through here.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from kiosk.database import (
    BUSY_TIMEOUT_MS,
    Database,
    _prepare_file,
    connect_database,
    init_database,
    migrate,
    open_database,
    sqlite_file,
)
from kiosk.used_databases import remember_use

_made_file: Path | None = None


def _made_once() -> Path:
    """A SQLite file made by `kiosk db init` in this test process, copied for every test."""
    global _made_file  # noqa: PLW0603 - one per test process, made on first use
    if _made_file is None:
        file = Path(tempfile.mkdtemp(prefix="kiosk-made-")) / "made.sqlite3"
        init_database(f"sqlite:///{file}", station="tests")
        _made_file = file
    return _made_file


def _copied(url: str) -> bool:
    """Make the plain SQLite file at `url` as a copy of the made one; False for any other
    kind of database (a server, an encrypted file, a URL with options, a file that is
    already there), which `kiosk db init` then makes itself."""
    parsed = make_url(url)
    file = sqlite_file(parsed)
    if (
        file is None
        or parsed.drivername != "sqlite"
        or parsed.query
        or str(parsed.database).startswith("file:")
        or file.exists()
    ):
        return False
    _prepare_file(file, read_only=False)  # the folder and the file's mode, as db init
    source = sqlite3.connect(_made_once())
    target = sqlite3.connect(file)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    remember_use(parsed, file)
    return True


def made_database(
    url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, station: str | None = None
) -> Database:
    """The database at `url`, made with the current schema (`kiosk db init`) and opened."""
    if not _copied(url):
        init_database(url, station=station)
    return open_database(url, busy_timeout_ms=busy_timeout_ms, station=station)


def made_at_revision(url: str, revision: str) -> Database:
    """A database at an older `revision`, as an earlier version of the kiosk made it."""
    database = connect_database(url)
    migrate(database.engine, revision)
    return database


def make_database(url: str) -> str:
    """Make the database at `url` (`kiosk db init`) for a command to use; its URL."""
    if not _copied(url):
        init_database(url)
    return url
