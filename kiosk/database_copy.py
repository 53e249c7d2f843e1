"""`kiosk db copy --to URL`: move a clinic from one computer's SQLite file to a server.

Everything the clinic's database holds is copied as it is, with the same keys and
numbers: visits with their answers, flags, slides seen, consent and prints; the audit
trail in its order, each entry with its number and time; content versions and their
publications, the draft, staff accounts, stations and alerts. The target must be a
server database made by `kiosk db init` and still empty; anything else is refused in
plain words, with nothing copied. The copy is one transaction on the server: it lands
whole or not at all. Before it commits, every table's count and the newest audit entry
are compared with the source's; then one entry says what was copied, and from where.

The audit trail's own trigger gives each new entry the server's next number and clock;
for the copy only (inside its transaction, which no other connection can see) that
trigger is switched off so the entries keep the numbers and times they were given on
the clinic's computer, and it is switched on again before the copy's own entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.database import Database, DatabaseUnavailableError, open_database
from kiosk.database_url import shown_url, without_secrets
from kiosk.models import AuditEntryRow, Base, table_of

# Rows read and written at a time: a year of visits with signatures never sits whole in
# memory.
BATCH = 500
# How each table is counted in what the command says (the clinic's words).
_SAID = {
    "visits": "visits",
    "answers": "answers",
    "audit_entries": "audit entries",
    "content_versions": "content versions",
    "content_publications": "content publications",
    "staff_accounts": "staff accounts",
    "alerts": "alerts",
}


class CopyError(Exception):
    """The copy cannot be made; the message says why and that nothing was copied."""


@dataclass(frozen=True)
class Copied:
    """What `kiosk db copy` did: rows per table, and the newest audit entry checked."""

    source: str
    target: str
    rows: dict[str, int]
    newest_entry: int | None

    def words(self) -> list[str]:
        """What the command prints, one line each."""
        counted = ", ".join(f"{self.rows.get(table, 0)} {said}" for table, said in _SAID.items())
        others = sum(n for table, n in self.rows.items() if table not in _SAID)
        newest = (
            f"the newest audit entry (number {self.newest_entry}) is the same on both"
            if self.newest_entry is not None
            else "there were no audit entries"
        )
        return [
            f"Copied the database at {self.source} to {self.target}:",
            (
                f"  {counted}, and {others} other rows (flags, slides seen, consent, prints, "
                "pictures, stations, patients and their corrections, today's expected list)."
            ),
            f"Checked: every table holds as many rows on both, and {newest}.",
            (
                "Now point each station's database_url at the server; keep the old file as "
                "a backup until the clinic has worked a day on the server."
            ),
        ]


def _tables() -> list[Table]:
    """Every table of the kiosk's, in an order in which their rows can be inserted."""
    return list(Base.metadata.sorted_tables)


def _counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in _tables()
    }


def _newest_entry(connection: Connection) -> tuple[Any, ...] | None:
    entries = table_of(AuditEntryRow)
    row = connection.execute(select(entries).order_by(entries.c.id.desc()).limit(1)).first()
    return None if row is None else tuple(row)


def _rows(connection: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    for batch in result.mappings().partitions(BATCH):
        yield [dict(row) for row in batch]


def _numbered(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and isinstance(keys[0].type, Integer)


def copy_database(source_url: str, target_url: str, *, by: Actor) -> Copied:
    """Copy everything from the database at `source_url` into the empty server database
    at `target_url`; see the module's words. Raises CopyError saying why not."""
    source = _opened(source_url, "the database to copy")
    try:
        target = _opened(target_url, "the server database to copy to")
        try:
            return _copy(source, target, by)
        finally:
            target.close()
    finally:
        source.close()


def _opened(url: str, what: str) -> Database:
    try:
        return open_database(url)
    except DatabaseUnavailableError as error:
        raise CopyError(f"{what} cannot be used: {error}; nothing was copied") from None


def _copy(source: Database, target: Database, by: Actor) -> Copied:
    shown_source = shown_url(source.url or source.engine.url)
    shown_target = shown_url(target.url or target.engine.url)
    if target.engine.dialect.name != "postgresql":
        raise CopyError(
            f"{shown_target} is not a PostgreSQL database: `kiosk db copy` moves a clinic to "
            "a server; nothing was copied"
        )
    try:
        with (
            source.engine.connect() as reading,
            target.engine.connect() as writing,
            writing.begin(),
        ):
            held = {name: n for name, n in _counts(writing).items() if n}
            if held:
                listed = ", ".join(f"{n} rows in {name}" for name, n in sorted(held.items()))
                raise CopyError(
                    f"the database at {shown_target} is not empty (it holds {listed}); "
                    "`kiosk db copy` only fills a new database made by `kiosk db init`, "
                    "so nothing there is overwritten or mixed. Nothing was copied"
                )
            rows = _fill(reading, writing)
            _check(reading, writing, rows, shown_target)
            newest = _newest_entry(writing)
            with Session(bind=writing) as session:
                by.audit(
                    session,
                    AuditAction.DATABASE_COPIED,
                    detail=f"from {shown_source}; "
                    + ", ".join(f"{n} {table}" for table, n in rows.items() if n),
                )
                session.flush()
    except SQLAlchemyError as error:
        reason = without_secrets(str(getattr(error, "orig", None) or error), target.engine.url)
        raise CopyError(
            f"the copy to {shown_target} failed, nothing was copied: {reason}"
        ) from None
    _tidy(target)
    return Copied(shown_source, shown_target, rows, None if newest is None else int(newest[0]))


def _tidy(database: Database) -> None:
    """VACUUM ANALYZE, as after any bulk load: the planner learns the tables' sizes and
    counts can read an index alone from the first morning. Skipped quietly if it cannot
    run: the server's autovacuum does the same within minutes."""
    with (
        contextlib.suppress(SQLAlchemyError),
        database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
    ):
        connection.exec_driver_sql("SET statement_timeout = 0")
        connection.exec_driver_sql("VACUUM (ANALYZE)")


def _fill(reading: Connection, writing: Connection) -> dict[str, int]:
    """Copy every row, keys and numbers as they are; the rows copied per table."""
    # A large clinic's copy may take longer than any one station's statement should.
    writing.exec_driver_sql("SET LOCAL statement_timeout = 0")
    writing.exec_driver_sql(
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_database_order"
    )
    rows: dict[str, int] = {}
    for table in _tables():
        copied = 0
        for batch in _rows(reading, table):
            writing.execute(table.insert(), batch)
            copied += len(batch)
        rows[table.name] = copied
        if _numbered(table) and copied:
            # The next number the server gives (a print job, an audit entry) follows on.
            writing.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - names from the models
                    f"(SELECT max(id) FROM {table.name}))"
                )
            )
    writing.exec_driver_sql(
        "ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_database_order"
    )
    return rows


def _check(
    reading: Connection, writing: Connection, rows: dict[str, int], shown_target: str
) -> None:
    """Every table as full on both, and the newest audit entry the same, before commit."""
    before, after = _counts(reading), _counts(writing)
    wrong = [
        f"{name}: {before[name]} here, {after[name]} there"
        for name in before
        if before[name] != after[name] or rows[name] != before[name]
    ]
    if wrong:
        raise CopyError(
            f"the copy to {shown_target} does not match ({'; '.join(wrong)}): was a station "
            "still writing? Stop every kiosk, desk and editor and copy again. Nothing was copied"
        )
    if _newest_entry(reading) != _newest_entry(writing):
        raise CopyError(
            f"the newest audit entry at {shown_target} is not the source's: was a station "
            "still writing? Stop every kiosk, desk and editor and copy again. Nothing was copied"
        )
