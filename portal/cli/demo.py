"""``flask --app portal seed-demo``."""

from datetime import datetime

import click
from flask.cli import with_appcontext

from portal.demo import describe_report, seed_demo_council
from portal.demo_circulation import describe_circulation, seed_circulation
from portal.demo_history import describe_history, seed_audit_history
from portal.timeutil import LONDON


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill the database with a realistic demo council, a year of its audit history, and
    the QA lead's distribution lists and draft commentary (safe to run again)."""
    today = datetime.now(LONDON).date()
    report = seed_demo_council(today)
    for line in describe_report(report):
        click.echo(line)
    for line in describe_history(seed_audit_history(today)):
        click.echo(line)
    for line in describe_circulation(seed_circulation(today)):
        click.echo(line)
