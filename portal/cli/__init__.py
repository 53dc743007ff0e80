"""The portal's command-line interface: ``flask --app portal <command>``."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the portal's commands to the ``flask`` command."""
    from portal.cli import plugins

    app.cli.add_command(plugins.plugins_group)
