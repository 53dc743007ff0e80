"""``flask --app portal backup DEST_DIR`` and ``flask --app portal restore BACKUP_DIR``.

Neither is wrapped in :func:`portal.cli.database.needs_tables`: a restore runs on a database
with no tables, and both say plainly what is wrong instead.
"""

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from portal.backup import BackupError, make_backup, restore_backup
from portal.extensions import db, migrate


@click.command("backup")
@click.argument("dest_dir", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(dest_dir: str) -> None:
    """Back up the database and the instance folder's files into DEST_DIR (a new folder)."""
    db.engine.dispose()  # no pooled connection of ours holds the SQLite file meanwhile
    try:
        manifest = make_backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.instance_path, dest_dir
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up the {manifest.database} database (revisions {', '.join(manifest.revisions)}) "
        f"and {len(manifest.files) - 1} other files to {dest_dir}."
    )


@click.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(backup_dir: str) -> None:
    """Restore BACKUP_DIR into the configured database, which must be empty, and copy its
    files back into the instance folder."""
    db.engine.dispose()
    script = ScriptDirectory.from_config(migrate.get_config())
    try:
        manifest = restore_backup(
            backup_dir,
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            current_app.instance_path,
            script,
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored the backup of {manifest.created_at} (revisions {', '.join(manifest.revisions)})."
    )
