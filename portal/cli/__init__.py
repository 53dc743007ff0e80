"""The portal's command-line interface: ``flask --app portal <command>``.

Every command answers a database without the portal's tables with the message to run
``flask --app portal db upgrade`` (see :mod:`portal.cli.database`).
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the portal's commands to the ``flask`` command."""
    from portal.cli import (
        backup,
        cases,
        demo,
        jobs,
        moderation,
        plugins,
        report,
        retention,
        selection,
        staff,
        users,
    )
    from portal.cli.database import needs_tables

    for command in (
        plugins.plugins_group,
        cases.cases_group,
        staff.staff_group,
        demo.seed_demo,
        users.create_user,
        selection.selection_group,
        jobs.jobs_group,
        jobs.scheduler_command,
        report.report_group,
        moderation.moderation_group,
        moderation.calibration_command,
        retention.retention_group,
    ):
        app.cli.add_command(needs_tables(command))
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
