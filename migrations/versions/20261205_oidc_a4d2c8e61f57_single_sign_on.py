"""single sign-on: the OpenID subject and last ID token of a user, roles granted from the
directory's groups (user_roles.from_directory) and the group-to-role mapping

Revision ID: a4d2c8e61f57
Revises: e1a5c0d7f392
Create Date: 2026-12-05 13:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a4d2c8e61f57"
down_revision = "e1a5c0d7f392"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("oidc_id_token", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_oidc_subject"), ["oidc_subject"])
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("from_directory", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "sign_on_group_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_sign_on_group_roles_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_on_group_roles")),
        sa.UniqueConstraint("group", "role", name="uq_sign_on_group_role"),
    )
    with op.batch_alter_table("sign_on_group_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_on_group_roles_group"), ["group"], unique=False)


def downgrade():
    with op.batch_alter_table("sign_on_group_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_on_group_roles_group"))
    op.drop_table("sign_on_group_roles")
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_column("from_directory")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_oidc_subject"), type_="unique")
        batch_op.drop_column("oidc_id_token")
        batch_op.drop_column("oidc_subject")
