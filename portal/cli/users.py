"""``flask --app portal create-user``."""

import click


@click.command("create-user")
def create_user() -> None:
    """Create a user account, such as the first administrator."""
    raise click.ClickException("not written yet")
