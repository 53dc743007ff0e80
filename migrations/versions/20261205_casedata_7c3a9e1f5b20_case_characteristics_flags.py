"""what the case import carries: the child's characteristics, the case's flags, the
family's name and address

Revision ID: 7c3a9e1f5b20
Revises: 3b8e1f6c2d47
Create Date: 2026-12-05 06:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3a9e1f5b20"
down_revision = "3b8e1f6c2d47"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("ethnicity", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("disability", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("family_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("family_address", sa.String(length=500), nullable=True))
    op.create_table(
        "case_flags",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_flags_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "flag", name=op.f("pk_case_flags")),
    )
    op.create_index("ix_case_flags_flag_case_id", "case_flags", ["flag", "case_id"], unique=False)


def downgrade():
    op.drop_index("ix_case_flags_flag_case_id", table_name="case_flags")
    op.drop_table("case_flags")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("family_address")
        batch_op.drop_column("family_name")
        batch_op.drop_column("disability")
        batch_op.drop_column("ethnicity")
        batch_op.drop_column("sex")
        batch_op.drop_column("age_band")
