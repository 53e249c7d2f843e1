"""typed signatures: a full name typed in place of a drawn signature

Where the clinic allows it (the `typed_signature` setting), a patient who cannot sign on
the pad types their full name instead. The name as typed is kept; such a visit has no
signature picture and no strokes. A downgrade drops these names, and such visits then
read as signed with no picture: keep a backup before downgrading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("typed_signature", sa.String(length=400), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("typed_signature")
