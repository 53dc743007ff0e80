"""``flask --app portal report monthly|snapshot``: write a learning report to a file (PDF,
CSV, ...), or build and store a closed month's report."""

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.reports import snapshots
from portal.reports.export import FORMATS
from portal.reports.monthly import ReportMonthError, last_complete_month, parse_month
from portal.timeutil import today_london

report_group = AppGroup("report", help="The learning reports: write one to a file, or store one.")


def _month(text: str | None, today: date) -> date:
    try:
        return parse_month(text, today) if text is not None else last_complete_month(today)
    except ReportMonthError as error:
        raise click.BadParameter(str(error), param_hint="'--month'") from None


@report_group.command("monthly")
@click.option(
    "--month",
    default=None,
    help="The month to report on, as YYYY-MM (default: the last complete month).",
)
@click.option(
    "--format",
    "extension",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="The file format.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The file to write.",
)
def monthly(month: str | None, extension: str, output: Path) -> None:
    """Write the monthly learning report of MONTH to OUTPUT as PDF, CSV, Excel or JSON.

    A closed month's report is the stored one (stored now if it was not yet); the whole
    report, as the case-oversight roles read it.
    """
    today = today_london()
    first = _month(month, today)
    with current_app.test_request_context():  # the PDF's template builds URLs
        snapshot = snapshots.snapshot_for(first, today)
        if extension == "pdf":
            content = snapshots.pdf(snapshot, full=True)
        else:
            content = FORMATS[extension].render(snapshots.report_of(snapshot))
    output.write_bytes(content)
    click.echo(f"Wrote the learning report for {first:%B %Y} to {output} ({len(content)} bytes)")


@report_group.command("snapshot")
@click.option(
    "--month",
    default=None,
    help="The closed month to store, as YYYY-MM (default: the last complete month).",
)
@click.option("--rebuild", is_flag=True, help="Build it again even if it is stored already.")
@click.option("--reason", default="", help="Why it is rebuilt (required with --rebuild).")
def snapshot(month: str | None, rebuild: bool, reason: str) -> None:
    """Build and store the learning report of a closed MONTH (data and PDFs), or rebuild it."""
    today = today_london()
    first = _month(month, today)
    if rebuild and not reason.strip():
        raise click.BadParameter("give the reason for rebuilding", param_hint="'--reason'")
    try:
        with current_app.test_request_context():
            stored, built = snapshots.build_closed(
                first, today, by=None, rebuild=rebuild, reason=reason
            )
    except snapshots.SnapshotError as error:
        raise click.BadParameter(str(error), param_hint="'--month'") from None
    if built:
        click.echo(f"Stored the learning report of {first:%B %Y}. {stored.note}".strip())
    else:
        click.echo(
            f"The learning report of {first:%B %Y} was stored already "
            f"({snapshots.about(stored)['line']}); use --rebuild --reason to build it again."
        )
