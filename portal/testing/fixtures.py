"""pytest fixtures for the portal and its plugins: app, client, runner, world, login."""

from __future__ import annotations

import os
import re

import flask_migrate
import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from portal import create_app
from portal.extensions import db
from portal.testing.ci import in_ci
from portal.testing.database import TestDatabase, postgres_available
from portal.testing.ldap import ldap_server  # noqa: F401  (a fixture for every test)
from portal.testing.oidc import oidc_provider  # noqa: F401  (a fixture for every test)
from portal.testing.smtp import smtp_server  # noqa: F401  (a fixture for every test)
from portal.testing.world import TEST_PASSWORD, World, build_world

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run, shared by every test's app.

    Each test builds its own application and so its own Jinja environment; without this,
    every test would compile the GOV.UK macros again.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("PORTAL_TEST_DATABASE", "sqlite"),
        help="run the suite against SQLite (default) or a fresh PostgreSQL database",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: needs PostgreSQL; left out (deselected) of the SQLite run"
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"portal test database: {config.getoption('--database')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the tests marked ``postgresql`` out of the SQLite run: deselected, not skipped,
    since under CI a skip fails the run (the PostgreSQL run, where they belong, runs them)."""
    if config.getoption("--database") != "sqlite":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test is a failure: the PostgreSQL and browser runs are mandatory."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if in_ci() and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line(
            f"CI: {len(reporter.stats['skipped'])} tests were skipped; under CI that is a failure",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class PortalClient(FlaskClient):
    """A test client that can fetch the CSRF token every form carries."""

    def csrf_token(self) -> str:
        """The CSRF token of the current session, read from a page as a browser would."""
        response = self.get("/login", follow_redirects=True)
        match = CSRF_META.search(response.get_data(as_text=True))
        assert match, "no CSRF token in the page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        """POST *data* to *url* with the session's CSRF token, as the page's form would."""
        return self.post(url, data={**(data or {}), "csrf_token": self.csrf_token()}, **kwargs)


@pytest.fixture(scope="session")
def test_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A real database for the run, migrated with ``flask db upgrade`` once."""
    kind = request.config.getoption("--database")
    if kind == "postgresql":
        reason = postgres_available()
        if reason:
            if in_ci():
                pytest.fail(reason)
            pytest.skip(reason)
    database = TestDatabase(kind, tmp_path_factory.mktemp("database"))
    url = database.create()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        db.engine.dispose()
    database.snapshot()
    yield database
    database.drop()


@pytest.fixture
def app(test_database: TestDatabase):
    """The portal, on a freshly emptied database, with test configuration."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": test_database.fresh(),
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": None,
            # still Argon2id, at a cost that lets hundreds of tests sign in
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
            # figures counted afresh on every page, as a test changes the data between them
            "HOME_FIGURES_SECONDS": 0,
        }
    )
    application.test_client_class = PortalClient
    application.jinja_env.bytecode_cache = TEMPLATE_CACHE
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> PortalClient:
    """A test client for the portal."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the ``flask`` command-line interface."""
    return app.test_cli_runner()


@pytest.fixture
def world(app) -> World:
    """The small test council (one person per role), built in the test database."""
    with app.app_context():
        return build_world()


@pytest.fixture
def enable_plugins(app):
    """Enable the named plugins (all of them when called with none)."""

    def enable(*keys: str) -> None:
        with app.app_context():
            host = app.extensions["portal.plugins"]
            for key in keys or tuple(host.installed):
                host.set_enabled(key, True, actor_id=None)
            db.session.commit()

    return enable


def login(client: PortalClient, email: str, password: str = TEST_PASSWORD):
    """Sign *email* in through the real sign-in form; return the response."""
    token = client.csrf_token()
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client: PortalClient, world: World):
    """Sign in as one of the world's people by short name: ``login_as("qa_lead")``."""

    def sign_in(short_name: str) -> PortalClient:
        response = login(client, world.emails[short_name])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return sign_in
