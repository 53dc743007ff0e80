"""Moderation data for analysts and BI tools.

``flask --app portal moderation export --from YYYY-MM --to YYYY-MM --format csv [--output FILE]``
``flask --app portal calibration --from YYYY-MM --to YYYY-MM --format json``
"""

from __future__ import annotations

import csv
import io
import json

import click
from flask.cli import AppGroup, with_appcontext

from portal.moderation.calibration import Group, Period, PeriodError, leaning
from portal.moderation.pairs import CalibrationReport, calibration_report, moderation_pairs

moderation_group = AppGroup("moderation", help="Moderation of submitted audits.")

EXPORT_COLUMNS = (
    "audit_id",
    "process",
    "auditor_email",
    "auditor_grade",
    "moderator_email",
    "moderated_grade",
    "agreed",
)


def _period(first: str, last: str) -> Period:
    try:
        return Period.parse(first, last)
    except PeriodError as error:
        hint = " / ".join(f"--{name}" for name in error.problems)
        raise click.BadParameter(str(error), param_hint=hint) from None


def export_csv(period: Period) -> str:
    """The moderations of *period* as CSV: one row per moderated audit and auditor named.

    *process* is the process key; *agreed* is "yes" when the moderator kept the grade.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in moderation_pairs(period.start, period.end):
        writer.writerow(
            (
                row.audit_id,
                row.process_key,
                row.auditor_email or "",
                row.grade_a,
                row.other_email,
                row.grade_b,
                "yes" if row.grade_a == row.grade_b else "no",
            )
        )
    return buffer.getvalue()


@moderation_group.command("export")
@click.option("--from", "first", required=True, help="The first month, as YYYY-MM.")
@click.option("--to", "last", required=True, help="The last month, as YYYY-MM.")
@click.option("--format", "output_format", type=click.Choice(["csv"]), default="csv")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of the standard output.",
)
def export_command(first: str, last: str, output_format: str, output: str | None) -> None:
    """Export the moderations made in the months --from to --to, one row per audit and auditor."""
    text = export_csv(_period(first, last))
    if output is None:
        click.echo(text, nl=False)
        return
    with open(output, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    rows = text.count("\n") - 1
    click.echo(f"Wrote {rows} row{'' if rows == 1 else 's'} to {output}.", err=True)


def _text_line(group: Group) -> str:
    kappa = "not defined" if group.weighted_kappa is None else f"{group.weighted_kappa:.2f}"
    agreement = "-" if group.exact_agreement is None else f"{group.exact_agreement:.0%}"
    flag = "  (too few pairs)" if group.too_few else ""
    pairs = f"{group.pairs} pair{'' if group.pairs == 1 else 's'}"
    return f"  {group.name:<40} {pairs:>10}  {agreement:>5}  kappa {kappa}{flag}"


def calibration_text(report: CalibrationReport) -> str:
    """The report as lines for a terminal."""
    overall = report.overall
    lines = [
        f"Calibration, {report.period.label}",
        _text_line(overall),
        f"  {overall.reading}",
        f"  {leaning(overall.direction)}",
    ]
    if overall.warning:
        lines.append(f"  Warning: {overall.warning}")
    for kind, heading in (
        ("auditor", "Auditors"),
        ("team", "Teams"),
        ("process", "Audit processes"),
        ("joint", "Joint audits"),
    ):
        lines.append(heading)
        lines += [_text_line(group) for group in report.of_kind(kind)]
    return "\n".join(lines)


@click.command("calibration")
@click.option("--from", "first", required=True, help="The first month, as YYYY-MM.")
@click.option("--to", "last", required=True, help="The last month, as YYYY-MM.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json")
@with_appcontext
def calibration_command(first: str, last: str, output_format: str) -> None:
    """Agreement between auditors' and moderators' grades per auditor, team and process.

    In JSON, each entry has pairs, exact_agreement and weighted_kappa (null when not
    defined), direction, reading and warning; "key" is the auditor's email, the team's
    name or the process key.
    """
    report = calibration_report(_period(first, last))
    if output_format == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(calibration_text(report))
