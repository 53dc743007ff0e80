"""thematic review: the group feedback session with the social workers; the family's name
and address on the written reply

Revision ID: 4c1e7a9d2b63
Revises: d8b7355abf06
Create Date: 2026-12-05 06:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4c1e7a9d2b63"
down_revision = "d8b7355abf06"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("thematic_review_reviews") as batch_op:
        batch_op.add_column(sa.Column("feedback_session_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("feedback_session_attendees", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("feedback_session_notes", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("thematic_review_replies") as batch_op:
        batch_op.add_column(
            sa.Column("family_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("family_address", sa.Text(), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("thematic_review_replies") as batch_op:
        batch_op.drop_column("family_address")
        batch_op.drop_column("family_name")
    with op.batch_alter_table("thematic_review_reviews") as batch_op:
        batch_op.drop_column("feedback_session_notes")
        batch_op.drop_column("feedback_session_attendees")
        batch_op.drop_column("feedback_session_on")
