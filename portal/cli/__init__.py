"""The portal's command-line interface: ``flask --app portal <command>``."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the portal's commands to the ``flask`` command."""
    from portal.cli import cases, demo, jobs, moderation, plugins, report, selection, staff, users

    app.cli.add_command(plugins.plugins_group)
    app.cli.add_command(cases.cases_group)
    app.cli.add_command(staff.staff_group)
    app.cli.add_command(demo.seed_demo)
    app.cli.add_command(users.create_user)
    app.cli.add_command(selection.selection_group)
    app.cli.add_command(jobs.jobs_group)
    app.cli.add_command(jobs.scheduler_command)
    app.cli.add_command(report.report_group)
    app.cli.add_command(moderation.moderation_group)
    app.cli.add_command(moderation.calibration_command)
