"""``flask --app portal seed-demo``."""

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill the database with a realistic demo council (safe to run again)."""
    raise click.ClickException("not written yet")
