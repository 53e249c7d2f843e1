"""Backup and restore of the kiosk's SQLite database, safe while kiosks keep running.

On a PostgreSQL server the same commands use PostgreSQL's own tools, with the same
promises where they apply (`kiosk.server_backup`).

SQLite's online backup API copies a consistent snapshot page by page even while other
connections write; a copy is written beside its target and renamed only when complete,
so a half-written backup never takes a good file's name. An encrypted database
(SQLCipher) is copied with its key: the backup is encrypted with the same key.
"""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Integer, Table, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.actor import Actor
from kiosk.audit import AuditAction, AuditEntry, carry_over
from kiosk.database import (
    HEAD_REVISION,
    DatabaseUnavailableError,
    alembic_config,
    connect_database,
    migrate,
    sqlite_file,
)
from kiosk.database_url import without_secrets
from kiosk.file_access import create_file, make_folder
from kiosk.models import (
    Base,
    ContentPictureRow,
    ContentPublicationRow,
    ContentVersionRow,
    PatientRow,
    VisitRow,
    table_of,
)
from kiosk.name_search import PARTS_TABLE
from kiosk.patients import refresh_patients
from kiosk.unit_of_work import StorageUnavailableError, unit_of_work


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for clinic IT."""


def database_file(database_url: str) -> Path:
    """The database file behind an SQLite URL (other databases have their own tools)."""
    file = sqlite_file(database_url)
    if file is None:
        raise BackupError(
            "backup and restore work on an SQLite file; for PostgreSQL use pg_dump and pg_restore"
        )
    return file


@dataclass(frozen=True)
class _Driver:
    """Plain SQLite, or SQLCipher with the database's key."""

    module: Any
    key: str | None

    @classmethod
    def of(cls, database_url: str) -> _Driver:
        url = make_url(database_url)
        if url.get_driver_name() == "pysqlcipher":
            return cls(importlib.import_module("sqlcipher3"), url.password)
        return cls(sqlite3, None)

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error, self.module.Error)

    def connect(self, path: Path, *, read_only: bool = False) -> Any:
        target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
        connection = self.module.connect(target, uri=read_only)
        if self.key is not None:
            quoted = self.key.replace("'", "''")
            connection.execute(f"PRAGMA key = '{quoted}'")
        return connection


