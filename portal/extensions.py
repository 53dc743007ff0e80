"""The Flask extensions the portal uses, created unbound and initialised in create_app()."""

import sqlite3

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every table of the portal and of its plugins."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PortalSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy, with ``db.paginate`` reading ``?page=`` as :mod:`portal.paging`
    does: a number no database can take as an offset (2^63) is cut down, not a 500."""

    def paginate(self, select, *, page: int | None = None, **options):
        """:meth:`SQLAlchemy.paginate`, the page number bounded (see above)."""
        if page is None:
            from portal.paging import requested_page  # portal.paging imports this module

            page = requested_page()
        return super().paginate(select, page=page, **options)


db = PortalSQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Make SQLite enforce foreign keys and let readers work while a writer writes."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
