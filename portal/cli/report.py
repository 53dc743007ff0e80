"""``flask --app portal report monthly``: write a learning report to a file (PDF, CSV, ...)."""

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.reports.export import FORMATS
from portal.reports.monthly import (
    ReportMonthError,
    build_monthly_report,
    last_complete_month,
    parse_month,
)

report_group = AppGroup("report", help="The learning reports: write one to a file.")


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
    """Write the monthly learning report of MONTH to OUTPUT as PDF, CSV, Excel or JSON."""
    today = date.today()
    try:
        first = parse_month(month, today) if month is not None else last_complete_month(today)
    except ReportMonthError as error:
        raise click.BadParameter(str(error), param_hint="'--month'") from None
    with current_app.test_request_context():  # the PDF's template builds URLs
        report = build_monthly_report(first, today)
        content = FORMATS[extension].render(report)
    output.write_bytes(content)
    click.echo(f"Wrote the learning report for {first:%B %Y} to {output} ({len(content)} bytes)")
