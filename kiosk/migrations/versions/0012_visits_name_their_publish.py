"""each visit names the publish it saw, so the versions list counts visits per publish

A restore publishes an earlier version's text again; counting visits by text gave the
restore every visit the text ever had. Each visit now names its publish: the newest
publish of its text made at or before the visit started (the first one, when the
kiosk's clock was behind). Visits stored before this revision are given theirs by the
same rule; a trial pack's visits, whose text was never published, name none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BACKFILL = (
    "UPDATE visits SET content_publication_id = COALESCE("
    " (SELECT p.id FROM content_publications p"
    "  WHERE p.content_version_id = visits.content_version_id"
    "  AND p.published_at <= visits.started_at"
    "  ORDER BY p.published_at DESC, p.id DESC LIMIT 1),"
    " (SELECT MIN(p.id) FROM content_publications p"
    "  WHERE p.content_version_id = visits.content_version_id))"
)


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("content_publication_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_visits_content_publication_id_content_publications",
            "content_publications",
            ["content_publication_id"],
            ["id"],
        )
        batch.create_index("ix_visits_content_publication_id", ["content_publication_id"])
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_content_publication_id")
        batch.drop_constraint(
            "fk_visits_content_publication_id_content_publications", type_="foreignkey"
        )
        batch.drop_column("content_publication_id")
