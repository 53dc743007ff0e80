"""The portal's commands on a database without its tables (before ``db upgrade``): one
clear line telling what to run, a non-zero exit code, no traceback."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

MESSAGE = "run `flask --app portal db upgrade` first"


@pytest.fixture
def bare_app(test_database, tmp_path):
    """The portal on a database that exists but has no tables yet."""
    if test_database.kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        schema = None
    else:  # an empty schema of the run's database stands for a fresh database
        schema = f"fresh_{uuid.uuid4().hex[:8]}"
        engine = create_engine(test_database.url)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(test_database.url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ["plugins", "list"],
        ["plugins", "enable", "csc_audit"],
        ["jobs", "list"],
        ["selection", "run", "--month", "2099-01", "--dry-run"],
        ["report", "monthly", "--month", "2026-10", "--format", "json", "--output", "-"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_command_before_db_upgrade_says_to_run_it(bare_app, args):
    result = bare_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1, result.output
    assert MESSAGE in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # click's own exit, not an exception


def test_other_database_errors_are_not_hidden(app, runner, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from portal.cli import plugins

    def broken():
        raise OperationalError("SELECT 1", {}, Exception("the server went away"))

    monkeypatch.setattr(plugins, "plugin_host", broken)
    result = runner.invoke(args=["plugins", "list"])
    assert isinstance(result.exception, OperationalError)
    assert MESSAGE not in result.output
