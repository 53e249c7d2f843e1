"""a PHQ-9 answer about self-harm: the alert names its visit, the visit so far is stored
with it, and a clinician closes it with a note

`partial_visits` holds the visit as it stood when the answer was given (the patient's
details and the answers so far), written in the alert's own transaction; `alerts` gains
the visit's ID and the note a clinician closes a risk alert with.

On a server (PostgreSQL) the kiosk's role may neither insert alerts nor read them: the
owner's function `kiosk_raise_risk_alert` stores the alert, the partial visit and the
audit entry at once (a held one raised twice stores nothing the second time), and
`kiosk_risk_state` tells the kiosk whether a desk has shown, acknowledged or closed its
own alert. `kiosk.server_roles` grants them to the kiosk's role, and the desk's role
reads `partial_visits`.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# name(arguments) -> (returns, body), made as 0014's are (SECURITY DEFINER, fixed path).
FUNCTIONS: dict[str, tuple[str, str]] = {
    "kiosk_raise_risk_alert(raised jsonb)": (
        "integer",
        """
DECLARE
    p jsonb := raised->'partial';
    the_visit text := raised->'partial'->>'visit_id';
    station_name text := raised->>'station';
    actor_name text := raised->>'actor';
    alert_id integer;
BEGIN
    IF the_visit IS NULL OR station_name IS NULL THEN
        RAISE EXCEPTION 'a risk alert needs its visit and its station' USING ERRCODE = '22023';
    END IF;
    IF actor_name IS NULL OR (actor_name NOT LIKE 'kiosk:%' AND actor_name NOT LIKE 'user:%') THEN
        RAISE EXCEPTION 'a risk alert is raised by its kiosk or a member of staff'
            USING ERRCODE = '42501';
    END IF;
    -- Once per visit: a held alert raised again, or a replay, is the same alert.
    SELECT a.id INTO alert_id FROM alerts a
        WHERE a.kind = 'risk_answer' AND a.visit_id = the_visit LIMIT 1;
    IF alert_id IS NOT NULL THEN
        RETURN alert_id;
    END IF;
    INSERT INTO alerts (kind, station, detail, raised_at, acknowledgement_note, visit_id,
                        clearing_note)
        VALUES ('risk_answer', station_name, coalesce(raised->>'detail', ''),
                clock_timestamp() AT TIME ZONE 'UTC', '', the_visit, '')
        RETURNING id INTO alert_id;
    INSERT INTO partial_visits (alert_id, visit_id, station, content_version, language,
                                started_at, first_name, last_name, date_of_birth, answers,
                                responder, stored_at)
        VALUES (alert_id, the_visit, station_name, p->>'content_version', p->>'language',
                (p->>'started_at')::timestamptz AT TIME ZONE 'UTC',
                coalesce(p->>'first_name', ''), coalesce(p->>'last_name', ''),
                (p->>'date_of_birth')::date, (p->'answers')::text,
                coalesce(p->>'responder', ''), clock_timestamp() AT TIME ZONE 'UTC');
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        VALUES (actor_name, 'alert_raised', the_visit, station_name,
                'alert ' || alert_id || ': risk_answer at ' || station_name);
    RETURN alert_id;
END
""",
    ),
    "kiosk_risk_state(alert integer, station text)": (
        "TABLE(shown boolean, acknowledged boolean, cleared boolean)",
        """
BEGIN
    -- Its own alerts only; another kiosk's, or none at all, reads as gone.
    RETURN QUERY
        SELECT a.shown_at IS NOT NULL OR a.acknowledged_at IS NOT NULL,
               a.acknowledged_at IS NOT NULL,
               a.cleared_at IS NOT NULL
        FROM alerts a WHERE a.id = alert AND a.station = kiosk_risk_state.station;
END
""",
    ),
}
SIGNATURES = ("kiosk_raise_risk_alert(jsonb)", "kiosk_risk_state(integer, text)")


def _make(functions: dict[str, tuple[str, str]]) -> None:
    connection = op.get_bind()
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    for signature, (returns, body) in functions.items():
        # The driver reads % as the start of a parameter: %% is a plain one.
        body_for_driver = body.replace("%", "%%")
        connection.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS {returns} LANGUAGE plpgsql "
            f'SECURITY DEFINER SET search_path = "{schema}", pg_temp '
            f"AS $function${body_for_driver}$function$"
        )
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("visit_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("clearing_note", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "partial_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("station", sa.String(length=200), nullable=False),
        sa.Column("content_version", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("responder", sa.String(length=200), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        # A cleared alert purged past retention takes the partial visit with it.
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_partial_visits_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partial_visits")),
    )
    op.create_index(op.f("ix_partial_visits_alert_id"), "partial_visits", ["alert_id"])
    op.create_index(op.f("ix_partial_visits_visit_id"), "partial_visits", ["visit_id"])
    if op.get_context().dialect.name == "postgresql":
        _make(FUNCTIONS)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for signature in SIGNATURES:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.drop_index(op.f("ix_partial_visits_visit_id"), table_name="partial_visits")
    op.drop_index(op.f("ix_partial_visits_alert_id"), table_name="partial_visits")
    op.drop_table("partial_visits")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("clearing_note")
        batch.drop_column("visit_id")