def _copy(driver: _Driver, source: Any, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Made here, 0660, before SQLite would make it readable by every user of the computer.
    create_file(partial)
    destination = driver.connect(partial)
    try:
        source.backup(destination)
    finally:
        destination.close()
    partial.replace(target)


def _on_a_server(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


def backup(database_url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    if _on_a_server(database_url):
        from kiosk import server_backup

        try:
            server_backup.backup(database_url, target)
        except server_backup.ServerBackupError as error:
            raise BackupError(str(error)) from None
        return
    source_path = database_file(database_url)
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}")
    if target.resolve() == source_path.resolve():
        raise BackupError("the backup cannot be written over the database itself")
    driver = _Driver.of(database_url)
    failures: tuple[type[Exception], ...] = (*driver.errors, OSError)
    source = driver.connect(source_path)
    try:
        _copy(driver, source, target)
    except failures as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"the backup to {target} failed: {reason}") from None
    finally:
        source.close()


def _revision_of(connection: Any) -> str | None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if has_table is None:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _tables_of(connection: Any) -> dict[str, frozenset[str]]:
    """Every table (SQLite's own aside) and its columns."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: frozenset(row[1] for row in connection.execute(f'PRAGMA table_info("{name}")'))
        for name in names
    }


@cache
def _known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


@cache
def _kiosk_tables_at(revision: str) -> dict[str, frozenset[str]]:
    """The tables and columns the kiosk's own migrations make up to `revision`."""
    model = connect_database("sqlite://")
    try:
        migrate(model.engine, revision)
        with model.engine.connect() as connection:
            return _tables_of(connection.connection.driver_connection)
    finally:
        model.close()


def _is_newer(revision: str) -> bool:
    # The kiosk numbers its revisions 0001, 0002...: a larger number is a later version.
    return revision.isdigit() and len(revision) == len(HEAD_REVISION) and revision > HEAD_REVISION


def check_backup(path: Path, database_url: str) -> None:
    """Refuse a file that is not a whole kiosk database this version can read.

    It must open (with the database's key, if it has one), pass SQLite's integrity check,
    be at a schema revision of the kiosk's own, and hold exactly the tables and columns
    the kiosk's migrations make at that revision: another program's SQLite file, even
    one with a version row like the kiosk's, is not put in the clinic's database's place.
    """
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    driver = _Driver.of(database_url)
    try:
        connection = driver.connect(path, read_only=True)
        try:
            ok = connection.execute("PRAGMA integrity_check").fetchone()
            revision = _revision_of(connection) if ok == ("ok",) else None
            tables = _tables_of(connection) if ok == ("ok",) else {}
        finally:
            connection.close()
    except driver.errors as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"{path} is not a kiosk database backup ({reason})") from None
    if ok != ("ok",):
        raise BackupError(f"{path} is damaged: {ok[0] if ok else 'unreadable'}")
    if revision is not None and _is_newer(revision):
        raise BackupError(f"{path} comes from a newer version of the kiosk; update it first")
    if revision is None or revision not in _known_revisions():
        raise BackupError(
            f"{path} is not a kiosk database backup: it has no schema revision the kiosk "
            "knows; nothing was changed"
        )
    expected = _kiosk_tables_at(revision)
    if tables != expected:
        missing = sorted(set(expected) - set(tables))
        foreign = sorted(set(tables) - set(expected))
        altered = sorted(
            name for name in set(expected) & set(tables) if tables[name] != expected[name]
        )
        found = "; ".join(
            part
            for part in (
                f"it lacks the tables {', '.join(missing)}" if missing else "",
                f"it has tables the kiosk does not make: {', '.join(foreign)}" if foreign else "",
                f"the columns of {', '.join(altered)} are not the kiosk's" if altered else "",
            )
            if part
        )
        raise BackupError(f"{path} is not a kiosk database backup ({found}); nothing was changed")


@dataclass(frozen=True)
class Restoration:
    """What a restore did: where the content before it went, and what it carried over."""

    kept: Path | None
    visits_carried: int
    entries_carried: int


def _companions(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _read_current(driver: _Driver, path: Path, database_url: str) -> Any:
    """A connection to the database about to be replaced, once it is known to be readable.

    What it holds beyond the backup is carried over, so it must be read whole; a damaged
    one is left for clinic IT to move aside first, which loses nothing silently.
    """
    aside = path.with_name(path.name + ".damaged")
    refusal = (
        f"the database at {path} cannot be read whole, so the visits and audit entries it "
        f"holds beyond the backup cannot be carried over; nothing was changed. If it "
        f"cannot be repaired, move it aside (for example, rename it to {aside.name}), "
        "keep it for whoever recovers data, and run the restore again"
    )
    try:
        connection = driver.connect(path)
    except driver.errors as error:
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"{refusal} ({reason})") from None
    try:
        ok = connection.execute("PRAGMA integrity_check").fetchone()
        revision = _revision_of(connection)
    except driver.errors as error:
        connection.close()
        reason = without_secrets(str(error), database_url)
        raise BackupError(f"{refusal} ({reason})") from None
    if ok != ("ok",):
        connection.close()
        raise BackupError(f"{refusal} ({ok[0] if ok else 'unreadable'})")
    if revision is not None and _is_newer(revision):
        connection.close()
        raise BackupError(
            f"the database at {path} was last used by a newer version of the kiosk; "
            "restore with that version"
        )
    return connection


