"""Numbers from URLs and forms, bounded to what the database can hold: a converter for
ids in paths, and :func:`database_int` for numbers in query strings and forms."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

#: The largest id any table can hold: PostgreSQL's ``integer`` (SQLite's is larger).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` for ids: 1 to 10 digits, at most :data:`MAX_ID`; anything else is 404.

    Werkzeug's own converter takes any number of digits, and a number the database cannot
    hold (2^63, say) made the query fail with a 500 instead of finding nothing.
    """

    regex = r"\d{1,10}"

    def __init__(self, url_map: Map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def bound_ids(url_map: Map) -> None:
    """Make ``<int:…>`` in every route (core and plugins) use :class:`DatabaseIdConverter`.

    Call before any blueprint is registered.
    """
    url_map.converters["int"] = DatabaseIdConverter


def database_int(text: str) -> int | None:
    """*text* as a whole number from 0 to :data:`MAX_ID` (ASCII digits only), else None."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
