"""``flask --app portal staff import FILE.csv``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.staff.importer import import_staff_file

staff_group = AppGroup("staff", help="Work with the staff directory.")


@staff_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--deactivate-missing",
    is_flag=True,
    help="The file is the whole directory: deactivate anyone not in it (not administrators).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would do.")
def import_staff(path: Path, deactivate_missing: bool, dry_run: bool) -> None:
    """Import the staff directory's CSV export at PATH: create, update and deactivate people.

    A file with any bad row imports nothing: every error is printed with its line number
    and the command exits with status 1. The leavers' open audits and actions are listed.
    """
    report = import_staff_file(
        db.session,
        path.read_bytes(),
        path.name,
        actor_id=None,
        deactivate_missing=deactivate_missing,
        dry_run=dry_run,
    )
    if report.errors:
        db.session.rollback()
        for error in report.errors:
            click.echo(str(error), err=True)
        click.echo(f"Nothing was imported: {report.bad_line_count} rows have errors.", err=True)
        raise click.exceptions.Exit(1)
    if dry_run:
        db.session.rollback()
        click.echo(
            f"Checked {report.file_name}, nothing imported: it would make {report.summary()}."
        )
    else:
        db.session.commit()
        click.echo(f"Imported {report.file_name}: {report.summary()}.")
    for work in report.leavers:
        audits = ", ".join(str(audit_id) for audit_id, _ in work.audits) or "none"
        actions = ", ".join(map(str, work.actions)) or "none"
        click.echo(f"To reallocate from {work.name}: audits {audits}; actions {actions}.")
