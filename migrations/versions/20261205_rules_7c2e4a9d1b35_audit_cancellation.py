"""audit cancellation: when, by whom and why an audit was cancelled before submission

Revision ID: 7c2e4a9d1b35
Revises: b7c3e91d0a24
Create Date: 2026-12-05 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e4a9d1b35'
down_revision = "b7c3e91d0a24"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_audits_cancelled_by_id_users'), 'users', ['cancelled_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audits_cancelled_by_id_users'), type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
