"""Databases for tests, made as clinic IT makes them: `kiosk db init`, then opened.

No station makes a database by itself any more, so every test that needs one makes it
here (one way, used by every fixture) and then opens it as a station would.
"""

from __future__ import annotations

from kiosk.database import (
    BUSY_TIMEOUT_MS,
    Database,
    connect_database,
    init_database,
    migrate,
    open_database,
)


def made_database(
    url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, station: str | None = None
) -> Database:
    """The database at `url`, made with the current schema (`kiosk db init`) and opened."""
    init_database(url, station=station)
    return open_database(url, busy_timeout_ms=busy_timeout_ms, station=station)


def made_at_revision(url: str, revision: str) -> Database:
    """A database at an older `revision`, as an earlier version of the kiosk made it."""
    database = connect_database(url)
    migrate(database.engine, revision)
    return database


def make_database(url: str) -> str:
    """Make the database at `url` (`kiosk db init`) for a command to use; its URL."""
    init_database(url)
    return url
