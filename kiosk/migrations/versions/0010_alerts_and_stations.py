"""alerts that reach the front desk, and each station's last heartbeat

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("last_heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("held_visits", sa.Integer(), nullable=False),
        sa.Column("check_in_paused", sa.Boolean(), nullable=False),
        sa.Column("content_version", sa.String(length=64), nullable=False),
        sa.Column("program_version", sa.String(length=64), nullable=False),
        sa.Column("silence_reported", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stations")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("shown_at", sa.DateTime(), nullable=True),
        sa.Column("shown_on", sa.String(length=200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("acknowledgement_note", sa.Text(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index("ix_alerts_cleared_at", "alerts", ["cleared_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alerts_cleared_at", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("stations")