def _url_of(database_url: str, path: Path) -> str:
    """The same database settings (driver, key) for another file."""
    url = make_url(database_url)
    query = {key: value for key, value in url.query.items() if key not in ("mode", "uri")}
    return url.set(database=str(path), query=query).render_as_string(hide_password=False)


def restore(database_url: str, source: Path, *, by: Actor) -> Restoration:
    """Replace the database's content with a backup, losing no visit and no audit entry.

    The backup is copied beside the database and brought to this version's schema first;
    every visit (by its ID, with its answers, flags and print jobs) and every audit entry
    the database holds and the backup lacks is carried into the copy, with an entry
    saying how many; only then does the copy take the database's place, in one SQLite
    transaction, so a failure at any step leaves the database as it was. The content
    before the restore is also kept aside whole; stop the kiosks and desks first.
    """
    if _on_a_server(database_url):
        return _restore_on_a_server(database_url, source, by)
    check_backup(source, database_url)
    target_path = database_file(database_url)
    driver = _Driver.of(database_url)
    staging = target_path.with_name(f"{target_path.stem}.restoring{target_path.suffix}")
    make_folder(target_path.parent)
    current = _read_current(driver, target_path, database_url) if target_path.is_file() else None
    # Changes when any other connection commits to the database: how a restore notices a
    # kiosk or desk still writing, whose work it would otherwise lose.
    written = _data_version(current)
    kept: Path | None = None
    failures: tuple[type[Exception], ...] = (
        *driver.errors,
        OSError,
        SQLAlchemyError,
        StorageUnavailableError,
        DatabaseUnavailableError,
    )
    try:
        for leftover in _companions(staging):
            leftover.unlink(missing_ok=True)
        origin = driver.connect(source, read_only=True)
        try:
            _copy(driver, origin, staging)
        finally:
            origin.close()
        if current is not None:
            kept = target_path.with_name(
                f"{target_path.stem}.before-restore-{by.now:%Y%m%d-%H%M%S}.sqlite3"
            )
            _copy(driver, current, kept)
        visits, entries = _carry_over(database_url, staging, kept, source, by)
        if kept is not None:
            # Left by the read-only readings above, empty: the kept copy is one file.
            for companion in _companions(kept)[1:]:
                companion.unlink(missing_ok=True)
        if _data_version(current) != written:
            raise BackupError(
                "a kiosk, desk or editor wrote to the database during the restore, so what "
                "it wrote could be lost; nothing was changed. Stop them all and run the "
                "restore again"
            )
        _put_in_place(driver, staging, target_path)
    except BackupError:
        _remove_kept(kept)
        raise
    except failures as error:
        _remove_kept(kept)
        reason = without_secrets(str(getattr(error, "orig", None) or error), database_url)
        raise BackupError(
            f"the restore from {source} failed, nothing was changed: {reason}"
        ) from None
    finally:
        if current is not None:
            current.close()
        for leftover in _companions(staging):
            leftover.unlink(missing_ok=True)
    return Restoration(kept, visits, entries)


def _restore_on_a_server(database_url: str, source: Path, by: Actor) -> Restoration:
    from kiosk import server_backup

    try:
        done = server_backup.restore(database_url, source, by=by, kiosk_tables=_kiosk_tables)
    except server_backup.ServerBackupError as error:
        raise BackupError(str(error)) from None
    return Restoration(done.kept, done.visits_carried, done.entries_carried)


def _kiosk_tables(revision: str) -> frozenset[str] | None:
    """The names of the tables the kiosk makes up to `revision`; None if it knows none."""
    if revision not in _known_revisions():
        return None
    # SQLite's own index of name parts (FTS5 and its tables); a server indexes them in
    # `visit_names` itself (`kiosk.name_search`).
    return frozenset(
        name for name in _kiosk_tables_at(revision) if not name.startswith(PARTS_TABLE)
    )


def _remove_kept(kept: Path | None) -> None:
    """Nothing was replaced, so no copy of the patients' data is left lying about."""
    if kept is not None:
        for companion in _companions(kept):
            companion.unlink(missing_ok=True)


