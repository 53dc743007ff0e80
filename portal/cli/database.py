"""The portal's commands on a database whose tables are not made yet: one clear line.

On a fresh database (or one a migration behind) a command that reads a table would stop
with an ``OperationalError`` traceback ("no such table" on SQLite, "relation ... does not
exist" on PostgreSQL). :func:`needs_tables` wraps each of the portal's commands so that
this error becomes the message to run the migrations, and a non-zero exit code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import DBAPIError

from portal.extensions import db

#: The SQLSTATE of "undefined table" on PostgreSQL.
UNDEFINED_TABLE = "42P01"
NO_TABLES = "The database has no portal tables yet: run `flask --app portal db upgrade` first."


def is_missing_table(error: DBAPIError) -> bool:
    """True when *error* says a table does not exist (SQLite or PostgreSQL)."""
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code == UNDEFINED_TABLE or "no such table" in str(original)


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(callback, "guarded", False):  # the commands are shared by every app made
        return callback

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except DBAPIError as error:
            if not is_missing_table(error):
                raise
            db.session.rollback()
            raise click.ClickException(NO_TABLES) from None

    run.guarded = True
    return run


def needs_tables(command: click.Command) -> click.Command:
    """Make *command* (and, for a group, each of its commands) answer a missing table with
    the message to run ``db upgrade`` and exit code 1, instead of a traceback."""
    if command.callback is not None:
        command.callback = _guarded(command.callback)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            needs_tables(sub)
    return command
