"""What the waiting-room kiosk writes, and the one place that decides how per engine.

On a clinic's server the kiosk's database role may read the content in use and run the
owner's functions (migration 0013), nothing else: it cannot read a visit or an account,
change an alert of a desk's, or delete anything. So on PostgreSQL every write a kiosk
makes goes through those functions, whichever role the station connects as (the owner,
a test's superuser and the kiosk role all take the same path); on SQLite, which has no
roles, the same writes are plain statements in the caller's transaction. `through_owner`
is that decision; the callers (`kiosk.check_in`, `kiosk.held_visits`, `kiosk.alerts`,
`kiosk.audit_protections`) ask it and never the dialect themselves.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, record
from kiosk.models import Base, ContentVersionRow, VisitRow

# A finished visit's rows, table by table (`kiosk.stored_visits.VisitRows`).
VisitRows = dict[type[Base], list[dict[str, Any]]]


class ContentNotStoredError(ValueError):
    """The content a visit showed is not in this database (it was replaced meanwhile)."""


def through_owner(session: Session) -> bool:
    """Whether a kiosk's writes go through the owner's functions: on a database server."""
    return session.connection().dialect.name == "postgresql"


def may_store_content(session: Session) -> bool:
    """Whether this connection may store a content version (a kiosk's role may not)."""
    if not through_owner(session):
        return True
    return bool(session.scalar(text("SELECT has_table_privilege('content_versions', 'INSERT')")))


def _as_json(value: Any) -> Any:
    # The server reads these with jsonb_populate_record: times as naive UTC (as every
    # time column holds them), bytes in PostgreSQL's hex form.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    return value


def store_visit(
    session: Session, rows: VisitRows, *, content: str, actor: str, station: str, detail: str
) -> bool:
    """Store a finished visit's rows and its audit entry; False when it was stored before.

    `content` is the hash of the content version it showed. Idempotent on the visit's
    ID: a replay after a dropped connection, or a held visit stored twice, stores nothing
    the second time. Raises `ContentNotStoredError` when that version is not stored.
    """
    from kiosk.stored_visits import insert_visit_rows  # it imports this module

    visit = rows[VisitRow][0]
    if through_owner(session):
        tables: dict[str, Any] = {
            model.__tablename__: [
                {name: _as_json(value) for name, value in row.items()} for row in table_rows
            ]
            for model, table_rows in rows.items()
        }
        visit_row = tables.pop(VisitRow.__tablename__)[0]
        document = {
            "content": content,
            "actor": actor,
            "station": station,
            "detail": detail,
            "visit": visit_row,
            **tables,
        }
        stored = session.execute(
            text("SELECT kiosk_store_visit(CAST(:finished AS jsonb))"),
            {"finished": json.dumps(document)},
        ).scalar_one()
        return bool(stored)
    if session.get(VisitRow, visit["id"]) is not None:
        return False
    version_id = session.scalar(
        select(ContentVersionRow.id).where(ContentVersionRow.sha256 == content)
    )
    if version_id is None:
        raise ContentNotStoredError("the content this visit showed is not stored as a version")
    visit["content_version_id"] = version_id
    insert_visit_rows(session, rows)
    record(
        session,
        actor,
        AuditAction.VISIT_STORED,
        station=station,
        visit_id=visit["id"],
        detail=detail,
    )
    return True


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
