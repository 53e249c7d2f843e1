"""One database role per kind of station on a clinic's server, each with only what it needs.

`kiosk db init postgresql+psycopg://OWNER@HOST/DB` runs as the owner: a role clinic IT
made for this (with CREATEROLE) that owns every table, trigger and function and that no
station uses. It makes three login roles, named after the database so two databases on
one server never share them:

- `DB_kiosk`, the waiting-room kiosk (the most exposed computer): reads the content in
  use and runs the owner's functions (migrations 0014 and 0016) that store a finished
  visit, write its own audit events, beat and raise or read its own alerts, and answer
  which flow to run for a name and birth date on today's expected list. It reads no
  visit, patient, expected list or account, and deletes nothing.
- `DB_desk`, the front desk: reads visits and updates them (review, ride, void, print
  state), links visits to patients, merges and corrects them, keeps today's expected
  list, writes audit entries and alerts, signs staff in (wrong tries are counted by an
  owner function) and purges through one. It cannot publish content or change accounts.
- `DB_editor`, the admin's computer: edits drafts, publishes content, manages staff
  accounts, and sees of visits only which publish each saw (the versions list's counts).

No station role may update, delete or truncate audit entries or change any table,
trigger or function (only their owner could, and the audit triggers refuse even the
owner). Each role's password is made here, sent to the server only as a SCRAM verifier,
and written into that station's settings file (mode 0600), never printed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from kiosk.content_versions import content_in_use
from kiosk.database import DatabaseUnavailableError, connect_database
from kiosk.database_url import is_secret_parameter, shown_url


class StationKind(StrEnum):
    """The kinds of station, each with a database role of its own on a server."""

    KIOSK = "kiosk"
    DESK = "desk"
    EDITOR = "editor"


# Read by every station: whether the schema is this program's (`kiosk.database`).
_EVERYONE_READS = ("alembic_version",)
_CONTENT = ("content_versions", "content_publications", "content_pictures")
_PATIENT_TABLES = ("patients", "detail_corrections", "expected_patients")
# `visit_names` is the desk's name search (`kiosk.name_search`), written by the owner's
# trigger function only.
_VISIT_TABLES = (
    "visits",
    "answers",
    "slide_views",
    "consent_acknowledgements",
    "flags",
    "teach_back_answers",
    "visit_names",
)
_WHICH_FLOW = "kiosk_which_flow(text, date, date, timestamp, integer, text[])"
_KIOSK_FUNCTIONS = (
    "kiosk_store_visit(jsonb)",
    _WHICH_FLOW,
    "kiosk_record_event(text, text, text, text)",
    "kiosk_raise_alert(text, text, text, text)",
    "kiosk_alert_state(integer, text)",
    "kiosk_heartbeat(text, text, integer, boolean, text, text, text, text)",
    # The risk path (`kiosk.risk`): the alert and the visit so far, and what became of it.
    "kiosk_raise_risk_alert(jsonb)",
    "kiosk_risk_state(integer, text)",
)
_SIGN_IN_FUNCTIONS = (
    "staff_count_wrong_sign_in(integer, timestamp, timestamp, integer)",
    "staff_let_sign_in(integer, timestamp)",
)
_PURGE_FUNCTION = "purge_visits_finished_before(timestamp, integer, text, text)"
_PROTECTION_ALERT = "kiosk_raise_alert(text, text, text, text)"

_DESK_UPDATES_VISITS = (
    "reviewed_at",
    "reviewed_by",
    "review_note",
    "open_flag_count",
    "ride_status",
    "ride_driver_name",
    "ride_phone",
    "ride_relationship",
    "ride_arranged_by",
    "voided_at",
    "voided_by",
    "void_reason",
    "patient_id",
    "first_name",
    "last_name",
    "name_key",
    "date_of_birth",
    "updated_at",
)

# (privileges, tables) for each kind; sequences and functions below.
_TABLE_GRANTS: dict[StationKind, tuple[tuple[str, tuple[str, ...]], ...]] = {
    StationKind.KIOSK: (("SELECT", _EVERYONE_READS + _CONTENT),),
    StationKind.DESK: (
        (
            "SELECT",
            _EVERYONE_READS
            + _CONTENT
            + _VISIT_TABLES
            + ("print_jobs", "staff_accounts", "audit_entries", "alerts", "stations"),
        ),
        # Review, ride home, void and undo, a patient linked or a typo corrected, and a
        # flag cleared by a review: those columns only. What the patient answered, signed
        # and saw, and where and when they checked in, no desk can rewrite.
        (f"UPDATE ({', '.join(_DESK_UPDATES_VISITS)})", ("visits",)),
        ("UPDATE (cleared_at, cleared_by)", ("flags",)),
        ("INSERT, UPDATE", ("print_jobs", "alerts")),
        ("UPDATE", ("stations",)),
        ("INSERT", ("audit_entries",)),
        # Patients who come back (`kiosk.patients`, `kiosk.expected`): a record goes with
        # its last visit unlinked; a correction is kept; a line comes off the list.
        ("SELECT", _PATIENT_TABLES),
        ("INSERT, UPDATE, DELETE", ("patients",)),
        ("INSERT", ("detail_corrections",)),
        ("INSERT, DELETE", ("expected_patients",)),
        # A risk alert's patient, read by a signed-in account that opens it.
        ("SELECT", ("partial_visits",)),
    ),
    StationKind.EDITOR: (
        ("SELECT", (*_EVERYONE_READS, "staff_accounts", "audit_entries", "alerts", "stations")),
        ("SELECT, INSERT", _CONTENT),
        ("SELECT, INSERT, UPDATE, DELETE", ("content_drafts", "content_draft_pictures")),
        ("INSERT, UPDATE", ("staff_accounts",)),
        ("INSERT", ("audit_entries",)),
    ),
}
# The versions list counts visits per publish: the editor sees those columns, no names.
_EDITOR_VISIT_COLUMNS = "SELECT (id, content_version_id, content_publication_id, finished_at)"
_SEQUENCES: dict[StationKind, tuple[str, ...]] = {
    StationKind.KIOSK: (),
    StationKind.DESK: (
        "audit_entries_id_seq",
        "print_jobs_id_seq",
        "alerts_id_seq",
        "patients_id_seq",
        "detail_corrections_id_seq",
        "expected_patients_id_seq",
    ),
    StationKind.EDITOR: (
        "audit_entries_id_seq",
        "content_versions_id_seq",
        "content_publications_id_seq",
        "content_drafts_id_seq",
        "staff_accounts_id_seq",
    ),
}
_FUNCTIONS: dict[StationKind, tuple[str, ...]] = {
    StationKind.KIOSK: _KIOSK_FUNCTIONS,
    # A check-in made at the desk is stored, and its flow chosen, as the kiosk's are.
    StationKind.DESK: (
        "kiosk_store_visit(jsonb)",
        _WHICH_FLOW,
        # A check-in at the desk raises a risk alert as the kiosk does.
        "kiosk_raise_risk_alert(jsonb)",
        _PROTECTION_ALERT,
        _PURGE_FUNCTION,
        *_SIGN_IN_FUNCTIONS,
    ),
    StationKind.EDITOR: (_PROTECTION_ALERT, *_SIGN_IN_FUNCTIONS),
}


class StationRoleError(Exception):
    """The station roles could not be made; the message says why and what to do."""


def role_name(database: str, kind: StationKind) -> str:
    """The role of `kind` for the database named `database`."""
    return f"{database}_{kind.value}"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class StationRole:
    """A station role as `kiosk db init` left it, and where its settings file is."""

    kind: StationKind
    role: str
    made: bool  # made now (or given a new password), so its settings file was written
    settings_file: Path | None


def _exists(connection: Connection, role: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.first() is not None


def _set_password(connection: Connection, role: str, password: str) -> None:
    """Give `role` this password; the server is sent its SCRAM verifier, never the password
    itself (which a server's statement log would otherwise keep)."""
    driver = connection.connection.driver_connection
    verifier = driver.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode(), role.encode(), b"scram-sha-256"
    ).decode("ascii")
    literal = verifier.replace("'", "''")
    connection.exec_driver_sql(f"ALTER ROLE {_identifier(role)} PASSWORD '{literal}'")


