"""``flask --app portal cases import FILE.csv``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.cases.importer import import_case_file
from portal.extensions import db

cases_group = AppGroup("cases", help="Work with the cases imported from the case system.")


@cases_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_cases(path: Path) -> None:
    """Import the case system's CSV export at PATH, creating and updating cases.

    A file with any bad row imports nothing: every error is printed with its line number
    and the command exits with status 1.
    """
    report = import_case_file(db.session, path.read_bytes(), path.name, actor_id=None)
    if report.errors:
        db.session.rollback()
        for error in report.errors:
            click.echo(str(error), err=True)
        count = report.bad_line_count
        rows = "1 row has" if count == 1 else f"{count} rows have"
        click.echo(f"Nothing was imported: {rows} errors.", err=True)
        raise click.exceptions.Exit(1)
    db.session.commit()
    click.echo(f"Imported {report.file_name}: {report.counts}.")