def _data_version(connection: Any) -> object:
    if connection is None:
        return None
    return connection.execute("PRAGMA data_version").fetchone()


def _put_in_place(driver: _Driver, staging: Path, target_path: Path) -> None:
    create_file(target_path)  # 0660 when it is new; an existing database keeps its mode
    ready = driver.connect(staging)
    target = driver.connect(target_path)
    try:
        # One step: SQLite writes every page in one transaction on the target, so a
        # kill here leaves the database as it was.
        ready.backup(target)
    finally:
        ready.close()
        target.close()


def _carry_over(
    database_url: str, staging: Path, kept: Path | None, source: Path, by: Actor
) -> tuple[int, int]:
    """Bring the copy to this version's schema and carry over what only `kept` holds."""
    restored = connect_database(_url_of(database_url, staging))
    try:
        migrate(restored.engine)
        entries = audit_entries_lost(database_url, staging, kept) if kept is not None else []
        with unit_of_work(restored) as session:
            visits = _carry_visits(session, _Driver.of(database_url), kept) if kept else 0
            carried = carry_over(session, entries)
            by.audit(
                session,
                AuditAction.RESTORED,
                detail=(
                    f"from {source}; {visits} visits and {carried} audit entries from before "
                    "the restore carried over"
                ),
            )
    finally:
        restored.close()
    return visits, carried


def _tables_with_visits() -> list[Table]:
    """Every table whose rows belong to a visit, in the order they can be inserted."""
    visits = table_of(VisitRow)
    return [visits] + [
        table
        for table in Base.metadata.sorted_tables
        if any(key.column.table is visits for key in table.foreign_keys)
    ]


def _carry_visits(session: Session, driver: _Driver, kept: Path) -> int:
    """Insert the visits `kept` holds and the restored database lacks, by their IDs.

    Rows are copied as stored (the same columns the two files share), with the content
    version each visit showed matched by its hash, and copied too when the backup lacks it.
    """
    connection = session.connection()
    present = set(connection.execute(select(table_of(VisitRow).c.id)).scalars())
    origin = driver.connect(kept, read_only=True)
    try:
        shared = {
            name: columns
            for name, columns in _tables_of(origin).items()
            if name in Base.metadata.tables
        }
        if "visits" not in shared:
            return 0
        missing = [
            row[0] for row in origin.execute("SELECT id FROM visits") if row[0] not in present
        ]
        if not missing:
            return 0
        versions = _carry_content_versions(connection, origin, shared, missing)
        patients = _carry_patients(connection, origin, shared, missing)
        publishes = _carry_publications(connection, origin, shared, missing, versions)
        for table in _tables_with_visits():
            if table.name not in shared:
                continue
            columns = [
                column.name
                for column in table.columns
                if column.name in shared[table.name] and not _numbered_by_the_database(column)
            ]
            key = "id" if table.name == "visits" else "visit_id"
            places = ", ".join("?" for _ in columns)
            listed = ", ".join(f'"{name}"' for name in columns)
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                rows = origin.execute(
                    f'SELECT {listed} FROM "{table.name}" WHERE "{key}" IN ({marks})',  # noqa: S608 - names from the models
                    chunk,
                ).fetchall()
                if table.name == "visits":
                    at = columns.index("content_version_id")
                    rows = [(*row[:at], versions[row[at]], *row[at + 1 :]) for row in rows]
                    if "content_publication_id" in columns:
                        at = columns.index("content_publication_id")
                        rows = [(*row[:at], publishes.get(row[at]), *row[at + 1 :]) for row in rows]
                    if "patient_id" in columns:
                        at = columns.index("patient_id")
                        rows = [(*row[:at], patients.get(row[at]), *row[at + 1 :]) for row in rows]
                if rows:
                    connection.exec_driver_sql(
                        f'INSERT INTO "{table.name}" ({listed}) VALUES ({places})',  # noqa: S608 - names from the models
                        rows,
                    )
    finally:
        origin.close()
    refresh_patients(session, patients.values())
    return len(missing)


