"""Removing visits past the clinic's retention period, leaving no trace of their text.

Rows are deleted with `secure_delete` on (SQLite overwrites freed pages with zeros) and
the write-ahead log is checkpointed and truncated afterwards, so neither the database
file nor its WAL keeps a purged patient's name. Audit entries stay: they hold only IDs.
Alerts cleared before the cutoff go too; an open alert stays however old, until staff
clear it.

While another connection reads (a read transaction left open by another program), the
checkpoint cannot fold in and empty the WAL, and the old pages stay on disk: the purge
then says so, and the next purge (which removes nothing more) finishes the wipe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.database import Database
from kiosk.expected import forget_earlier_days
from kiosk.kiosk_access import through_owner
from kiosk.models import (
    AlertRow,
    AnswerRow,
    ConsentAcknowledgementRow,
    DetailCorrectionRow,
    FlagRow,
    PrintJobRow,
    SlideViewRow,
    TeachBackAnswerRow,
    VisitRow,
)
from kiosk.name_search import forget_removed_names
from kiosk.patients import refresh_patients
from kiosk.unit_of_work import StorageUnavailableError, unit_of_work

_BATCH = 500
_CHILD_TABLES = (
    AnswerRow,
    SlideViewRow,
    ConsentAcknowledgementRow,
    FlagRow,
    PrintJobRow,
    DetailCorrectionRow,
    TeachBackAnswerRow,
)


def visits_older_than(session: Session, cutoff: datetime) -> list[str]:
    """IDs of visits that finished before `cutoff`."""
    return list(session.scalars(select(VisitRow.id).where(VisitRow.finished_at < cutoff)))


def delete_visits(session: Session, visit_ids: Sequence[str]) -> None:
    """Delete visits and everything stored with them (the caller commits).

    Their patients' last consent becomes the newest signed visit still kept (none:
    their next visit is a first visit again), and a patient with no visit left goes
    with their last one.
    """
    patients: set[int] = set()
    for start in range(0, len(visit_ids), _BATCH):
        batch = list(visit_ids[start : start + _BATCH])
        patients.update(
            pid
            for pid in session.scalars(
                select(VisitRow.patient_id).where(
                    VisitRow.id.in_(batch), VisitRow.patient_id.is_not(None)
                )
            )
            if pid is not None
        )
        for table in _CHILD_TABLES:
            session.execute(delete(table).where(table.visit_id.in_(batch)))
        session.execute(delete(VisitRow).where(VisitRow.id.in_(batch)))
    if visit_ids:
        # The database's triggers took the names out of the name search; this leaves
        # nothing of them in its index's pages either.
        forget_removed_names(session)
    session.expire_all()
    refresh_patients(session, patients)


@dataclass(frozen=True)
class Purge:
    """What a purge did: the visits it removed, and whether their text is wiped yet."""

    removed: int
    # Pages of the write-ahead log that still hold text from before the purge; 0 when
    # the database files keep nothing of what was removed (now or by an earlier purge).
    pages_not_wiped: int = 0

    @property
    def wiped(self) -> bool:
        """Whether no removed patient's text is left in the database files."""
        return self.pages_not_wiped == 0


def wipe_freed_space(database: Database, *, wait_ms: int | None = None) -> int:
    """Fold the WAL into the database and empty it, so deleted text is nowhere on disk.

    Returns how many pages still hold old data because another connection is reading
    (0: all wiped). `wait_ms`: how long to wait for readers (the busy timeout if None).
    """
    if database.engine.dialect.name != "sqlite":
        return 0
    with database.engine.connect() as connection:
        if wait_ms is not None:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            busy, wal_pages, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        finally:
            if wait_ms is not None:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={database.busy_timeout_ms}")
        connection.commit()
    if not busy:
        return 0
    # -1: the checkpoint could not even start; at least one page is still to wipe.
    return max(int(wal_pages), 1)


def purge_older_than(
    database: Database, days: int, by: Actor, *, wait_ms: int | None = None
) -> Purge:
    """Remove visits that finished more than `days` days before `by.now`, and wipe.

    One transaction for the deletions and their audit entries, then the freed space is
    wiped (also what an earlier purge could not wipe). `wait_ms`: how long the wipe waits
    for another program's reading to finish. Used by `kiosk purge` and by the kiosk's
    daily purge (`retention_days`).
    """
    cutoff = by.now - timedelta(days=days)
    with unit_of_work(database) as session:
        if through_owner(session):
            # No station's role deletes on a server: the owner's function does it all,
            # the same way, in this transaction.
            removed = session.execute(
                text("SELECT purge_visits_finished_before(:cutoff, :days, :actor, :station)"),
                {
                    "cutoff": cutoff.astimezone(UTC).replace(tzinfo=None),
                    "days": days,
                    "actor": by.audit_name,
                    "station": by.station,
                },
            ).scalar_one()
            # PostgreSQL keeps deleted rows' space until VACUUM reuses it (see README).
            return Purge(removed=int(removed))
        doomed = visits_older_than(session, cutoff)
        delete_visits(session, doomed)
        session.execute(
            delete(AlertRow).where(AlertRow.cleared_at.is_not(None), AlertRow.cleared_at < cutoff)
        )
        # Earlier days' expected lists hold names and serve no one (the clinic's day by
        # UTC here: a list is never needed a day after).
        forget_earlier_days(session, day=by.now.date() - timedelta(days=1))
        for visit_id in doomed:
            by.audit(session, AuditAction.VISITS_PURGED, visit_id, detail=f"older than {days} days")
    try:
        pages = wipe_freed_space(database, wait_ms=wait_ms)
    except SQLAlchemyError as error:
        raise StorageUnavailableError("the purged visits' space could not be wiped yet") from error
    return Purge(removed=len(doomed), pages_not_wiped=pages)
