"""``flask --app portal selection run --month YYYY-MM [--seed N] [--dry-run] [--format ...]``."""

import json

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.scheduling import service
from portal.scheduling.service import SelectionError
from portal.timeutil import today_london

selection_group = AppGroup("selection", help="The monthly random selection of cases to audit.")


def _text(result: dict, confirmed: bool) -> str:
    lines = [f"Selection for {result['month']} (seed {result['seed']})"]
    if result["theme"]:
        lines.append(f"Theme: {result['theme']}")
    for item in result["allocations"]:
        lines.append(
            f"  {item['case_ref']:<12} {item['process']:<18} {item['auditor_email']:<40} "
            f"due {item['due_date']}"
        )
    for shortfall in result["shortfalls"]:
        lines.append(
            f"  SHORT {shortfall['quota']}: {shortfall['got']} of {shortfall['wanted']}. "
            f"{shortfall['reason']}"
        )
    count = len(result["allocations"])
    lines.append(f"{count} audits {'allocated' if confirmed else 'drawn (nothing saved)'}.")
    return "\n".join(lines)


@selection_group.command("run")
@click.option("--month", required=True, help="The month to draw, as YYYY-MM.")
@click.option("--seed", default=None, help="A whole number; the same seed gives the same draw.")
@click.option("--dry-run", is_flag=True, help="Show the draw without saving anything.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def run_selection(month: str, seed: str | None, dry_run: bool, output: str) -> None:
    """Draw the month's audits and allocate them (or only show them, with --dry-run)."""
    today = today_london()
    try:
        first = service.parse_month(month)
        number = service.parse_seed(seed)
        service.check_month(first, today)
        if dry_run:
            result = service.run_draw(first, number, today)
        else:
            selection = service.preview(first, number, None, today)
            service.confirm(selection, None, today)
            result = selection.draw
            db.session.commit()
    except SelectionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    if output == "json":  # the whole draw: month, seed, theme, allocations and shortfalls
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(_text(result, confirmed=not dry_run))
