"""Counting the SQL statements a page sends, for the tests that a list stays bounded."""

from sqlalchemy import event

from portal.extensions import db


def statements_for(app, client, url: str) -> int:
    """How many SQL statements the page at *url* sends (it must answer 200)."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_connection, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)
