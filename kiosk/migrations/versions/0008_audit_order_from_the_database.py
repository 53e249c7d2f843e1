"""the database numbers and times each audit entry, and refuses inserts that replace one

Until now the application sent each entry's time, so a station with a wrong clock could
reorder the trail, and an insert naming an existing entry's number with SQLite's REPLACE
deleted that entry without firing the delete trigger. From here on the database gives
every entry its number (SQLite's rowid, PostgreSQL's sequence) and its time (its own
clock), and refuses an insert that names either: with no number of its own, an insert
cannot collide with an entry, so REPLACE, upserts and the other conflict clauses have
nothing to replace. An entry carried over from another database keeps its first time in
`original_at`, beside the time this database gave it.

PostgreSQL's triggers are made ALWAYS triggers, so a session in replica mode
(`session_replication_role`) no longer skips them.

The SQL below is this revision's, frozen; `kiosk.audit_protections` holds the same
definitions for the start-up check, and a test keeps the two alike.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

APPEND_ONLY = "audit entries cannot be changed or deleted"
NUMBERED = "audit entries are numbered by the database: an insert names no id"
TIMED = "audit entries are timed by the database: an insert names no time"
# SQLAlchemy's own text form of a time (six digits of fraction), so times the database
# writes compare and sort with the times the application asks about.
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"

SQLITE_TRIGGERS = {
    "audit_entries_no_update": (
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    ),
    "audit_entries_no_delete": (
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    ),
    # Before an insert SQLite shows a number it is about to choose as -1 (insert.c codes
    # exactly that), and a named number as itself.
    "audit_entries_numbered_by_the_database": (
        "CREATE TRIGGER audit_entries_numbered_by_the_database BEFORE INSERT ON audit_entries "
        f"WHEN NEW.id <> -1 BEGIN SELECT RAISE(ABORT, '{NUMBERED}'); END"
    ),
    # ... so a named -1 is only seen once it is in place.
    "audit_entries_numbered_from_one": (
        "CREATE TRIGGER audit_entries_numbered_from_one AFTER INSERT ON audit_entries "
        f"WHEN NEW.id < 1 BEGIN SELECT RAISE(ABORT, '{NUMBERED}'); END"
    ),
    # The column's default and this check read the same clock reading: SQLite's 'now'
    # stays the same for the whole of one statement's step.
    "audit_entries_timed_by_the_database": (
        "CREATE TRIGGER audit_entries_timed_by_the_database BEFORE INSERT ON audit_entries "
        f"WHEN NEW.at IS NOT {SQLITE_NOW} BEGIN SELECT RAISE(ABORT, '{TIMED}'); END"
    ),
}

POSTGRESQL_ORDER_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_entries_take_database_order() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"IF NEW.id IS NOT NULL THEN RAISE EXCEPTION '{NUMBERED}'; END IF; "
    f"IF NEW.at IS NOT NULL THEN RAISE EXCEPTION '{TIMED}'; END IF; "
    "NEW.id := nextval('audit_entries_id_seq'); "
    "NEW.at := clock_timestamp() AT TIME ZONE 'UTC'; "
    "RETURN NEW; END $$"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("audit_entries_no_update", "audit_entries_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        # Changing a column's default copies the table in SQLite; dropping the copied-from
        # table fires no delete trigger, and the triggers go with it (made again below).
        with op.batch_alter_table("audit_entries", schema=None, recreate="always") as batch_op:
            batch_op.alter_column(
                "at",
                existing_type=sa.DateTime(),
                existing_nullable=False,
                server_default=sa.text(f"({SQLITE_NOW})"),
            )
            batch_op.add_column(sa.Column("original_at", sa.DateTime(), nullable=True))
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    elif dialect == "postgresql":
        op.add_column("audit_entries", sa.Column("original_at", sa.DateTime(), nullable=True))
        # The trigger gives the number: a default would hide whether an insert named one.
        op.execute("ALTER TABLE audit_entries ALTER COLUMN id DROP DEFAULT")
        op.execute(POSTGRESQL_ORDER_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_entries_database_order BEFORE INSERT ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_take_database_order()"
        )
        for trigger in ("audit_entries_append_only", "audit_entries_database_order"):
            op.execute(f"ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER {trigger}")
    else:
        raise NotImplementedError(f"no append-only audit trail for {dialect} yet")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        with op.batch_alter_table("audit_entries", schema=None, recreate="always") as batch_op:
            batch_op.drop_column("original_at")
            batch_op.alter_column(
                "at", existing_type=sa.DateTime(), existing_nullable=False, server_default=None
            )
        for name in ("audit_entries_no_update", "audit_entries_no_delete"):
            op.execute(SQLITE_TRIGGERS[name])
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER audit_entries_database_order ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_take_database_order()")
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
        op.execute(
            "ALTER TABLE audit_entries ALTER COLUMN id "
            "SET DEFAULT nextval('audit_entries_id_seq'::regclass)"
        )
        op.drop_column("audit_entries", "original_at")
