"""``flask --app portal seed-demo``."""

import click
from flask.cli import with_appcontext

from portal.demo import describe_report, seed_demo_council


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill the database with a realistic demo council (safe to run again)."""
    report = seed_demo_council()
    for line in describe_report(report):
        click.echo(line)
