"""check-in at the desk: who assisted, and consent signed on paper

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assisted_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("signed_on_paper_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("signed_on_paper_at")
        batch_op.drop_column("assisted_by")