def _carry_patients(
    connection: Connection, origin: Any, shared: dict[str, frozenset[str]], visit_ids: list[str]
) -> dict[int, int]:
    """The restored database's number for the patient of each carried visit.

    The same record (number, name and birth date) keeps its number; any other is copied
    in under a new one. Name, birth date and last consent are recomputed afterwards.
    """
    if "patients" not in shared or "patient_id" not in shared.get("visits", frozenset()):
        return {}
    table = table_of(PatientRow)
    numbers: dict[int, int] = {}
    wanted = {
        row[0]
        for start in range(0, len(visit_ids), 500)
        for row in origin.execute(
            "SELECT DISTINCT patient_id FROM visits WHERE patient_id IS NOT NULL AND id IN "  # noqa: S608 - marks only
            f"({', '.join('?' for _ in visit_ids[start : start + 500])})",
            visit_ids[start : start + 500],
        )
    }
    for number in sorted(wanted):
        found = origin.execute(
            "SELECT first_name, last_name, name_key, date_of_birth, created_at"
            " FROM patients WHERE id = ?",
            (number,),
        ).fetchone()
        if found is None:
            continue
        first, last, key, born, created = found
        same = connection.execute(
            select(table.c.id).where(
                table.c.id == number,
                table.c.name_key == key,
                table.c.date_of_birth == date.fromisoformat(str(born)[:10]),
            )
        ).scalar()
        if same is not None:
            numbers[number] = number
            continue
        inserted = connection.execute(
            insert(table).values(
                first_name=first,
                last_name=last,
                name_key=key,
                date_of_birth=date.fromisoformat(str(born)[:10]),
                created_at=datetime.fromisoformat(str(created)).replace(tzinfo=UTC),
            )
        ).inserted_primary_key
        assert inserted is not None
        numbers[number] = int(inserted[0])
    return numbers


def _numbered_by_the_database(column: Column[Any]) -> bool:
    """A table's own integer key (a print job's number): the restored database gives it."""
    keys = column.table.primary_key.columns
    return column.primary_key and len(keys) == 1 and isinstance(column.type, Integer)


def _carry_content_versions(
    connection: Connection, origin: Any, shared: dict[str, frozenset[str]], visit_ids: list[str]
) -> dict[int, int]:
    """The restored database's number for each content version the carried visits showed."""
    versions = table_of(ContentVersionRow)
    pictures = table_of(ContentPictureRow)
    numbers: dict[int, int] = {}
    wanted = {
        row[0]
        for start in range(0, len(visit_ids), 500)
        for row in origin.execute(
            "SELECT DISTINCT content_version_id FROM visits WHERE id IN "  # noqa: S608 - marks only
            f"({', '.join('?' for _ in visit_ids[start : start + 500])})",
            visit_ids[start : start + 500],
        )
    }
    for number in sorted(wanted):
        columns = sorted(shared["content_versions"] - {"id"})
        listed = ", ".join(f'"{name}"' for name in columns)
        places = ", ".join("?" for _ in columns)
        row = origin.execute(
            f"SELECT {listed} FROM content_versions WHERE id = ?",  # noqa: S608 - names from the models
            (number,),
        ).fetchone()
        values = dict(zip(columns, row, strict=True))
        found = connection.execute(
            select(versions.c.id).where(versions.c.sha256 == values["sha256"])
        ).scalar()
        if found is None:
            connection.exec_driver_sql(
                f"INSERT INTO content_versions ({listed}) VALUES ({places})",  # noqa: S608 - names from the models
                tuple(row),
            )
            found = connection.execute(
                select(versions.c.id).where(versions.c.sha256 == values["sha256"])
            ).scalar_one()
            for name, data in origin.execute(
                "SELECT name, data FROM content_pictures WHERE version_id = ?", (number,)
            ):
                connection.execute(pictures.insert().values(version_id=found, name=name, data=data))
        numbers[number] = found
    return numbers


