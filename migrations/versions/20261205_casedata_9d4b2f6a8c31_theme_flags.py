"""a month's theme selects cases by their flags

Revision ID: 9d4b2f6a8c31
Revises: 7c3a9e1f5b20
Create Date: 2026-12-05 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9d4b2f6a8c31"
down_revision = "7c3a9e1f5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("theme_months", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.JSON(), nullable=True))
    theme_months = sa.table("theme_months", sa.column("flags", sa.JSON()))
    op.execute(theme_months.update().values(flags=[]))
    with op.batch_alter_table("theme_months", schema=None) as batch_op:
        batch_op.alter_column("flags", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("theme_months", schema=None) as batch_op:
        batch_op.drop_column("flags")
