"""answers as long as typed: an answer column that holds what the content allows

An answer is Yes / No / Not sure, a choice's ID (up to 64 characters) or, for a
short-text question, the patient's own words (up to 200). The column was 16 characters
wide: SQLite never enforces a width, but a PostgreSQL server refused every visit with a
longer answer. Flags keep the answer that raised them, which is never typed words.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column(
            "answer", existing_type=sa.String(length=16), type_=sa.Text(), existing_nullable=False
        )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.alter_column(
            "answer", existing_type=sa.String(length=16), type_=sa.String(length=64),
            existing_nullable=True,
        )  # fmt: skip


def downgrade() -> None:
    # Longer answers would not fit the old width on a server: keep a backup before this.
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.alter_column(
            "answer", existing_type=sa.String(length=64), type_=sa.String(length=16),
            existing_nullable=True,
        )  # fmt: skip
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column(
            "answer", existing_type=sa.Text(), type_=sa.String(length=16), existing_nullable=False
        )
