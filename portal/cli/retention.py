"""``flask --app portal retention list`` and ``retention erase --confirm``."""

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.retention import closed_on_or_before, due_cases, due_count, erase_due
from portal.timeutil import today_london, utcnow

retention_group = AppGroup(
    "retention", help="Erase closed cases' records once the council's retention period has run."
)

#: How many due cases ``retention list`` prints (the count is always the whole).
LIST_LIMIT = 200


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _today(given: str | None) -> date:
    return date.fromisoformat(given) if given else today_london()


TODAY_OPTION = click.option(
    "--today", metavar="YYYY-MM-DD", help="Take this day as today (to see what falls due then)."
)


@retention_group.command("list")
@TODAY_OPTION
def list_due(today: str | None) -> None:
    """Dry run: the cases whose records fall due for erasure; nothing is changed."""
    day = _today(today)
    years = current_app.config["RETENTION_YEARS_AFTER_CLOSURE"]
    total = due_count(day, years)
    click.echo(
        f"{total} cases closed on or before {_day(closed_on_or_before(day, years))} "
        f"({years} years) are due for erasure."
    )
    for case in db.session.scalars(due_cases(day, years).limit(LIST_LIMIT)):
        click.echo(f"  {case.reference}  closed {_day(case.closed_on)}")
    if total > LIST_LIMIT:
        click.echo(f"  ... and {total - LIST_LIMIT} more")


@retention_group.command("erase")
@TODAY_OPTION
@click.option("--confirm", is_flag=True, help="Erase: without it nothing is changed.")
def erase(today: str | None, confirm: bool) -> None:
    """Erase the records of every case due (see ``retention list``), keeping the counts the
    reports need; recorded in the activity history."""
    if not confirm:
        raise click.ClickException(
            "Nothing erased: run `retention list` to see what is due, then add --confirm."
        )
    day = _today(today)
    counts = erase_due(day, current_app.config["RETENTION_YEARS_AFTER_CLOSURE"], utcnow(), None)
    db.session.commit()
    if not counts:
        click.echo("No case is due for erasure.")
        return
    click.echo("Erased: " + ", ".join(f"{count} {what}" for what, count in counts.items()))
