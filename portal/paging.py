"""Bounded lists: one page of a query's rows, its count, and the GOV.UK pagination links.

Every list in the portal goes through :func:`paginate`, so a list never loads more than a
page of rows whatever the years of data behind it, and its filters stay in the query
string (a view can be bookmarked). A list's filter form and its links update the results
in place with htmx; :func:`wants_fragment` tells a view when to answer with the results
block alone rather than the whole page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from flask import request, url_for
from sqlalchemy import Select, func, select

from portal.extensions import db

T = TypeVar("T")

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, where it sits, and how many rows there are in all."""

    items: list[T]
    number: int
    pages: int
    total: int
    per_page: int
    arg: str = "page"  # the query argument that holds the page number

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list (1-based)."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The position of the page's last row in the whole list."""
        return self.first + len(self.items) - 1 if self.items else 0

    def caption(self, singular: str, plural: str) -> str:
        """Say "1–50 of 19,588 audits" when there are several pages, else "12 audits"."""
        noun = singular if self.total == 1 else plural
        if self.pages > 1:
            return f"{self.first:,}–{self.last:,} of {self.total:,} {noun}"
        return f"{self.total:,} {noun}"

    def govuk(self, link: Callable[[int], str] | None = None) -> dict | None:
        """Parameters for the GOV.UK pagination component; None when there is one page.

        *link* gives the address of a page number; by default the current address with
        the page's argument (``page``) changed, every filter and other list's page kept.
        """
        if self.pages <= 1:
            return None
        link = link or (lambda number: page_link(number, self.arg))

        def item(number: int) -> dict:
            return {"number": number, "href": link(number), "current": number == self.number}

        shown = sorted({1, self.number - 1, self.number, self.number + 1, self.pages})
        items: list[dict] = []
        previous = 0
        for number in (n for n in shown if 1 <= n <= self.pages):
            if number == previous + 2:
                items.append(item(previous + 1))  # an ellipsis would hide a single page
            elif number > previous + 2:
                items.append({"ellipsis": True})
            items.append(item(number))
            previous = number
        params: dict[str, Any] = {"items": items}
        if self.number > 1:
            params["previous"] = {"href": link(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": link(self.number + 1)}
        return params


def requested_page(arg: str = "page") -> int:
    """The page number asked for in the query string: 1 when missing, bad or below 1.

    Numbers too large for any database are cut down here; :func:`paginate` then clamps
    them to the last page.
    """
    text = request.args.get(arg, "")
    if not (text.isascii() and text.isdigit()):
        return 1
    return max(int(text), 1) if len(text) <= 9 else 10**9


def page_link(number: int, arg: str = "page") -> str:
    """The current list's address for page *number*, keeping every other query argument."""
    args = request.args.to_dict()
    args[arg] = str(number)
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def paginate(
    query: Select,
    *,
    per_page: int = PAGE_SIZE,
    arg: str = "page",
    scalars: bool = True,
) -> Page:
    """One page of *query* (already ordered), with the count of every row it matches.

    Two statements whatever the size of the list: ``COUNT(*)`` of the query, then the
    page's rows. A page number past the end shows the last page. With *scalars* false
    the rows are returned as tuples (for queries selecting several columns).
    """
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = total or 0
    pages = max(1, ceil(total / per_page))
    number = min(requested_page(arg), pages)
    bounded = query.limit(per_page).offset((number - 1) * per_page)
    result = db.session.scalars(bounded) if scalars else db.session.execute(bounded)
    items = list(result.unique() if scalars else result)
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page, arg=arg)


def page_of(items: Sequence[T], *, per_page: int = PAGE_SIZE, arg: str = "page") -> Page[T]:
    """One page of a list already in memory (say, a stored draw), numbered like :func:`paginate`."""
    total = len(items)
    pages = max(1, ceil(total / per_page))
    number = min(requested_page(arg), pages)
    start = (number - 1) * per_page
    return Page(
        items=list(items[start : start + per_page]),
        number=number,
        pages=pages,
        total=total,
        per_page=per_page,
        arg=arg,
    )


def wants_fragment(target_id: str) -> bool:
    """True when htmx asked for the block with id *target_id* only (a filter or page link).

    A request without htmx, or one aimed at another element, gets the whole page: every
    list works with scripts off.
    """
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == target_id
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
