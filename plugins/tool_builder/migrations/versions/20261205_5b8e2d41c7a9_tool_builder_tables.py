"""tool builder tables (the plugin's own migration branch)

Revision ID: 5b8e2d41c7a9
Revises:
Create Date: 2026-12-05 13:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b8e2d41c7a9"
down_revision = None
branch_labels = ("tool_builder",)
# the core's tables it points at (users)
depends_on = "3fb981dcecec"


def upgrade():
    op.create_table(
        "tool_builder_tools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_tool_builder_tools_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["retired_by_id"], ["users.id"], name=op.f("fk_tool_builder_tools_retired_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_builder_tools")),
        sa.UniqueConstraint("slug", name=op.f("uq_tool_builder_tools_slug")),
    )
    op.create_table(
        "tool_builder_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tool_builder_tools.id"],
            name=op.f("fk_tool_builder_versions_tool_id_tool_builder_tools"),
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_tool_builder_versions_saved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_tool_builder_versions_published_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_builder_versions")),
        sa.UniqueConstraint("tool_id", "number", name=op.f("uq_tool_builder_versions_tool_id")),
    )
    op.create_index(
        op.f("ix_tool_builder_versions_tool_id"), "tool_builder_versions", ["tool_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_tool_builder_versions_tool_id"), table_name="tool_builder_versions")
    op.drop_table("tool_builder_versions")
    op.drop_table("tool_builder_tools")
