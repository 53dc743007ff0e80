"""indexes for bounded lists and home page counts: actions, audits, cases, people, teams,
notifications

Revision ID: c41d7e2a9b60
Revises: a1d5e0c7b3f2
Create Date: 2026-12-04 16:45:00

Every index here is read by a list or a home page count; ix_actions_owner_id goes, the new
composite index starting with owner_id does its work (checked with EXPLAIN QUERY PLAN
on SQLite and EXPLAIN on PostgreSQL on the generated council of ``benchmarks/``).
The audit list's indexes (case, due date, auditor, case worker and team) come just before,
in a1d5e0c7b3f2.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c41d7e2a9b60"
down_revision = "a1d5e0c7b3f2"
branch_labels = None
depends_on = None

#: (index name, table, columns)
INDEXES = [
    ("ix_actions_status", "actions", ["status"]),
    ("ix_actions_owner_id_status_due_on", "actions", ["owner_id", "status", "due_on"]),
    ("ix_actions_due_on", "actions", ["due_on"]),
    ("ix_users_line_manager_id", "users", ["line_manager_id"]),
    ("ix_teams_manager_id", "teams", ["manager_id"]),
    ("ix_audits_status", "audits", ["status"]),
    ("ix_notifications_user_id_read_at", "notifications", ["user_id", "read_at"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    # ix_actions_owner_id_status_due_on starts with owner_id: it serves every lookup by owner
    op.drop_index("ix_actions_owner_id", table_name="actions")


def downgrade():
    op.create_index("ix_actions_owner_id", "actions", ["owner_id"], unique=False)
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
