"""the desk finds a name by any part of it without reading every visit

`visit_names` holds each name key a visit is stored under (`visits.name_key`: lower-case,
accent-free "first last"), once, with how many visits carry it. The database keeps it in
step by itself, with triggers on `visits`: a visit stored (by a kiosk, the desk, a
restore carrying it over, `kiosk db copy`) counts its name in, a correction moves it from
the old name to the new, a delete (a purge) counts it out, and a name goes with the last
visit under it. The desk's search reads these few thousand names instead of a million
visits (`kiosk.name_search`).

Parts of a name are indexed where the engine can:

- SQLite: `visit_name_parts`, an FTS5 table with the trigram tokenizer over `visit_names`
  (its content is read from there, not copied), kept by triggers on `visit_names`. A
  SQLite without FTS5's trigram tokenizer (older than 3.34) makes no such table; the
  search then reads every name, as it does for parts of one or two characters.
- PostgreSQL: a trigram GIN index (`pg_trgm`, in postgresql-contrib) on
  `visit_names.name_key`, which the same LIKE uses. The owner creates the extension
  (trusted since PostgreSQL 13: the database's owner may); where it cannot, this says so
  in the log and the search reads every name. The trigger function runs as the owner, so
  no station's role may write `visit_names`; the desk's reads it (`kiosk.server_roles`).

The visits of a name are found newest first from one index on (name key, finish time,
ID) instead of the name alone: the page of a name search is read from the index and
only its rows from the table.

A later migration that copies `visits` (SQLite's batch mode) drops its triggers with the
old table and must make them again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

log = logging.getLogger("kiosk.name_search")

_SQLITE = (
    # Each name once, with how many visits carry it.
    """
CREATE TRIGGER visits_name_counted_in AFTER INSERT ON visits BEGIN
    INSERT INTO visit_names (name_key, visits) VALUES (NEW.name_key, 1)
        ON CONFLICT (name_key) DO UPDATE SET visits = visits + 1;
END
""",
    """
CREATE TRIGGER visits_name_counted_out AFTER DELETE ON visits BEGIN
    UPDATE visit_names SET visits = visits - 1 WHERE name_key = OLD.name_key;
    DELETE FROM visit_names WHERE name_key = OLD.name_key AND visits <= 0;
END
""",
    """
CREATE TRIGGER visits_name_corrected AFTER UPDATE OF name_key ON visits
WHEN NEW.name_key IS NOT OLD.name_key BEGIN
    UPDATE visit_names SET visits = visits - 1 WHERE name_key = OLD.name_key;
    DELETE FROM visit_names WHERE name_key = OLD.name_key AND visits <= 0;
    INSERT INTO visit_names (name_key, visits) VALUES (NEW.name_key, 1)
        ON CONFLICT (name_key) DO UPDATE SET visits = visits + 1;
END
""",
)
_SQLITE_PARTS = (
    (
        "CREATE VIRTUAL TABLE visit_name_parts USING fts5("
        "name_key, content='visit_names', content_rowid='id', tokenize='trigram')"
    ),
    "INSERT INTO visit_name_parts (visit_name_parts) VALUES ('rebuild')",
    """
CREATE TRIGGER visit_names_parts_added AFTER INSERT ON visit_names BEGIN
    INSERT INTO visit_name_parts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
END
""",
    """
CREATE TRIGGER visit_names_parts_removed AFTER DELETE ON visit_names BEGIN
    INSERT INTO visit_name_parts (visit_name_parts, rowid, name_key)
        VALUES ('delete', OLD.id, OLD.name_key);
END
""",
    # Nothing changes a name in place (a correction moves a visit to another name), but
    # if anything did, its parts follow.
    """
CREATE TRIGGER visit_names_parts_changed AFTER UPDATE OF name_key ON visit_names BEGIN
    INSERT INTO visit_name_parts (visit_name_parts, rowid, name_key)
        VALUES ('delete', OLD.id, OLD.name_key);
    INSERT INTO visit_name_parts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
