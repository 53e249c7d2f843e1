"""Removing visits past the clinic's retention period, leaving no trace of their text.

Rows are deleted with `secure_delete` on (SQLite overwrites freed pages with zeros) and
the write-ahead log is checkpointed and truncated afterwards, so neither the database
file nor its WAL keeps a purged patient's name. Audit entries stay: they hold only IDs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.database import Database
from kiosk.models import (
    AnswerRow,
    ConsentAcknowledgementRow,
    FlagRow,
    PrintJobRow,
    SlideViewRow,
    VisitRow,
)
from kiosk.unit_of_work import StorageUnavailableError, unit_of_work

_BATCH = 500
_CHILD_TABLES = (AnswerRow, SlideViewRow, ConsentAcknowledgementRow, FlagRow, PrintJobRow)


def visits_older_than(session: Session, cutoff: datetime) -> list[str]:
    """IDs of visits that finished before `cutoff`."""
    return list(session.scalars(select(VisitRow.id).where(VisitRow.finished_at < cutoff)))


def delete_visits(session: Session, visit_ids: Sequence[str]) -> None:
    """Delete visits and everything stored with them (the caller commits)."""
    for start in range(0, len(visit_ids), _BATCH):
        batch = list(visit_ids[start : start + _BATCH])
        for table in _CHILD_TABLES:
            session.execute(delete(table).where(table.visit_id.in_(batch)))
        session.execute(delete(VisitRow).where(VisitRow.id.in_(batch)))


def wipe_freed_space(database: Database) -> None:
    """Fold the WAL into the database and empty it, so deleted text is nowhere on disk."""
    if database.engine.dialect.name != "sqlite":
        return
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.commit()


def purge_older_than(database: Database, days: int, by: Actor) -> int:
    """Remove visits that finished more than `days` days before `by.now`; returns how many.

    One transaction for the deletions and their audit entries, then the freed space is
    wiped. Used by `kiosk purge` and by the kiosk's daily purge (`retention_days`).
    """
    cutoff = by.now - timedelta(days=days)
    with unit_of_work(database) as session:
        doomed = visits_older_than(session, cutoff)
        delete_visits(session, doomed)
        for visit_id in doomed:
            by.audit(session, AuditAction.VISITS_PURGED, visit_id, detail=f"older than {days} days")
    try:
        wipe_freed_space(database)
    except SQLAlchemyError as error:
        raise StorageUnavailableError("the purged visits' space could not be wiped yet") from error
    return len(doomed)
