"""Counting the SQL statements a page sends, for the tests that a page's SQL does not grow
with the data (the core's and the plugins')."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from portal.extensions import db


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The statements *app*'s database engine is sent inside the block, in order."""
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app: Flask, client, url: str, **request) -> int:
    """How many statements a GET of *url* sends (*request*: headers and the like); the page
    must answer 200."""
    with counted(app) as statements:
        response = client.get(url, **request)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)
