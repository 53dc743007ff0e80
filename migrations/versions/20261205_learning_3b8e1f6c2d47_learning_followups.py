"""learning follow-ups: a month's learning theme given an owner, and what changed

Revision ID: 3b8e1f6c2d47
Revises: 5e55105ec0de
Create Date: 2026-12-05 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b8e1f6c2d47"
down_revision = "5e55105ec0de"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "learning_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("learning_followups") as batch_op:
        batch_op.create_index("ix_learning_followups_month", ["month"])
        batch_op.create_index("ix_learning_followups_area", ["area"])
        batch_op.create_index("ix_learning_followups_owner_id", ["owner_id"])
        batch_op.create_index("ix_learning_followups_status_month", ["closed_at", "month"])
    op.create_table(
        "learning_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["learning_followups.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("learning_changes") as batch_op:
        batch_op.create_index("ix_learning_changes_followup_id", ["followup_id"])
        batch_op.create_index("ix_learning_changes_recorded_at", ["recorded_at"])


def downgrade():
    op.drop_table("learning_changes")
    op.drop_table("learning_followups")
