"""One transaction for one operation, and the one error a window hears when it fails.

Every use case (front desk, content editing, staff accounts, upkeep) runs its work in
`unit_of_work`: committed whole or not at all. A database that cannot do it right now
(locked past its wait, read-only, full, gone, a server out of reach) comes out as
`StorageUnavailableError` with plain words for staff; the driver's own text, which can
carry the values it failed on, stays behind (only its kind is kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.database import Database, Failure, failure


class StorageUnavailableError(Exception):
    """The database could not do this just now; the message says why in plain words."""


def _plain_words(error: SQLAlchemyError) -> str:
    why = failure(error)
    if why is Failure.LOCKED:
        return "the database is busy; try again in a moment"
    if why is Failure.READ_ONLY:
        return "the database cannot be written to (it is read-only); tell the clinic's IT"
    if why is Failure.NOT_ALLOWED:
        return (
            "this computer's database role may not do that (on a clinic's server the "
            "editor's computer publishes content and changes accounts); tell the clinic's IT"
        )
    if why is Failure.FULL:
        return "the database or its disk is full; tell the clinic's IT"
    return "the database cannot be reached right now; try again, or tell the clinic's IT"


def _check_there(database: Database) -> None:
    """Refuse before the transaction when the database file is gone (or not made).

    SQLite goes on writing into a deleted file through connections already open, and
    reports success: a clinician's reviews would vanish with the file. Every use case
    opens its transaction here, so the desk, the editor and the command line all ask.
    """
    reason = database.not_ready_reason()
    if reason is not None:
        raise StorageUnavailableError(reason)


@contextmanager
def unit_of_work(database: Database) -> Iterator[Session]:
    """A session in one transaction: committed if the block ends, rolled back if it raises."""
    try:
        _check_there(database)
        with database.session() as session, session.begin():
            yield session
    except SQLAlchemyError as error:
        raise StorageUnavailableError(_plain_words(error)) from error


@contextmanager
def statements(database: Database) -> Iterator[Connection]:
    """A Core connection in one transaction, committed or rolled back as `unit_of_work`.

    For an operation that only reads and writes its audit entry, done many times a day
    (staff opening visit after visit): the ORM session's bookkeeping cost about a quarter
    of a millisecond a time for nothing it used (bench/desk.py).
    """
    try:
        _check_there(database)
        with database.engine.begin() as connection:
            yield connection
    except SQLAlchemyError as error:
        raise StorageUnavailableError(_plain_words(error)) from error


@contextmanager
def reading(database: Database) -> Iterator[Session]:
    """A session for reading only (nothing it does is committed)."""
    try:
        _check_there(database)
        with database.session() as session:
            yield session
    except SQLAlchemyError as error:
        raise StorageUnavailableError(_plain_words(error)) from error
