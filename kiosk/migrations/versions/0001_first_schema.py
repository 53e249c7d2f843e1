"""first schema: content versions and visits

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("canonical", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_versions")),
        sa.UniqueConstraint("sha256", name=op.f("uq_content_versions_sha256")),
    )
    op.create_table(
        "content_pictures",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["content_versions.id"],
            name=op.f("fk_content_pictures_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "name", name=op.f("pk_content_pictures")),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("content_version_id", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("station", sa.String(length=200), nullable=False),
        sa.Column("ending", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("answers_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_name", sa.String(length=400), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signature_png", sa.LargeBinary(), nullable=True),
        sa.Column("signature_strokes", sa.Text(), nullable=True),
        sa.Column("ride_status", sa.String(length=16), nullable=False),
        sa.Column("ride_driver_name", sa.String(length=200), nullable=True),
        sa.Column("ride_phone", sa.String(length=40), nullable=True),
        sa.Column("ride_relationship", sa.String(length=200), nullable=True),
        sa.Column("flag_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_version_id"],
            ["content_versions.id"],
            name=op.f("fk_visits_content_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_date_of_birth", ["date_of_birth"], unique=False)
        batch_op.create_index("ix_visits_finished_at", ["finished_at"], unique=False)
        batch_op.create_index("ix_visits_name_key", ["name_key"], unique=False)

    op.create_table(
        "answers",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_answers_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", "question_id", name=op.f("pk_answers")),
    )
    op.create_table(
        "consent_acknowledgements",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("statement_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_consent_acknowledgements_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint(
            "visit_id", "statement_id", name=op.f("pk_consent_acknowledgements")
        ),
    )
    op.create_table(
        "flags",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_flags_visit_id_visits")),
        sa.PrimaryKeyConstraint("visit_id", "position", name=op.f("pk_flags")),
    )
    op.create_table(
        "slide_views",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("slide_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_slide_views_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", "slide_id", name=op.f("pk_slide_views")),
    )


def downgrade() -> None:
    op.drop_table("slide_views")
    op.drop_table("flags")
    op.drop_table("consent_acknowledgements")
    op.drop_table("answers")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_name_key")
        batch_op.drop_index("ix_visits_finished_at")
        batch_op.drop_index("ix_visits_date_of_birth")

    op.drop_table("visits")
    op.drop_table("content_pictures")
    op.drop_table("content_versions")
