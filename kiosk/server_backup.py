"""Backup and restore of a clinic's PostgreSQL database, with PostgreSQL's own tools.

`kiosk backup FILE` runs `pg_dump` in its custom format: a consistent snapshot, taken
while kiosks and desks keep working, written beside FILE and renamed only when whole.
`kiosk restore FILE` keeps the promises the SQLite restore makes, where they apply:

- a file that is not a kiosk backup this version can read (another program's archive,
  a newer version's, a damaged one) is refused before anything changes;
- what the database holds now is kept whole first, as a `pg_dump` file beside the backup;
- the backup is restored into a new database beside the clinic's, brought to this
  version's schema, and every visit (with its answers, flags and prints) and audit entry
  the current database holds and the backup lacks is carried into it, with an entry
  saying how many;
- a station that writes meanwhile makes the restore stop with nothing changed;
- only then does the restored database take the clinic's database's name, in two
  renames no station can see half-done; a station still connected makes it stop with
  nothing changed ("stop the kiosks and desks first").

The role in the URL must be allowed to create databases and own the clinic's (the owner
role `kiosk db init` uses). The password never goes on a command line: the tools get it
from the environment, or from libpq's password file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.actor import Actor
from kiosk.audit import AuditAction, carry_over, entries
from kiosk.database import HEAD_REVISION, DatabaseUnavailableError, connect_database, migrate
from kiosk.database_url import without_secrets
from kiosk.desk import desk_marker
from kiosk.file_access import create_file
from kiosk.models import (
    Base,
    ContentPictureRow,
    ContentPublicationRow,
    ContentVersionRow,
    PatientRow,
    VisitRow,
    table_of,
)
from kiosk.patients import refresh_patients

# What libpq takes from a URL's query besides host, port, user and database.
_PASSED_ON = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "target_session_attrs",
    "application_name",
)


class ServerBackupError(Exception):
    """A backup or restore that cannot be done; the message is for clinic IT."""


def _tool(name: str) -> str:
    """The PostgreSQL program `name`, from PATH or Debian's versioned folders (newest)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parents[1].name) if path.parents[1].name.isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise ServerBackupError(
        f"{name} is not installed on this computer; it comes with PostgreSQL's client "
        "programs (on Debian or Ubuntu: apt install postgresql-client)"
    )


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _libpq(url: URL, database: str | None = None) -> tuple[str, dict[str, str]]:
    """A connection string for PostgreSQL's programs, and their environment (password)."""
    parts = {
        "host": url.host or "",
        "port": str(url.port or ""),
        "user": url.username or "",
        "dbname": database or url.database or "",
    }
    for name in _PASSED_ON:
        value = url.query.get(name)
        if isinstance(value, str):
            parts[name] = value
    conninfo = " ".join(f"{key}={_quoted(value)}" for key, value in parts.items() if value)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return conninfo, environment


def _run(url: URL, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603 - PostgreSQL's own programs, no shell
        list(arguments), capture_output=True, check=False, env=_libpq(url)[1]
    )


def _said(result: subprocess.CompletedProcess[bytes], url: URL) -> str:
    words = result.stderr.decode(errors="replace").strip().splitlines()
    return without_secrets(words[-1] if words else f"exit status {result.returncode}", url)


