"""case erasure: when a closed case's records were erased under the retention rule, and
an index on the closing date the rule's list is found by

Revision ID: e1a5c0d7f392
Revises: 7c2e4a9d1b35
Create Date: 2026-12-05 07:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e1a5c0d7f392"
down_revision = "7c2e4a9d1b35"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_closed_on"), ["closed_on"], unique=False)


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_closed_on"))
        batch_op.drop_column("erased_at")
