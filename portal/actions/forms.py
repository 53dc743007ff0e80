"""The filters of the action lists, read from the query string (a view can be bookmarked).

The fields are written out as GOV.UK markup by ``actions/_macros.html`` (``filter_form``).

The same form serves "My actions" and both lists of the sign-off page; the sign-off page's
second list gives its form a prefix ("team-status", "team-page") so the two lists keep
their own filters and pages in one address.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField

from portal.models import Priority

#: What the status filter may ask for: "open" takes in returned actions.
STATUS_CHOICES = [
    SelectChoice("all", "All statuses"),
    SelectChoice("open", "Open (and returned)"),
    SelectChoice("completed", "Completed, awaiting sign-off"),
    SelectChoice("signed_off", "Signed off"),
]


def month_value(month: date) -> str:
    """A month as the filter writes it: "2027-02"."""
    return f"{month.year:04d}-{month.month:02d}"


def month_choices(first: date | None, last: date | None) -> list[SelectChoice]:
    """ "Any month", then every month from *last* back to *first* ("February 2027")."""
    choices = [SelectChoice("", "Any month")]
    if first is None or last is None:
        return choices
    index = last.year * 12 + last.month - 1
    stop = first.year * 12 + first.month - 1
    while index >= stop:
        month = date(index // 12, index % 12 + 1, 1)
        choices.append(SelectChoice(month_value(month), f"{month:%B %Y}"))
        index -= 1
    return choices


class ActionFilterForm(FlaskForm):
    """Filters for a list of actions (no CSRF: reading a list changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_CHOICES, default="all")
    overdue = BooleanField("Overdue only")
    priority = SelectField(
        "Priority",
        choices=[SelectChoice("", "Any priority")]
        + [SelectChoice(priority.value, priority.label) for priority in Priority],
    )
    due = SelectField("Due in", choices=[SelectChoice("", "Any month")])
    service = SelectField("Service", choices=[SelectChoice("", "All services")])
    owner = SelectField("Owner", choices=[SelectChoice("", "Anyone")])

    def chosen(self, field: SelectField) -> str:
        """The field's value when it is one of its choices, else its default (no filter)."""
        values = {choice.value for choice in field.choices}
        return field.data if field.data in values else (field.default or "")

    def due_month(self) -> date | None:
        """The first day of the month asked for, or None for any month.

        Any well-formed month is accepted, even one outside the choices shown, so a
        bookmarked view keeps working.
        """
        text = self.due.data or ""
        year, _, month = text.partition("-")
        if not (year.isdigit() and month.isdigit() and len(year) == 4):
            return None
        if not 1 <= int(month) <= 12 or int(year) < 1:
            return None
        return date(int(year), int(month), 1)

    def filtered(self) -> bool:
        """True when any filter narrows the list."""
        return bool(
            self.chosen(self.status) != (self.status.default or "")
            or self.overdue.data
            or self.chosen(self.priority)
            or self.due_month()
            or self.chosen(self.service)
            or self.chosen(self.owner)
        )


class TeamFilterForm(ActionFilterForm):
    """Filters for the open actions of the people who report to a manager: open by default."""

    status = SelectField("Status", choices=STATUS_CHOICES, default="open")
