"""practice observation tables (the plugin's own migration branch): the practitioner's
reflection

Revision ID: 7c3e9a1f4b2d
Revises:
Create Date: 2026-12-05 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3e9a1f4b2d"
down_revision = None
branch_labels = ("practice_observation",)
# the core's tables it points at (users, audits)
depends_on = "3fb981dcecec"


def upgrade():
    op.create_table(
        "practice_observation_reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("differently", sa.Text(), nullable=False),
        sa.Column("support", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audits.id"],
            name=op.f("fk_practice_observation_reflections_audit_id_audits"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_practice_observation_reflections_author_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_observation_reflections")),
        sa.UniqueConstraint("audit_id", name=op.f("uq_practice_observation_reflections_audit_id")),
    )


def downgrade():
    op.drop_table("practice_observation_reflections")
