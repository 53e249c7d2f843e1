"""What keeps the audit trail append-only in the database, checked at every program start.

The database refuses to change or delete an entry and numbers and times each one itself
(migrations 0002 and 0008). Whoever may change the schema can drop those protections, so
every program (kiosk, desk, editor, command line) looks for them as it opens the
database: if any is missing or altered it puts it back, leaves an entry saying so, and
the front desk shows staff a warning. It cannot tell which entries went while they were
missing; telling that (tamper evidence) is a different job.

The definitions here must stay those of the newest migration that sets them; a test
checks a freshly migrated database shows nothing to put back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, AuditEntry, entries, record
from kiosk.models import AlertRow, database_now

log = logging.getLogger(__name__)

# How long the front desk keeps warning about protections found removed: long enough to
# be seen over a weekend and a holiday by whoever is at the desk, short enough that an
# old, dealt-with warning does not teach staff to ignore the line.
WARNING_DAYS = 7
ACTOR = "system"

PROTECTIONS_RESTORED_ALERT = "protections_restored"

APPEND_ONLY = "audit entries cannot be changed or deleted"
NUMBERED = "audit entries are numbered by the database: an insert names no id"
TIMED = "audit entries are timed by the database: an insert names no time"
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"

SQLITE_TRIGGERS = {
    "audit_entries_no_update": (
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    ),
    "audit_entries_no_delete": (
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    ),
    "audit_entries_numbered_by_the_database": (
        "CREATE TRIGGER audit_entries_numbered_by_the_database BEFORE INSERT ON audit_entries "
        f"WHEN NEW.id <> -1 BEGIN SELECT RAISE(ABORT, '{NUMBERED}'); END"
    ),
    "audit_entries_numbered_from_one": (
        "CREATE TRIGGER audit_entries_numbered_from_one AFTER INSERT ON audit_entries "
        f"WHEN NEW.id < 1 BEGIN SELECT RAISE(ABORT, '{NUMBERED}'); END"
    ),
    "audit_entries_timed_by_the_database": (
        "CREATE TRIGGER audit_entries_timed_by_the_database BEFORE INSERT ON audit_entries "
        f"WHEN NEW.at IS NOT {_SQLITE_NOW} BEGIN SELECT RAISE(ABORT, '{TIMED}'); END"
    ),
}

# PostgreSQL: each function's body, and each trigger as (type bits, function). The type
# bits are PostgreSQL's: row 1, before 2, insert 4, delete 8, update 16, truncate 32.
POSTGRESQL_FUNCTIONS = {
    "audit_entries_refuse_change": f" BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END ",
    "audit_entries_take_database_order": (
        " BEGIN "
        f"IF NEW.id IS NOT NULL THEN RAISE EXCEPTION '{NUMBERED}'; END IF; "
        f"IF NEW.at IS NOT NULL THEN RAISE EXCEPTION '{TIMED}'; END IF; "
        "NEW.id := nextval('audit_entries_id_seq'); "
        "NEW.at := clock_timestamp() AT TIME ZONE 'UTC'; "
        "RETURN NEW; END "
    ),
}
POSTGRESQL_TRIGGERS = {
    "audit_entries_append_only": (
        2 | 8 | 16 | 32,
        "audit_entries_refuse_change",
        "BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries FOR EACH STATEMENT",
    ),
    "audit_entries_database_order": (
        1 | 2 | 4,
        "audit_entries_take_database_order",
        "BEFORE INSERT ON audit_entries FOR EACH ROW",
    ),
}
# Neither column may have a default there: the trigger gives both, and refuses an insert
# that brings its own (which is what a default would look like to it).
_POSTGRESQL_NO_DEFAULT = ("id", "at")


@dataclass(frozen=True)
class Lapse:
    """One protection found missing or altered, and how it is put back."""

    found: str
    repair: tuple[str, ...]


def _sqlite_lapses(connection: Connection) -> list[Lapse]:
    lapses: list[Lapse] = []
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'trigger' AND lower(tbl_name) = 'audit_entries'"
    ).all()
    present: dict[str, str] = {row[0]: row[1] for row in rows}
    for name, statement in SQLITE_TRIGGERS.items():
        if name not in present:
            lapses.append(Lapse(f"trigger {name} missing", (statement,)))
        elif present[name] != statement:
            lapses.append(Lapse(f"trigger {name} altered", (f'DROP TRIGGER "{name}"', statement)))
    # A trigger of someone else's could drop new entries (RAISE(IGNORE)) or forge others.
    for name in sorted(set(present) - set(SQLITE_TRIGGERS)):
        lapses.append(Lapse(f"unknown trigger {name}", (f'DROP TRIGGER "{_quoted(name)}"',)))
    # A unique index lets INSERT OR REPLACE delete whichever entry it matches, without
    # naming a number and without a delete trigger firing: entries have none but the key.
    for name, unique, origin in connection.exec_driver_sql(
        "SELECT name, \"unique\", origin FROM pragma_index_list('audit_entries')"
    ).all():
        if unique and origin == "c":
            lapses.append(Lapse(f"unique index {name}", (f'DROP INDEX "{_quoted(name)}"',)))
    return lapses


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def _postgresql_lapses(connection: Connection) -> list[Lapse]:
    lapses: list[Lapse] = []
    functions = {
        name: (body, settings)
        for name, body, settings in connection.execute(
            text(
                "SELECT p.proname, p.prosrc, p.proconfig FROM pg_proc p "
                "JOIN pg_language l ON l.oid = p.prolang "
                "WHERE p.pronamespace = current_schema()::regnamespace "
                "AND l.lanname = 'plpgsql' AND p.proname = ANY(:names)"
            ),
            {"names": list(POSTGRESQL_FUNCTIONS)},
        ).all()
    }
    for name, body in POSTGRESQL_FUNCTIONS.items():
        found = functions.get(name)
        if found != (body, None):
            # Replacing also clears settings someone added (a search_path of their own).
            replace = f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            what = "missing" if found is None else "altered"
            lapses.append(Lapse(f"function {name} {what}", (f"{replace}$${body}$$",)))
    triggers = {
        name: (kind, function, enabled, plain)
        for name, kind, function, enabled, plain in connection.execute(
            text(
                "SELECT t.tgname, t.tgtype, p.proname, t.tgenabled, "
                "t.tgqual IS NULL AND t.tgnargs = 0 AND t.tgattr = '' "
                "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = 'audit_entries'::regclass AND NOT t.tgisinternal"
            )
        ).all()
    }
    for name, (kind, function, when) in POSTGRESQL_TRIGGERS.items():
        create = (
            f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()",
            f"ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER {name}",
        )
        present = triggers.get(name)
        if present is None:
            lapses.append(Lapse(f"trigger {name} missing", create))
        elif present[:2] != (kind, function) or not present[3]:
            lapses.append(
                Lapse(f"trigger {name} altered", (f"DROP TRIGGER {name} ON audit_entries", *create))
            )
        elif present[2] != "A":
            # Disabled, or firing only outside replica mode: a superuser's session could
            # skip it with `SET session_replication_role = replica`.
            lapses.append(Lapse(f"trigger {name} not always enabled", create[1:]))
    for name in sorted(set(triggers) - set(POSTGRESQL_TRIGGERS)):
        lapses.append(
            Lapse(f"unknown trigger {name}", (f'DROP TRIGGER "{_quoted(name)}" ON audit_entries',))
        )
    # A rule can turn an insert into nothing, or into something else, before any trigger.
    for (name,) in connection.execute(
        text(
            "SELECT rulename FROM pg_rules "
            "WHERE schemaname = current_schema() AND tablename = 'audit_entries'"
        )
    ).all():
        lapses.append(Lapse(f"rule {name}", (f'DROP RULE "{_quoted(name)}" ON audit_entries',)))
    for (column,) in connection.execute(
        text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'audit_entries' "
            "AND column_default IS NOT NULL AND column_name = ANY(:columns)"
        ),
        {"columns": list(_POSTGRESQL_NO_DEFAULT)},
    ).all():
        lapses.append(
            Lapse(
                f"default on {column}",
                (f"ALTER TABLE audit_entries ALTER COLUMN {column} DROP DEFAULT",),
            )
        )
    return lapses


def _may_put_back(connection: Connection) -> bool:
    """Whether this connection may change the trail's protections: on a server only the
    owner of the audit table (or a superuser) may; SQLite has no roles."""
    if connection.dialect.name != "postgresql":
        return True
    return bool(
        connection.execute(
            text(
                "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
                "WHERE c.oid = 'audit_entries'::regclass"
            )
        ).scalar()
    )


def lapses(connection: Connection) -> list[Lapse]:
    """Every protection that is missing or altered (none on a database as migrated)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return _sqlite_lapses(connection)
    if dialect == "postgresql":
        return _postgresql_lapses(connection)
    raise NotImplementedError(f"no append-only audit trail for {dialect} yet")