def grant(connection: Connection, database: str) -> None:
    """Give each station role exactly its privileges on this database's objects.

    Everything is taken away first, so what a role held from an earlier version and no
    longer needs goes; run by `kiosk db init` and after every `kiosk db upgrade`.
    """
    schema = _identifier(str(connection.execute(text("SELECT current_schema()")).scalar()))
    # Nobody makes objects of their own beside the clinic's, nor temporary ones that a
    # careless search path could find first (PostgreSQL gives every role both by default;
    # where the owner does not own the database or schema this only warns).
    connection.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    connection.exec_driver_sql(f"REVOKE TEMPORARY ON DATABASE {_identifier(database)} FROM PUBLIC")
    for kind in StationKind:
        role = _identifier(role_name(database, kind))
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
            f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role}",
            f"GRANT CONNECT ON DATABASE {_identifier(database)} TO {role}",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        ):
            connection.exec_driver_sql(statement)
        for privileges, tables in _TABLE_GRANTS[kind]:
            names = ", ".join(_identifier(table) for table in tables)
            connection.exec_driver_sql(f"GRANT {privileges} ON {names} TO {role}")
        if _SEQUENCES[kind]:
            names = ", ".join(_identifier(sequence) for sequence in _SEQUENCES[kind])
            connection.exec_driver_sql(f"GRANT USAGE ON SEQUENCE {names} TO {role}")
        for function in _FUNCTIONS[kind]:
            connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
        if kind is StationKind.EDITOR:
            connection.exec_driver_sql(f"GRANT {_EDITOR_VISIT_COLUMNS} ON visits TO {role}")


