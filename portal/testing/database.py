"""Real test databases: a migrated SQLite file or a fresh PostgreSQL database per run."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class TestDatabase:
    """One database for a test run, migrated once; each test gets it empty."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind = kind
        self.workdir = workdir
        self.url = ""
        self._template: Path | None = None
        self._copies = 0

    def create(self) -> str:
        """Create the empty database and return its URL (not yet migrated)."""
        if self.kind == "sqlite":
            self._template = self.workdir / "template.sqlite3"
            self.url = f"sqlite:///{self.workdir / 'portal.sqlite3'}"
            return self.url
        admin_url = make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
        name = f"qa_portal_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.url = admin_url.set(database=name).render_as_string(hide_password=False)
        return self.url

    def snapshot(self) -> None:
        """Remember the freshly migrated state, to go back to before every test."""
        if self.kind == "sqlite":
            shutil.copyfile(make_url(self.url).database, self._template)

    def fresh(self) -> str:
        """The URL of an empty, migrated database for one test.

        SQLite: a new copy of the migrated file, so no connection left open by an earlier
        test can see it. PostgreSQL: the run's database with every table emptied (the
        activity history included) and the counters restarted.
        """
        if self.kind == "sqlite":
            self._copies += 1
            copy = self.workdir / f"test-{self._copies}.sqlite3"
            shutil.copyfile(self._template, copy)
            return f"sqlite:///{copy}"
        engine = create_engine(self.url)
        with engine.begin() as connection:
            tables = [
                name for name in inspect(connection).get_table_names() if name != "alembic_version"
            ]
            if tables:
                quoted = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return self.url

    def drop(self) -> None:
        """Remove the database at the end of the run."""
        if self.kind == "sqlite":
            return
        admin_url = make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
        name = make_url(self.url).database
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def postgres_available() -> str | None:
    """None when the test PostgreSQL server answers, else the reason it does not."""
    admin_url = make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    try:
        engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "not available"
        return f"PostgreSQL is not reachable at {admin_url.render_as_string()}: {error}"
    return None