def keep_in_place(session: Session, *, station: str) -> list[str]:
    """Put back any missing protection and leave an entry saying what; returns what was found.

    Most starts only read the schema. When something is missing, the check is made again
    under a write lock, so two programs starting at once put it back once; the caller's
    session must not have begun yet, and is committed here.
    """
    found = lapses(session.connection())
    if not found:
        session.rollback()
        return []
    if not _may_put_back(session.connection()):
        # A station's role on a server may not change the trail's protections (only
        # their owner may): it tells the desks, and clinic IT's `kiosk db upgrade`,
        # which runs as the owner, puts them back.
        session.rollback()
        with session.begin():
            session.execute(
                text("SELECT kiosk_raise_alert('protection_missing', :station, :detail, :actor)"),
                {
                    "station": station,
                    "detail": "missing: "
                    + "; ".join(lapse.found for lapse in found)
                    + " (run `kiosk db upgrade` as the database's owner)",
                    "actor": f"{ACTOR}:{station}",
                },
            )
        return [lapse.found for lapse in found]
    session.rollback()
    with session.begin():
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('audit_entries'))"))
        found = lapses(connection)
        for lapse in found:
            for statement in lapse.repair:
                connection.exec_driver_sql(statement)
        if found:
            what = "; ".join(lapse.found for lapse in found)
            record(
                session,
                ACTOR,
                AuditAction.AUDIT_PROTECTIONS_RESTORED,
                station=station,
                detail="put back: " + what,
            )
            _tell_the_desks(session, station, what)
    return [lapse.found for lapse in found]