def make_roles(
    connection: Connection, database: str, *, new_passwords: bool
) -> dict[StationKind, str | None]:
    """Make each station role that is missing; the password of each made (or given a new
    one), None for a role that was there and keeps its password."""
    passwords: dict[StationKind, str | None] = {}
    for kind in StationKind:
        role = role_name(database, kind)
        made = not _exists(connection, role)
        if made:
            # Nothing but logging in: no inheriting, no making roles or databases.
            connection.exec_driver_sql(
                f"CREATE ROLE {_identifier(role)} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE"
            )
        if made or new_passwords:
            password = secrets.token_urlsafe(24)
            _set_password(connection, role, password)
            passwords[kind] = password
        else:
            passwords[kind] = None
    return passwords


def station_url(owner_url: URL, role: str, password: str) -> str:
    """The station's `database_url`: the owner's server, database and connection options
    (sslmode and its certificate included), with the station's role and password."""
    query = {
        name: value for name, value in owner_url.query.items() if not is_secret_parameter(name)
    }
    address = owner_url.set(username=role, password=password, query=query)
    return address.render_as_string(hide_password=False)


def write_settings_file(path: Path, kind: StationKind, database_url: str) -> None:
    """A station's settings file, readable by its owner alone (it holds a password)."""
    lines = [
        f"# The {kind.value} station's settings, written by `kiosk db init`.",
        "# Copy this file to that computer as its kiosk.toml (mode 0600), and keep it secret.",
        f"database_url = {_toml_string(database_url)}",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # whatever the umask, and over an older partial file
        os.write(descriptor, "\n".join(lines).encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    partial.replace(path)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def settings_file_of(folder: Path, kind: StationKind) -> Path:
    """Where `kiosk db init` writes the settings file of a station of this kind."""
    return folder / f"{kind.value}.toml"


def prepare(owner_url: str, folder: Path, *, new_passwords: bool = False) -> list[StationRole]:
    """`kiosk db init` on a server, once the schema is made: the station roles, their
    privileges and the settings files of roles made now, in `folder`.

    Run as the database's owner. The content in use is published here if there is none
    yet (the bundled pack): a kiosk's role may not publish it at its first start.
    """
    database = connect_database(owner_url)
    assert database.url is not None
    url = database.url
    name = url.database
    if url.get_backend_name() != "postgresql" or not name:
        raise StationRoleError("station roles are for a PostgreSQL database named in the URL")
    roles: list[StationRole] = []
    try:
        with database.session() as session, session.begin():
            connection = session.connection()
            owns = connection.execute(
                text(
                    "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
                    "WHERE c.oid = 'audit_entries'::regclass"
                )
            ).scalar()
            if not owns:
                raise StationRoleError(
                    f"{shown_url(url)}: connect as the role that owns the database's tables "
                    "(the one `kiosk db init` made them with), not a station's"
                )
            passwords = make_roles(connection, name, new_passwords=new_passwords)
            grant(connection, name)
            content_in_use(session, None, datetime.now(UTC))
            for kind, password in passwords.items():
                role = role_name(name, kind)
                file = None
                if password is not None:
                    file = settings_file_of(folder, kind)
                    write_settings_file(file, kind, station_url(url, role, password))
                roles.append(StationRole(kind, role, password is not None, file))
    except DBAPIError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        if "permission denied to create role" in reason:
            reason += " (the owner role needs CREATEROLE: `createuser --createrole ...`)"
        raise StationRoleError(f"the station roles could not be made: {reason}") from None
    except (DatabaseUnavailableError, OSError) as error:
        raise StationRoleError(f"the station roles could not be made: {error}") from None
    finally:
        database.close()
    return roles


def grant_after_upgrade(owner_url: str) -> bool:
    """After `kiosk db upgrade` on a server: the station roles' privileges on what the
    upgrade added or changed. False where there are no station roles (nothing to do)."""
    database = connect_database(owner_url)
    assert database.url is not None
    name = database.url.database
    if database.url.get_backend_name() != "postgresql" or not name:
        database.close()
        return False
    try:
        with database.engine.begin() as connection:
            if not all(_exists(connection, role_name(name, kind)) for kind in StationKind):
                return False
            grant(connection, name)
            return True
    except DBAPIError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        message = f"the station roles' privileges could not be given: {reason}"
        raise StationRoleError(message) from None
    finally:
        database.close()
