"""Filters shared by the bounded lists: a month typed as ``YYYY-MM``, a contains search.

A list's filters are a CSRF-less FlaskForm read from the query string (a view can be
bookmarked). A malformed month is a field error shown in the GOV.UK error summary, and
the list is shown without that filter: never a 500.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import Response, request
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectChoice, SelectField, StringField, ValidationError

from portal.timeutil import first_of_month

MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds *text* anywhere, with LIKE's wildcards taken literally.

    Use it with ``escape="\\\\"``.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class MonthField(StringField):
    """A month typed as ``YYYY-MM`` (for example 2026-11); empty means no filter."""

    def __init__(self, label: str, **kwargs) -> None:
        kwargs.setdefault("widget", GovTextInput())
        kwargs.setdefault("description", "For example, 2026-11")
        super().__init__(label, **kwargs)
        self.month: date | None = None

    def pre_validate(self, form) -> None:
        """Read the month; a clear message when it is not a year and month."""
        self.month = None
        text = (self.data or "").strip()
        if not text:
            return
        found = MONTH.fullmatch(text)
        try:
            self.month = first_of_month(int(found[1]), int(found[2])) if found else None
        except ValueError:
            self.month = None
        if self.month is None:
            raise ValidationError(f"{self.label.text} must be a year and month, like 2026-11")


def month_after(first: date) -> date:
    """The first day of the month after the month starting on *first*."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def in_month(column, first: date, *, moment: bool = False):
    """A condition: *column* (a date, or a datetime when *moment*) falls in *first*'s month."""
    start, end = first, month_after(first)
    if moment:
        start, end = (
            datetime.combine(start, datetime.min.time()),
            datetime.combine(end, datetime.min.time()),
        )
    return (column >= start) & (column < end)


def choice_field(label: str, everything: str) -> SelectField:
    """A select filter whose first choice, *everything*, means no filter."""
    return SelectField(
        label,
        widget=GovSelect(),
        choices=[SelectChoice("", everything)],
        validate_choice=False,  # an unknown value is no filter (see chosen), not an error
    )


def chosen(field: SelectField) -> str:
    """The field's value when it is one of its choices, else "" (no filter)."""
    values = {str(choice.value) for choice in field.choices}
    return field.data if field.data in values else ""


def reload_whole_page() -> Response:
    """Answer an htmx request with a full page load of the same address.

    Used when a filter is malformed: the error summary sits at the top of the page,
    outside the results block htmx asked for.
    """
    return Response("", headers={"HX-Redirect": request.full_path})
