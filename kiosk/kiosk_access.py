"""What the waiting-room kiosk writes, and the one place that decides how per engine.

On a clinic's server the kiosk's database role may read the content in use and run the
owner's functions (migrations 0014 and 0016), nothing else: it cannot read a visit, a
patient, the expected list or an account, change an alert of a desk's, or delete
anything. So on PostgreSQL every write a kiosk makes, and its one question (which flow
to run), goes through those functions, whichever role the station connects as (the owner,
a test's superuser and the kiosk role all take the same path); on SQLite, which has no
roles, the same writes are plain statements in the caller's transaction. `through_owner`
is that decision; the callers (`kiosk.stored_visits.store_visit`, `kiosk.held_visits`,
`kiosk.alerts`, `kiosk.auth`, `kiosk.retention`, `kiosk.expected`) ask it and never the
dialect themselves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, record


class ContentNotStoredError(ValueError):
    """The content a visit showed is not in this database (it was replaced meanwhile)."""


def through_owner(transaction: Session | Connection) -> bool:
    """Whether a kiosk's writes go through the owner's functions: on a database server.

    Asked of a session, or of a Core connection (the kiosk's save).
    """
    if isinstance(transaction, Session):
        transaction = transaction.connection()
    return transaction.dialect.name == "postgresql"


def may_store_content(session: Session) -> bool:
    """Whether this connection may store a content version (a kiosk's role may not)."""
    if not through_owner(session):
        return True
    return bool(session.scalar(text("SELECT has_table_privilege('content_versions', 'INSERT')")))


def may_purge(session: Session) -> bool:
    """Whether this connection may purge visits (on a server a desk's role or the owner's;
    a kiosk's role may not: the server's side purges there)."""
    if not through_owner(session):
        return True
    return bool(
        session.scalar(
            text(
                "SELECT has_function_privilege("
                "'purge_visits_finished_before(timestamp, integer, text, text)', 'EXECUTE')"
            )
        )
    )


def as_json(value: Any) -> Any:
    # The server reads these with jsonb_populate_record: times as naive UTC (as every
    # time column holds them), bytes in PostgreSQL's hex form.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    return value


def record_kiosk_event(
    session: Session, actor: str, action: AuditAction, *, station: str, detail: str = ""
) -> None:
    """An audit entry of the kiosk's own (closed, exit refused, a held visit set aside).

    On a server the kiosk writes it through the owner's function; staff who act at the
    kiosk in their own name (a station whose role may write the trail) write it directly.
    """
    if through_owner(session) and actor.startswith("kiosk:"):
        session.execute(
            text("SELECT kiosk_record_event(:actor, :action, :station, :detail)"),
            {"actor": actor, "action": action.value, "station": station, "detail": detail},
        )
        return
    record(session, actor, action, station=station, detail=detail)