def _tell_the_desks(session: Session, station: str, what: str) -> None:
    """An alert on every desk, in the same transaction: someone removed protections that
    only a person with the database's own rights can remove, and IT must find out who.

    Written here rather than through `kiosk.alerts` (a service above the storage this
    module belongs to); the kind is the one `AlertKind.PROTECTIONS_RESTORED` reads."""
    alert = AlertRow(
        kind=PROTECTIONS_RESTORED_ALERT,
        station=station,
        detail=f"the audit trail's protections were found removed and put back ({what})",
        raised_at=database_now(),
        acknowledgement_note="",
    )
    session.add(alert)
    session.flush()
    record(
        session,
        ACTOR,
        AuditAction.ALERT_RAISED,
        station=station,
        detail=f"alert {alert.id}: {PROTECTIONS_RESTORED_ALERT} at {station}",
    )


def check_at_start(session: Session, *, station: str) -> None:
    """`keep_in_place`, never stopping the program: a failure is logged for clinic IT."""
    try:
        found = keep_in_place(session, station=station)
    except SQLAlchemyError as error:
        session.rollback()
        log.error(
            "the audit trail's protections could not be checked or put back: %s",
            getattr(error, "orig", None) or type(error).__name__,
        )
        return
    if found:
        log.error(
            "the audit trail's protections were found removed (put back by the owner, "
            "else reported to the desks): %s",
            found,
        )


def recent_restorations(session: Session, *, now: datetime) -> list[AuditEntry]:
    """Entries of protections put back in the last `WARNING_DAYS` days, oldest first."""
    since = now - timedelta(days=WARNING_DAYS)
    return list(entries(session, since=since, action=AuditAction.AUDIT_PROTECTIONS_RESTORED))
