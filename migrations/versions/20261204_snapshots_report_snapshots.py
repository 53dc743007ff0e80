"""report snapshots; moderation's "cleared for sharing (anonymised)"

Revision ID: 5a7c3e91d2b4
Revises: ed65b24393c7
Create Date: 2026-12-04 16:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5a7c3e91d2b4"
down_revision = "5d1c2a7e9b40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("pdf_full", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_anonymised", sa.LargeBinary(), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("built_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["built_by_id"], ["users.id"], name=op.f("fk_report_snapshots_built_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
        sa.UniqueConstraint("month", name=op.f("uq_report_snapshots_month")),
    )
    with op.batch_alter_table("moderations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "cleared_for_sharing", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("moderations", schema=None) as batch_op:
        batch_op.drop_column("cleared_for_sharing")
    op.drop_table("report_snapshots")
