"""accounts hold several roles: who may do what is a matrix, not a ranking

Before, the one role was ranked (staff < clinician < admin), so an admin could mark
clinical flags reviewed. Now an account holds a set of roles, stored as the words
"staff clinician admin" in one column, and each action names the roles that may do it.
Existing accounts keep what they could do, except clinical actions for non-clinicians:
a clinician stays a clinician (the desk and clinical review), a staff account stays staff,
and an admin becomes "staff admin" (the desk and the editor, no longer clinical review).
An admin who is also a clinician is given the clinician role with
`kiosk users roles NAME --role admin --role clinician`.

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
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column(
            "role",
            new_column_name="roles",
            existing_type=sa.String(length=16),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
    op.execute("UPDATE staff_accounts SET roles = 'staff admin' WHERE roles = 'admin'")


def downgrade() -> None:
    # Back to one ranked role: the highest an account holds.
    op.execute(
        "UPDATE staff_accounts SET roles = CASE"
        " WHEN roles LIKE '%admin%' THEN 'admin'"
        " WHEN roles LIKE '%clinician%' THEN 'clinician'"
        " ELSE 'staff' END"
    )
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column(
            "roles",
            new_column_name="role",
            existing_type=sa.String(length=64),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