def _carry_publications(
    connection: Connection,
    origin: Any,
    shared: dict[str, frozenset[str]],
    visit_ids: list[str],
    versions: dict[int, int],
) -> dict[int, int]:
    """The restored database's number for each publish the carried visits saw.

    A visit names the publish it saw (revision 0012), so the versions list can count
    visits per publish; a publish the backup lacks is copied (its content version
    already carried), matched first by its version, time, label and publisher.
    """
    if "content_publication_id" not in shared["visits"]:
        return {}
    publications = table_of(ContentPublicationRow)
    wanted = {
        row[0]
        for start in range(0, len(visit_ids), 500)
        for row in origin.execute(
            "SELECT DISTINCT content_publication_id FROM visits WHERE id IN "  # noqa: S608 - marks only
            f"({', '.join('?' for _ in visit_ids[start : start + 500])})"
            " AND content_publication_id IS NOT NULL",
            visit_ids[start : start + 500],
        )
    }
    numbers: dict[int, int] = {}
    for number in sorted(wanted):
        row = origin.execute(
            "SELECT content_version_id, label, published_at, published_by"
            " FROM content_publications WHERE id = ?",
            (number,),
        ).fetchone()
        if row is None or row[0] not in versions:
            continue  # a damaged reference: the visit keeps its content version only
        version, label, published_at, published_by = versions[row[0]], row[1], row[2], row[3]
        same = (
            publications.c.content_version_id == version,
            publications.c.published_at == _moment(published_at),
            publications.c.label == label,
            publications.c.published_by == published_by,
        )
        found = connection.execute(select(publications.c.id).where(*same)).scalar()
        if found is None:
            found = connection.execute(
                publications.insert()
                .values(
                    content_version_id=version,
                    label=label,
                    published_at=_moment(published_at),
                    published_by=published_by,
                )
                .returning(publications.c.id)
            ).scalar_one()
        numbers[number] = found
    return numbers


def _moment(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def audit_entries_in(database_url: str, path: Path) -> list[AuditEntry]:
    """The audit trail in a kiosk database file, oldest first, read without changing it."""
    driver = _Driver.of(database_url)
    connection = driver.connect(path, read_only=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_entries)")}
        # A file from before revision 0008 has no carried-over entries.
        original = "original_at" if "original_at" in columns else "NULL"
        rows = connection.execute(
            "SELECT id, at, actor, action, visit_id, station, detail, "  # noqa: S608 - a column name
            f"{original} FROM audit_entries ORDER BY id"
        ).fetchall()
    except driver.errors as error:
        raise BackupError(f"the audit trail in {path} cannot be read: {error}") from error
    finally:
        connection.close()
    return [
        AuditEntry(
            id_,
            _moment(at),
            actor,
            action,
            visit_id,
            station,
            detail,
            _moment(first) if first else None,
        )
        for id_, at, actor, action, visit_id, station, detail, first in rows
    ]


def audit_entries_lost(database_url: str, restored: Path, kept: Path) -> list[AuditEntry]:
    """Entries of the content a restore kept aside that the restored database lacks.

    What happened since the backup still happened: a restore must not take it out of the
    trail. An entry is the same one when every field is, number and time included.
    """
    if not _has_audit_trail(driver_url=database_url, path=kept):
        return []  # from before the audit trail (revision 0002)
    present = set(audit_entries_in(database_url, restored))
    return [entry for entry in audit_entries_in(database_url, kept) if entry not in present]


def _has_audit_trail(*, driver_url: str, path: Path) -> bool:
    connection = _Driver.of(driver_url).connect(path, read_only=True)
    try:
        return "audit_entries" in _tables_of(connection)
    finally:
        connection.close()