def backup(database_url: str, target: Path) -> None:
    """Write a consistent pg_dump (custom format) of the database to `target`."""
    url = make_url(database_url)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_file(partial)  # 0660 before pg_dump writes into it
    except OSError as error:
        raise ServerBackupError(f"the backup to {target} failed: {error}") from None
    conninfo, _ = _libpq(url)
    result = _run(
        url,
        _tool("pg_dump"),
        "--format=custom",
        "--no-password",
        f"--file={partial}",
        f"--dbname={conninfo}",
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ServerBackupError(f"the backup to {target} failed: {_said(result, url)}")
    partial.replace(target)


_TABLE_LINE = re.compile(r"^\d+; \d+ \d+ TABLE public (\w+) ")


def _revision_in(path: Path, url: URL) -> str | None:
    result = _run(
        url,
        _tool("pg_restore"),
        "--data-only",
        "--table=alembic_version",
        "--file=-",
        str(path),
    )
    lines = result.stdout.decode(errors="replace").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY public.alembic_version") and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


# The tables the kiosk's migrations make up to a revision; None for a revision it does
# not know (`kiosk.backup` answers, from the migrations themselves).
KioskTables = Callable[[str], "frozenset[str] | None"]


def check_backup(path: Path, database_url: str, *, kiosk_tables: KioskTables) -> str:
    """Refuse a file that is not a whole kiosk backup this version can read; its revision."""
    url = make_url(database_url)
    if not path.is_file():
        raise ServerBackupError(f"there is no backup at {path}")
    listed = _run(url, _tool("pg_restore"), "--list", str(path))
    if listed.returncode != 0:
        raise ServerBackupError(
            f"{path} is not a kiosk database backup made by `kiosk backup` on a server "
            f"({_said(listed, url)}); nothing was changed"
        )
    tables = {
        match.group(1)
        for line in listed.stdout.decode(errors="replace").splitlines()
        if (match := _TABLE_LINE.match(line))
    }
    revision = _revision_in(path, url)
    if revision is None or "alembic_version" not in tables:
        raise ServerBackupError(
            f"{path} is not a kiosk database backup: it has no schema revision the kiosk "
            "knows; nothing was changed"
        )
    if revision.isdigit() and len(revision) == len(HEAD_REVISION) and revision > HEAD_REVISION:
        raise ServerBackupError(f"{path} comes from a newer version of the kiosk; update it first")
    known = kiosk_tables(revision)
    if known is None:
        raise ServerBackupError(
            f"{path} is not a kiosk database backup: it has no schema revision the kiosk "
            "knows; nothing was changed"
        )
    expected = set(known)
    if tables != expected:
        missing = ", ".join(sorted(expected - tables)) or "none"
        foreign = ", ".join(sorted(tables - expected)) or "none"
        raise ServerBackupError(
            f"{path} is not a kiosk database backup (tables missing: {missing}; tables the "
            f"kiosk does not make: {foreign}); nothing was changed"
        )
    return revision


@dataclass(frozen=True)
class ServerRestoration:
    """What a restore did: where the content before it went, and what it carried over."""

    kept: Path
    visits_carried: int
    entries_carried: int


def restore(
    database_url: str, source: Path, *, by: Actor, kiosk_tables: KioskTables
) -> ServerRestoration:
    """Replace the database with a backup, losing no visit and no audit entry; see above."""
    url = make_url(database_url)
    check_backup(source, database_url, kiosk_tables=kiosk_tables)
    name = url.database or ""
    staging = f"{name}_restoring"
    replaced = f"{name}_replaced_{by.now:%Y%m%d%H%M%S}"
    kept = source.with_name(f"{name}.before-restore-{by.now:%Y%m%d-%H%M%S}.dump")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    current = connect_database(database_url)
    done = False
    try:
        with server.connect() as admin:
            admin.execute(text(f'DROP DATABASE IF EXISTS "{staging}"'))
        with current.engine.connect() as reading:
            written = desk_marker(Session(bind=reading))
        backup(database_url, kept)
        with server.connect() as admin:
            admin.execute(text(f'CREATE DATABASE "{staging}"'))
        conninfo, _ = _libpq(url, staging)
        restored = _run(
            url,
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={conninfo}",
            str(source),
        )
        if restored.returncode != 0:
            raise ServerBackupError(
                f"the restore from {source} failed, nothing was changed: {_said(restored, url)}"
            )
        visits, carried = _carry_over(url, staging, current.engine, source, by)
        _tidy(url, staging)
        with current.engine.connect() as reading:
            if desk_marker(Session(bind=reading)) != written:
                raise ServerBackupError(
                    "a kiosk, desk or editor wrote to the database during the restore, so what "
                    "it wrote could be lost; nothing was changed. Stop them all and run the "
                    "restore again"
                )
        current.close()
        with server.connect() as admin:
            _take_the_place(admin, name, staging, replaced)
        done = True
        return ServerRestoration(kept, visits, carried)
    except SQLAlchemyError as error:
        reason = without_secrets(str(getattr(error, "orig", None) or error), url)
        raise ServerBackupError(
            f"the restore from {source} failed, nothing was changed: {reason}"
        ) from None
    except DatabaseUnavailableError as error:
        raise ServerBackupError(
            f"the restore from {source} failed, nothing was changed: {error}"
        ) from None
    finally:
        current.close()
        if not done:
            kept.unlink(missing_ok=True)  # nothing replaced: no copy of patients' data left
            try:
                with server.connect() as admin:
                    admin.execute(text(f'DROP DATABASE IF EXISTS "{staging}" WITH (FORCE)'))
            except SQLAlchemyError:
                pass  # said by the error already on its way; clinic IT may drop it
        server.dispose()


def _tidy(url: URL, name: str) -> None:
    """VACUUM ANALYZE the restored database (pg_restore leaves its statistics empty), so
    the desk's first list after a restore is not slow."""
    engine = create_engine(url.set(database=name), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.exec_driver_sql("VACUUM (ANALYZE)")
    finally:
        engine.dispose()


def _take_the_place(admin: Connection, name: str, staging: str, replaced: str) -> None:
    """The restored database takes the clinic's database's name, owner and grants."""
    owner, grants, public_connects = admin.execute(
        text(
            "SELECT pg_get_userbyid(datdba), "
            "ARRAY(SELECT format('GRANT %s ON DATABASE %%I TO %s', a.privilege_type, "
            "       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid("
            "       a.grantee)) END) FROM aclexplode(datacl) a), "
            "datacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(datacl) a "
            "       WHERE a.grantee = 0 AND a.privilege_type = 'CONNECT') "
            "FROM pg_database WHERE datname = :name"
        ),
        {"name": name},
    ).one()
    admin.execute(text(f'ALTER DATABASE "{staging}" OWNER TO "{owner}"'))
    if not public_connects:
        admin.execute(text(f'REVOKE CONNECT, TEMPORARY ON DATABASE "{staging}" FROM PUBLIC'))
    for grant in grants:
        admin.exec_driver_sql(grant.replace("%I", f'"{staging}"'))
    try:
        admin.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{replaced}"'))
    except SQLAlchemyError as error:
        if getattr(getattr(error, "orig", None), "sqlstate", None) == "55006":
            raise ServerBackupError(
                "a kiosk, desk or editor is still connected to the database, so it cannot be "
                "replaced; nothing was changed. Stop them all and run the restore again"
            ) from None
        raise
    try:
        admin.execute(text(f'ALTER DATABASE "{staging}" RENAME TO "{name}"'))
    except SQLAlchemyError:
        admin.execute(text(f'ALTER DATABASE "{replaced}" RENAME TO "{name}"'))
        raise
    # Its content is in the kept dump: no second copy of the patients' data stays behind.
    admin.execute(text(f'DROP DATABASE "{replaced}" WITH (FORCE)'))


def _carry_over(url: URL, staging: str, current: Any, source: Path, by: Actor) -> tuple[int, int]:
    """Bring the restored database to this version's schema and carry over what only the
    current one holds: visits by their IDs, and audit entries."""
    restored = connect_database(url.set(database=staging).render_as_string(hide_password=False))
    try:
        migrate(restored.engine)
        with current.connect() as reading, restored.engine.begin() as writing:
            visits = _carry_visits(reading, writing)
            with Session(bind=reading) as old, Session(bind=writing) as new:
                present = set(entries(new))
                lost = [entry for entry in entries(old) if entry not in present]
                carried = carry_over(new, lost)
                by.audit(
                    new,
                    AuditAction.RESTORED,
                    detail=(
                        f"from {source}; {visits} visits and {carried} audit entries from "
                        "before the restore carried over"
                    ),
                )
                new.flush()
    finally:
        restored.close()
    return visits, carried


def _tables_with_visits() -> list[Table]:
    visits = table_of(VisitRow)
    return [visits] + [
        table
        for table in Base.metadata.sorted_tables
        if any(key.column.table is visits for key in table.foreign_keys)
    ]


def _carry_visits(reading: Connection, writing: Connection) -> int:
    """Insert the visits the current database holds and the restored one lacks."""
    visits = table_of(VisitRow)
    present = set(writing.execute(select(visits.c.id)).scalars())
    missing = [v for v in reading.execute(select(visits.c.id)).scalars() if v not in present]
    if not missing:
        return 0
    versions, publications = _carry_content(reading, writing, missing)
    patients = _carry_patients(reading, writing, missing)
    for table in _tables_with_visits():
        key = table.c.id if table is visits else table.c.visit_id
        own_number = [c.name for c in table.primary_key.columns] == ["id"] and table is not visits
        for start in range(0, len(missing), 500):
            rows = [
                dict(row)
                for row in reading.execute(
                    select(table).where(key.in_(missing[start : start + 500]))
                ).mappings()
            ]
            for row in rows:
                if own_number:
                    del row["id"]  # a print job gets the restored database's next number
                if table is visits:
                    row["content_version_id"] = versions[row["content_version_id"]]
                    row["content_publication_id"] = publications.get(row["content_publication_id"])
                    row["patient_id"] = patients.get(row["patient_id"])
            if rows:
                writing.execute(table.insert(), rows)
    # Their patients' names and last consents, from every visit of theirs now here.
    with Session(bind=writing) as session:
        refresh_patients(session, [n for n in patients.values() if n is not None])
        session.flush()
    return len(missing)


def _carry_patients(
    reading: Connection, writing: Connection, visit_ids: list[str]
) -> dict[int | None, int | None]:
    """The restored database's number for the patient of each carried visit (as the
    SQLite restore does): the same record (number, name and birth date) keeps its
    number, any other is copied in under a new one."""
    visits, patients = table_of(VisitRow), table_of(PatientRow)
    wanted: set[int] = set()
    for start in range(0, len(visit_ids), 500):
        wanted |= {
            number
            for number in reading.execute(
                select(visits.c.patient_id).where(
                    visits.c.id.in_(visit_ids[start : start + 500]),
                    visits.c.patient_id.is_not(None),
                )
            ).scalars()
            if number is not None
        }
    numbers: dict[int | None, int | None] = {None: None}
    for number in sorted(wanted):
        row = reading.execute(select(patients).where(patients.c.id == number)).mappings().one()
        same = writing.execute(
            select(patients.c.id).where(
                patients.c.id == number,
                patients.c.name_key == row["name_key"],
                patients.c.date_of_birth == row["date_of_birth"],
            )
        ).scalar()
        if same is None:
            # The last consent is recomputed once the visits are in (its version's
            # number may differ here).
            values = {
                k: v
                for k, v in row.items()
                if k not in ("id", "last_consent_at", "last_consent_version_id")
            }
            same = writing.execute(
                patients.insert().values(values).returning(patients.c.id)
            ).scalar_one()
        numbers[number] = same
    return numbers


def _carry_content(
    reading: Connection, writing: Connection, visit_ids: list[str]
) -> tuple[dict[int, int], dict[int | None, int | None]]:
    """The restored database's numbers for the content versions and publishes the carried
    visits saw, each copied too when the backup lacks it (matched by the text's hash)."""
    visits = table_of(VisitRow)
    versions = table_of(ContentVersionRow)
    publications = table_of(ContentPublicationRow)
    pictures = table_of(ContentPictureRow)
    seen = set()
    for start in range(0, len(visit_ids), 500):
        seen |= set(
            reading.execute(
                select(visits.c.content_version_id, visits.c.content_publication_id).where(
                    visits.c.id.in_(visit_ids[start : start + 500])
                )
            ).all()
        )
    version_numbers: dict[int, int] = {}
    for number in sorted({version for version, _ in seen}):
        row = reading.execute(select(versions).where(versions.c.id == number)).mappings().one()
        found = writing.execute(
            select(versions.c.id).where(versions.c.sha256 == row["sha256"])
        ).scalar()
        if found is None:
            values = {k: v for k, v in row.items() if k != "id"}
            found = writing.execute(
                versions.insert().values(values).returning(versions.c.id)
            ).scalar_one()
            for picture in reading.execute(
                select(pictures).where(pictures.c.version_id == number)
            ).mappings():
                writing.execute(pictures.insert().values({**picture, "version_id": found}))
        version_numbers[number] = found
    publication_numbers: dict[int | None, int | None] = {None: None}
    for number in sorted({p for _, p in seen if p is not None}):
        row = (
            reading.execute(select(publications).where(publications.c.id == number))
            .mappings()
            .one()
        )
        mapped = version_numbers.get(row["content_version_id"])
        found = writing.execute(
            select(publications.c.id).where(
                publications.c.content_version_id == mapped,
                publications.c.published_at == row["published_at"],
                publications.c.label == row["label"],
            )
        ).scalar()
        if found is None and mapped is not None:
            values = {
                **{k: v for k, v in row.items() if k != "id"},
                "content_version_id": mapped,
                "restored_from_id": None,
            }
            found = writing.execute(
                publications.insert().values(values).returning(publications.c.id)
            ).scalar_one()
        publication_numbers[number] = found
    return version_numbers, publication_numbers
