"""The QA & Learning Portal: create_app() builds the Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.auth import passwords
from portal.config import load_config
from portal.extensions import csrf, db, login_manager, migrate
from portal.logformat import configure_logging
from portal.plugins import PluginHost
from portal.schema import CORE_MIGRATIONS
from portal.urls import bound_ids


def create_app(test_config: dict | None = None) -> Flask:
    """Build the portal: configuration, extensions, plugins, blueprints and commands.

    *test_config* overrides the configuration read from the environment.
    """
    app = Flask(__name__, instance_relative_config=True)
    bound_ids(app.url_map)
    load_config(app, test_config)
    configure_logging(app)
    passwords.configure(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"])

    if app.config["PROXY_COUNT"] > 0:
        # The client's address and scheme as the configured proxies saw them (HSTS needs
        # the scheme); the Host header is not taken from them.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(CORE_MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)

    host = PluginHost()
    host.discover(app.config.get("PLUGIN_ENTRY_POINTS"))
    host.check_tables(
        [
            (mapper.class_.__module__, mapper.local_table.name)
            for mapper in db.Model.registry.mappers
        ]
    )
    app.extensions["portal.plugins"] = host
    _set_template_loader(app, host)

    from portal import access_log, auth, cli, web

    access_log.init_app(app)
    auth.init_app(app)
    web.init_app(app)
    host.register_blueprints(app)
    cli.init_app(app)
    if _runs_scheduler_in_process(app):
        from portal.scheduling.scheduler import start_scheduler

        start_scheduler(app)
    return app


def _runs_scheduler_in_process(app: Flask) -> bool:
    """True when this process should run the background jobs itself (development).

    Never in tests; under the reloader (``flask run --debug``) only in the child process
    that serves, not in the parent that watches the files.
    """
    if not app.config["SCHEDULER_IN_PROCESS"] or app.testing:
        return False
    return os.environ.get("WERKZEUG_RUN_MAIN") == "true" or not app.debug


def _set_template_loader(app: Flask, host: PluginHost) -> None:
    """Look for templates in the core, then in each plugin, then in the GOV.UK packages."""
    plugin_loaders = [
        FileSystemLoader(str(plugin.template_folder))
        for plugin in host.installed.values()
        if plugin.template_folder is not None
    ]
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(app.root_path) / "templates")),
            *plugin_loaders,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
