"""``flask --app portal create-user``."""

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.activity import record
from portal.auth.passwords import hash_password, password_problem
from portal.extensions import db
from portal.models import Role, Team, User


def _valid_email(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The address in lower case, or a usage error saying what is wrong with it."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error)) from None


@click.command("create-user")
@click.option("--email", required=True, callback=_valid_email, help="Their email address.")
@click.option("--name", required=True, help='Their full name, such as "Ada Lovelace".')
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice([role.value for role in Role], case_sensitive=False),
    help="A role they hold; repeat the option for several.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Their password; asked for (hidden) when not given.",
)
@click.option("--team", default=None, help="The name of the team they work in.")
@with_appcontext
def create_user(
    email: str, name: str, roles: tuple[str, ...], password: str, team: str | None
) -> None:
    """Create a user account, such as the first administrator:

    \b
    flask --app portal create-user --email ada.lovelace@council.example \\
        --name "Ada Lovelace" --role admin
    """
    name = name.strip()
    if not name:
        raise click.ClickException("Give the user's name with --name.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise click.ClickException(f"A user with the email address {email} already exists.")
    problem = password_problem(password)
    if problem:
        raise click.ClickException(f"{problem}.")
    team_row = None
    if team is not None:
        team_row = db.session.scalar(select(Team).where(Team.name == team))
        if team_row is None:
            known = ", ".join(db.session.scalars(select(Team.name).order_by(Team.name))) or "none"
            raise click.ClickException(f"There is no team called {team!r}. Teams: {known}.")
    held = {Role(role) for role in roles}
    user = User(
        email=email,
        name=name,
        job_title=", ".join(role.label for role in sorted(held)),
        password_hash=hash_password(password),
        team=team_row,
    )
    user.set_roles(held)
    db.session.add(user)
    db.session.flush()
    role_values = sorted(role.value for role in held)
    record(
        "created",
        "user",
        user.id,
        actor_id=None,
        summary=f"User {email} created from the command line",
        after={"email": email, "name": name, "roles": role_values},
    )
    db.session.commit()
    click.echo(f"Created user {email} with roles: {', '.join(role_values)}")
