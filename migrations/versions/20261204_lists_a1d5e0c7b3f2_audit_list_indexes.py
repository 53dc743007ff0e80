"""list indexes: audits by due date and case, audit_auditors by user, cases by worker and team

Revision ID: a1d5e0c7b3f2
Revises: ed65b24393c7
Create Date: 2026-12-04 17:10:00

The audit list pages 50 at a time, latest due first: without an index on the due date
every page sorted every audit. Every access check and auditor filter looks up the audits
a person audits, which the (audit_id, user_id) primary key cannot answer; the case page
and the access checks look up a case's audits; the access checks find the cases a person
holds or manages by allocated worker and by team.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a1d5e0c7b3f2"
down_revision = "5a7c3e91d2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index("ix_audits_due_on_id", ["due_on", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audits_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_allocated_worker_id"), ["allocated_worker_id"], unique=False
        )
    with op.batch_alter_table("audit_auditors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_auditors_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_allocated_worker_id"))
        batch_op.drop_index(batch_op.f("ix_cases_team_id"))
    with op.batch_alter_table("audit_auditors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_auditors_user_id"))
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audits_case_id"))
        batch_op.drop_index("ix_audits_due_on_id")