END
""",
)

_POSTGRESQL_FUNCTION = """
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE visit_names SET visits = visits - 1 WHERE name_key = OLD.name_key;
        DELETE FROM visit_names WHERE name_key = OLD.name_key AND visits <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO visit_names (name_key, visits) VALUES (NEW.name_key, 1)
            ON CONFLICT (name_key) DO UPDATE SET visits = visit_names.visits + 1;
    END IF;
    RETURN NULL;
END
"""

CANNOT_INDEX_PARTS = (
    "the desk's name search reads every stored name: %s. It finds the same visits, more "
    "slowly with many thousand names; %s, then run `kiosk db upgrade` after the next "
    "update, or make the index by hand (see migration 0017)"
)


def _sqlite_has_trigrams() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (SQLite 3.34 or newer)."""
    connection = op.get_bind()
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(
                "CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')"
            )
            connection.exec_driver_sql("DROP TABLE temp.trigram_probe")
    except sa.exc.DBAPIError:
        return False
    return True


def _postgresql_trigram_index() -> None:
    """The GIN index for LIKE on names, with pg_trgm; only a log line where it cannot be."""
    connection = op.get_bind()
    available = connection.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is None:
        log.warning(
            CANNOT_INDEX_PARTS,
            "the server has no pg_trgm extension",
            "install the server's contrib package (postgresql-contrib)",
        )
        return
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            connection.exec_driver_sql(
                "CREATE INDEX ix_visit_names_name_key_parts ON visit_names "
                "USING gin (name_key gin_trgm_ops)"
            )
    except sa.exc.DBAPIError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        log.warning(
            CANNOT_INDEX_PARTS,
            f"the extension pg_trgm could not be used ({reason})",
            "have a superuser run CREATE EXTENSION pg_trgm in this database",
        )


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    op.create_table(
        "visit_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_names")),
        sa.UniqueConstraint("name_key", name=op.f("uq_visit_names_name_key")),
    )
    op.execute(
        "INSERT INTO visit_names (name_key, visits) "
        "SELECT name_key, count(*) FROM visits GROUP BY name_key ORDER BY name_key"
    )
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_name_key")
        batch.create_index("ix_visits_name_key_finished_at", ["name_key", "finished_at", "id"])
    if dialect == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
        if _sqlite_has_trigrams():
            for statement in _SQLITE_PARTS:
                op.execute(statement)
        else:
            log.warning(
                CANNOT_INDEX_PARTS,
                "this SQLite has no FTS5 trigram tokenizer (it needs 3.34 or newer)",
                "update Python (its SQLite)",
            )
    elif dialect == "postgresql":
        schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
        # As the owner's functions of migration 0014: whichever role changes a visit (the
        # desk's correcting a name), the names are written with the owner's rights.
        op.execute(
            "CREATE FUNCTION visits_keep_names() RETURNS trigger LANGUAGE plpgsql "
            f'SECURITY DEFINER SET search_path = "{schema}", pg_temp '
            f"AS $function${_POSTGRESQL_FUNCTION}$function$"
        )
        op.execute("REVOKE ALL ON FUNCTION visits_keep_names() FROM PUBLIC")
        op.execute(
            "CREATE TRIGGER visits_keep_names AFTER INSERT OR DELETE ON visits "
            "FOR EACH ROW EXECUTE FUNCTION visits_keep_names()"
        )
        op.execute(
            "CREATE TRIGGER visits_keep_names_corrected AFTER UPDATE OF name_key ON visits "
            "FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key) "
            "EXECUTE FUNCTION visits_keep_names()"
        )
        _postgresql_trigram_index()


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for trigger in (
            "visits_name_counted_in",
            "visits_name_counted_out",
            "visits_name_corrected",
            "visit_names_parts_added",
            "visit_names_parts_removed",
            "visit_names_parts_changed",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS visit_name_parts")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER visits_keep_names_corrected ON visits")
        op.execute("DROP TRIGGER visits_keep_names ON visits")
        op.execute("DROP FUNCTION visits_keep_names()")
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_name_key_finished_at")
        batch.create_index("ix_visits_name_key", ["name_key"])
    op.drop_table("visit_names")
