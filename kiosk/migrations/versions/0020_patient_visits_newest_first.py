"""a patient's visits, newest first, from one index

Opening a visit with a scored questionnaire shows the patient's last ten totals of each
measure (`kiosk.stored_visits.patient_trends`). It walks the patient's visits newest
first and stops once it has them, instead of scoring every visit the patient ever had;
this index gives that walk its order, and the content versions the patient saw, without
reading the visits themselves. It takes the place of the index on `patient_id` alone
(its first column serves what that one did).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_visits_patient_id_finished_at",
        "visits",
        ["patient_id", "finished_at", "content_version_id"],
    )
    op.drop_index("ix_visits_patient_id", table_name="visits")


def downgrade() -> None:
    op.create_index("ix_visits_patient_id", "visits", ["patient_id"])
    op.drop_index("ix_visits_patient_id_finished_at", table_name="visits")
