"""The audit trail: who did what, to which visit, when and from where.

Entries name a visit by its ID only — never a patient's name, birth date or answers —
so the trail can be read by anyone who keeps the system running. The database refuses
to change or delete an entry (triggers in migration 0002).
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert, select
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
    FLAGS_REVIEWED = "flags_reviewed"
    RIDE_ARRANGED = "ride_arranged"
    VISIT_VOIDED = "visit_voided"
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
    PASSWORD_RESET = "password_reset"  # noqa: S105 - the name of an action, not a password
    ACCOUNTS_LISTED = "accounts_listed"
    AUDIT_READ = "audit_read"
    BACKUP_MADE = "backup_made"
    RESTORED = "restored"
    VISITS_PURGED = "visits_purged"
    KIOSK_CLOSED = "kiosk_closed"


def station_name() -> str:
    """This machine's name, recorded with every entry and every visit."""
    return socket.gethostname() or "unknown-station"


def command_line_actor() -> str:
    """`cli:<os user>`: the command line trusts the operating-system account."""
    try:
        user = getpass.getuser()
    except OSError:  # no user name in the environment (some containers)
        user = "unknown"
    return f"cli:{user}"


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: datetime
    actor: str
    action: str
    visit_id: str | None
    station: str
    detail: str


@dataclass(frozen=True)
class AuditStamp:
    """Who acts, from which station, and when: what every audit entry starts from."""

    actor: str
    station: str
    now: datetime

    def audit(
        self,
        session: Session,
        action: AuditAction,
        visit_id: str | None = None,
        *,
        detail: str = "",
    ) -> None:
        """Leave this action's audit entry (written with the caller's transaction)."""
        record(
            session,
            self.actor,
            action,
            now=self.now,
            station=self.station,
            visit_id=visit_id,
            detail=detail,
        )


_INSERT_ENTRY = insert(table_of(AuditEntryRow))


def record(
    session: Session,
    actor: str,
    action: AuditAction,
    *,
    now: datetime,
    station: str,
    visit_id: str | None = None,
    detail: str = "",
) -> None:
    """Write an entry in the caller's transaction (it stays only if the caller commits).

    A Core insert on the session's connection rather than an ORM object: entries are
    never read back or changed through the session, and the unit of work cost a kiosk
    about a millisecond per stored visit (bench/save_visit.py).
    """
    session.connection().execute(
        _INSERT_ENTRY,
        [
            {
                "at": now,
                "actor": actor,
                "action": action.value,
                "visit_id": visit_id,
                "station": station,
                "detail": detail,
            }
        ],
    )


def entries(
    session: Session,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    visit_id: str | None = None,
) -> Iterator[AuditEntry]:
    """Entries, oldest first, optionally only since a time, by one actor or for one visit."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.id)
    if since is not None:
        query = query.where(AuditEntryRow.at >= since)
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    if visit_id is not None:
        query = query.where(AuditEntryRow.visit_id == visit_id)
    for row in session.scalars(query):
        yield AuditEntry(
            row.id, row.at, row.actor, row.action, row.visit_id, row.station, row.detail
        )
