"""The desk's search by part of a name: each stored name once, and an index of its parts.

`visit_names` holds every name key a visit is stored under (`stored_visits.name_key`:
lower-case, accent-free "first last") with how many visits carry it. The database keeps
it in step by itself (migration 0017's triggers on `visits`), whatever writes a visit: the
kiosk's store, a correction at the desk, a purge, a restore carrying visits over, `kiosk
db copy`. A name goes with the last visit under it. So a search compares the clinic's
distinct names (1,300 in the benchmark's million visits; some tens of thousands in a
large group), never every visit.

Parts of three characters or more find their names through an index where there is one:
on SQLite the FTS5 table `visit_name_parts` (trigram tokenizer), on PostgreSQL a pg_trgm
GIN index under the same LIKE. Parts of one or two characters have no trigram; they are
compared with every distinct name, which keeps what they find exactly what it was (any
name containing them) at the cost of one pass over the names, not the visits. Every
name the index offers is checked with the same LIKE as before, so a search finds exactly
the visits it found when it compared every visit's name.

The table is the database's own derived index, not one of the kiosk's records: it is not
among the models, so `kiosk db copy` and a restore's carry-over leave it to the triggers.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# The smallest part the trigram index can find (shorter ones match no trigram).
SHORTEST_INDEXED_PART = 3

VISIT_NAMES = Table(
    "visit_names",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("name_key", String(400), nullable=False, unique=True),
    Column("visits", Integer, nullable=False),
)
# SQLite's FTS5 table and the tables FTS5 keeps behind it (its name with a suffix).
PARTS_TABLE = "visit_name_parts"
# PostgreSQL's trigram index of the names (migration 0017).
PARTS_INDEX = "ix_visit_names_name_key_parts"

_ALL_NAMES = select(VISIT_NAMES.c.name_key, VISIT_NAMES.c.visits)
_BY_PARTS = text(
    "SELECT name_key, visits FROM visit_names WHERE id IN ("
    "SELECT rowid FROM visit_name_parts WHERE visit_name_parts MATCH :parts)"
    " AND name_key LIKE :pattern ESCAPE '\\'"
)
_HAS_PARTS = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'visit_name_parts'")
_MERGE_PARTS = "INSERT INTO visit_name_parts (visit_name_parts) VALUES ('optimize')"


def is_kept_by_the_database(table_name: str) -> bool:
    """Whether a table is this search's, kept by triggers rather than by the kiosk's code."""
    return table_name == VISIT_NAMES.name or table_name.startswith(PARTS_TABLE)


def like_pattern(key: str) -> str:
    """A LIKE pattern (escape character "\\") matching names that contain `key` as typed."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_parts_index(session: Session) -> bool:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return False
    return connection.execute(_HAS_PARTS).first() is not None


def names_containing(session: Session, key: str) -> dict[str, int]:
    """Each stored name key that contains `key` (a `desk.search_key`), with its visits."""
    connection = session.connection()
    pattern = like_pattern(key)
    if len(key) >= SHORTEST_INDEXED_PART and _has_parts_index(session):
        # One FTS5 phrase: the part's trigrams, one after another, as a string.
        parts = '"' + key.replace('"', '""') + '"'
        rows = connection.execute(_BY_PARTS, {"parts": parts, "pattern": pattern})
    else:
        rows = connection.execute(
            _ALL_NAMES.where(VISIT_NAMES.c.name_key.like(pattern, escape="\\"))
        )
    return {str(name): int(visits) for name, visits in rows}


def visits_named(session: Session) -> int:
    """How many visits there are, from the names' counts (no pass over the visits)."""
    counted = session.connection().execute(select(func.sum(VISIT_NAMES.c.visits))).scalar()
    return int(counted or 0)


def forget_removed_names(session: Session) -> None:
    """Rewrite the parts index without what removed names left in it (after a purge).

    FTS5 marks a removed name's parts as deleted and drops them only when it merges its
    pages; until then they stay readable in the file. Merging everything now (with
    `secure_delete`, freed pages are zeroed) leaves nothing of a purged name. PostgreSQL
    drops dead index entries at VACUUM, like the purged rows themselves.
    """
    if _has_parts_index(session):
        session.connection().exec_driver_sql(_MERGE_PARTS)


def index_parts_on_server(connection: Connection) -> tuple[bool, str | None]:
    """On PostgreSQL, make the names' trigram index where it is missing (`kiosk db init`
    and `upgrade`, as the owner): whether it was made now, and why it is still missing.

    Migration 0017 makes it where it can; a server that lacked pg_trgm then (its contrib
    package not installed) gets it once clinic IT has installed it and runs `kiosk db
    upgrade` again.
    """
    if connection.dialect.name != "postgresql":
        return False, None
    found = connection.execute(
        text("SELECT 1 FROM pg_indexes WHERE indexname = :name AND schemaname = current_schema()"),
        {"name": PARTS_INDEX},
    ).first()
    if found is not None:
        return False, None
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            connection.exec_driver_sql(
                f"CREATE INDEX {PARTS_INDEX} ON visit_names USING gin (name_key gin_trgm_ops)"
            )
    except DBAPIError as error:
        return False, str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return True, None
