"""patients who come back: visits linked to a patient, names or birth dates corrected,
today's expected patients, and the flow each visit ran

A patient record is made at the desk when staff link a visit to it; it holds the name
and date of birth of the patient's newest linked visit and the date and content version
of their last consent. A correction keeps what the patient typed and what it became.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_consent_at", sa.DateTime(), nullable=True),
        sa.Column("last_consent_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_consent_version_id"],
            ["content_versions.id"],
            name=op.f("fk_patients_last_consent_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
    )
    op.create_index("ix_patients_name_key_date_of_birth", "patients", ["name_key", "date_of_birth"])
    op.create_table(
        "detail_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("typed", sa.String(length=200), nullable=False),
        sa.Column("became", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("corrected_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_detail_corrections_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detail_corrections")),
    )
    op.create_index(op.f("ix_detail_corrections_visit_id"), "detail_corrections", ["visit_id"])
    op.create_table(
        "expected_patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("expected_at", sa.String(length=5), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_expected_patients_patient_id_patients"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expected_patients")),
    )
    op.create_index("ix_expected_patients_day_name_key", "expected_patients", ["day", "name_key"])
    with op.batch_alter_table("visits") as batch:
        batch.add_column(
            sa.Column("flow", sa.String(length=24), server_default="first_visit", nullable=False)
        )
        batch.add_column(sa.Column("patient_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_visits_patient_id_patients", "patients", ["patient_id"], ["id"]
        )
        batch.create_index("ix_visits_patient_id", ["patient_id"])


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_patient_id")
        batch.drop_constraint("fk_visits_patient_id_patients", type_="foreignkey")
        batch.drop_column("patient_id")
        batch.drop_column("flow")
    op.drop_index("ix_expected_patients_day_name_key", table_name="expected_patients")
    op.drop_table("expected_patients")
    op.drop_index(op.f("ix_detail_corrections_visit_id"), table_name="detail_corrections")
    op.drop_table("detail_corrections")
    op.drop_index("ix_patients_name_key_date_of_birth", table_name="patients")
    op.drop_table("patients")
