"""desks hear of every stored or changed visit, print and alert at once (PostgreSQL)

On a server, triggers send a notification on the channel `kiosk_changes` when a visit is
stored or changed (review, ride, void), a print is sent or its state changes, or an
alert is raised or dealt with, from whichever computer and whatever code did it. A desk
listening on its own connection (`kiosk.live_updates`) reloads within a second instead
of asking every few seconds. The payload names the table and the row's key (a visit's
random ID, an alert's number): never a name, an answer or anything else about a patient.
PostgreSQL sends notifications only when the transaction commits, and one per distinct
payload per transaction.

A purge deletes many visits at once: one notification per statement, not per visit.

SQLite has no notifications: desks on one computer keep asking every two seconds.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Which column names the row in each table's notification.
ANNOUNCED = {"visits": "id", "print_jobs": "visit_id", "alerts": "id"}


def _function(table: str, key: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {table}_announce_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        f"PERFORM pg_notify('kiosk_changes', '{table}'); RETURN NULL; END IF; "
        f"PERFORM pg_notify('kiosk_changes', '{table} ' || NEW.{key}::text); "
        "RETURN NULL; END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, key in ANNOUNCED.items():
        op.execute(_function(table, key))
        op.execute(
            f"CREATE TRIGGER {table}_announce_change AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_announce_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_announce_removal AFTER DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_announce_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ANNOUNCED:
        op.execute(f"DROP TRIGGER {table}_announce_removal ON {table}")
        op.execute(f"DROP TRIGGER {table}_announce_change ON {table}")
        op.execute(f"DROP FUNCTION {table}_announce_change()")
