"""Schema migrations: the core's Alembic history, plus one branch for each plugin that has
tables of its own (its ``migrations/versions`` folder, its key as the branch label).

With plugin branches there is more than one head, so ``flask --app portal db upgrade``
upgrades every head ("heads") unless told otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic.config import Config
from flask import current_app
from flask_migrate.cli import db as db_commands

from portal.extensions import migrate

CORE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def plugin_version_folders() -> list[Path]:
    """The ``migrations/versions`` folder of every installed plugin that has one."""
    host = current_app.extensions["portal.plugins"]
    return [
        plugin.package_dir / "migrations" / "versions"
        for _, plugin in sorted(host.installed.items())
        if (plugin.package_dir / "migrations" / "versions").is_dir()
    ]


@migrate.configure
def add_plugin_branches(config: Config) -> Config:
    """Tell Alembic where the plugins' migrations are, beside the core's."""
    folders = [CORE_MIGRATIONS / "versions", *plugin_version_folders()]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    return config


for _param in db_commands.commands["upgrade"].params:
    if _param.name == "revision":
        _param.default = "heads"  # the core and every plugin branch
