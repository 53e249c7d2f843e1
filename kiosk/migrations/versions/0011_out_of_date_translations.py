"""the draft remembers which translations are out of date

A translation whose clinic-language words change after it was translated is marked in
the draft, beside the pack (so a version's hash stays that of its text): the editor
lists it, and a publish waits for out-of-date contraindication questions and consent
statements to be translated again or confirmed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("content_drafts") as batch:
        batch.add_column(sa.Column("translated_from", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("content_drafts") as batch:
        batch.drop_column("translated_from")
