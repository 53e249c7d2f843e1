"""The audit trail: who did what, to which visit, when and from where.

Entries name a visit by its ID only — never a patient's name, birth date or answers —
so the trail can be read by anyone who keeps the system running. The database refuses
to change or delete an entry, and gives each entry its number and its time from its
own clock (migrations 0002 and 0008; `kiosk.audit_protections` checks them at start).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from kiosk.models import AuditEntryRow, table_of


class AuditAction(StrEnum):
    """Everything that leaves an entry."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    VISIT_STORED = "visit_stored"
    VISIT_OPENED = "visit_opened"
    VISITS_LISTED = "visits_listed"
    VISITS_SEARCHED = "visits_searched"
    SUMMARY_SAVED = "summary_saved"
    SUMMARY_PRINTED = "summary_printed"
    # What the print system later said of a print: failed (and why), or printed after all.
    SUMMARY_PRINT_OUTCOME = "summary_print_outcome"
    FLAGS_REVIEWED = "flags_reviewed"
    RIDE_ARRANGED = "ride_arranged"
    VISIT_VOIDED = "visit_voided"
    VISIT_VOID_UNDONE = "visit_void_undone"
    # Patients who come back (`kiosk.patients`): by visit ID and patient number only.
    VISIT_LINKED = "visit_linked"
    VISIT_UNLINKED = "visit_unlinked"
    PATIENTS_MERGED = "patients_merged"
    DETAILS_CORRECTED = "details_corrected"
    EXPECTED_ADDED = "expected_added"
    EXPECTED_REMOVED = "expected_removed"
    EXPECTED_IMPORTED = "expected_imported"
    DEMO_VISITS_ADDED = "demo_visits_added"
    CONTENT_PUBLISHED = "content_published"
    CONTENT_RESTORED = "content_restored"
    CONTENT_IMPORTED = "content_imported"
    CONTENT_EXPORTED = "content_exported"
    CONTENT_DRAFT_SAVED = "content_draft_saved"
    CONTENT_DRAFT_DISCARDED = "content_draft_discarded"
    CONTENT_VERSIONS_LISTED = "content_versions_listed"
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
    ACCOUNT_UNLOCKED = "account_unlocked"
    ACCOUNT_ROLES_CHANGED = "account_roles_changed"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - the name of an action, not a password
    ACCOUNTS_LISTED = "accounts_listed"
    AUDIT_READ = "audit_read"
    BACKUP_MADE = "backup_made"
    RESTORED = "restored"
    DATABASE_COPIED = "database_copied"
    VISITS_PURGED = "visits_purged"
    KIOSK_CLOSED = "kiosk_closed"
    # A wrong exit PIN at a locked-down kiosk, or one refused while it waits.
    KIOSK_EXIT_REFUSED = "kiosk_exit_refused"
    AUDIT_PROTECTIONS_RESTORED = "audit_protections_restored"
    HELD_VISIT_SET_ASIDE = "held_visit_set_aside"
    ALERT_RAISED = "alert_raised"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    ALERT_CLEARED = "alert_cleared"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: datetime  # the database's clock when the entry reached this database
    actor: str
    action: str
    visit_id: str | None
    station: str
    detail: str
    # Carried over from another database (a restore): when it was first written there.
    original_at: datetime | None = None


_INSERT_ENTRY = insert(table_of(AuditEntryRow))


def record(
    transaction: Session | Connection,
    actor: str,
    action: AuditAction,
    *,
    station: str,
    visit_id: str | None = None,
    detail: str = "",
) -> None:
    """Write an entry in the caller's transaction (it stays only if the caller commits).

    The database numbers and times it: the insert names neither (the database would
    refuse it), so a station's wrong clock cannot move an entry within the trail.

    A Core insert on the session's connection rather than an ORM object: entries are
    never read back or changed through the session, and the unit of work cost a kiosk
    about a millisecond per stored visit (bench/save_visit.py). The caller's transaction
    is a session, or a Core connection in a transaction (the kiosk's save).
    """
    connection = transaction.connection() if isinstance(transaction, Session) else transaction
    connection.execute(
        _INSERT_ENTRY,
        [
            {
                "actor": actor,
                "action": action.value,
                "visit_id": visit_id,
                "station": station,
                "detail": detail,
            }
        ],
    )


def carry_over(session: Session, carried: Iterable[AuditEntry]) -> int:
    """Add entries from another database (a restore, a copy) to this one's trail, in order.

    Each gets this database's number and time like any new entry; the time it was first
    written is kept beside it as `original_at` (an entry already carried once keeps its
    first time). Returns how many were added, in the caller's transaction.
    """
    rows = [
        {
            "original_at": entry.original_at or entry.at,
            "actor": entry.actor,
            "action": entry.action,
            "visit_id": entry.visit_id,
            "station": entry.station,
            "detail": entry.detail,
        }
        for entry in carried
    ]
    if rows:
        session.connection().execute(_INSERT_ENTRY, rows)
    return len(rows)


def entries(
    session: Session,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    visit_id: str | None = None,
    action: AuditAction | None = None,
) -> Iterator[AuditEntry]:
    """Entries, oldest first; optionally since a time, by one actor, for a visit, of an action."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.id)
    if since is not None:
        query = query.where(AuditEntryRow.at >= since)
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    if visit_id is not None:
        query = query.where(AuditEntryRow.visit_id == visit_id)
    if action is not None:
        query = query.where(AuditEntryRow.action == action.value)
    for row in session.scalars(query):
        yield AuditEntry(
            row.id,
            row.at,
            row.actor,
            row.action,
            row.visit_id,
            row.station,
            row.detail,
            row.original_at,
        )
