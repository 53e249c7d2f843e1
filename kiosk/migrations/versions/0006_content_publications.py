"""content publications and the admins' draft

Every publish is a row, so a restore (publishing an older version again) makes it the
content in use; the content in use is the newest publication's version. The `published`
flag of a version is replaced by its publications: each version that was published
gets one publication, in the order of the versions, so the content in use stays the same.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical", sa.LargeBinary(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("based_on_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["based_on_version_id"],
            ["content_versions.id"],
            name=op.f("fk_content_drafts_based_on_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_drafts")),
    )
    publications = op.create_table(
        "content_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_version_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("restored_from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_version_id"],
            ["content_versions.id"],
            name=op.f("fk_content_publications_content_version_id_content_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["restored_from_id"],
            ["content_publications.id"],
            name=op.f("fk_content_publications_restored_from_id_content_publications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_publications")),
    )
    with op.batch_alter_table("content_publications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_publications_content_version_id"),
            ["content_version_id"],
            unique=False,
        )
    op.create_table(
        "content_draft_pictures",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["content_drafts.id"],
            name=op.f("fk_content_draft_pictures_draft_id_content_drafts"),
        ),
        sa.PrimaryKeyConstraint("draft_id", "name", name=op.f("pk_content_draft_pictures")),
    )

    versions = sa.table(
        "content_versions",
        sa.column("id", sa.Integer()),
        sa.column("label", sa.String()),
        sa.column("published_at", sa.DateTime()),
        sa.column("published_by", sa.String()),
        sa.column("published", sa.Boolean()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(versions.c.id, versions.c.label, versions.c.published_at, versions.c.published_by)
        .where(versions.c.published == sa.true())
        .order_by(versions.c.id)
    ).all()
    if rows:
        op.bulk_insert(
            publications,
            [
                {
                    "content_version_id": row.id,
                    "label": row.label,
                    "published_at": row.published_at,
                    "published_by": row.published_by,
                }
                for row in rows
            ],
        )
    with op.batch_alter_table("content_versions", schema=None) as batch_op:
        batch_op.drop_column("published")


def downgrade() -> None:
    with op.batch_alter_table("content_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE content_versions SET published = TRUE WHERE id IN "
        "(SELECT content_version_id FROM content_publications)"
    )
    op.drop_table("content_draft_pictures")
    with op.batch_alter_table("content_publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_publications_content_version_id"))
    op.drop_table("content_publications")
    op.drop_table("content_drafts")
