"""How urgent an unanswered safeguarding concern is: a response is due by the end of the
next working day after it was raised (England and Wales bank holidays count as not
working), and it is overdue after that.

Pure rules: *today* is always an argument, never read from the clock here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.scheduling.working_days import add_working_days
from portal.timeutil import govuk_date, to_london

#: Working days after the day a concern is raised by which it must be answered.
RESPONSE_WORKING_DAYS = 1


@dataclass(frozen=True)
class Urgency:
    """A flag for an open concern: its words, the GOV.UK tag colour, the due date."""

    label: str
    colour: str
    due: date
    overdue: bool


def response_due(raised_at: datetime) -> date:
    """The day by which a concern raised at *raised_at* (naive UTC) must be answered: the
    next working day after the UK day it was raised on."""
    return add_working_days(to_london(raised_at).date(), RESPONSE_WORKING_DAYS)


def urgency(raised_at: datetime, responded_at: datetime | None, today: date) -> Urgency | None:
    """The flag of a concern raised at *raised_at* as it stands on *today*; None once answered."""
    if responded_at is not None:
        return None
    due = response_due(raised_at)
    if today > due:
        return Urgency(f"Overdue: response was due {govuk_date(due)}", "red", due, True)
    if today == due:
        return Urgency("Response due today", "orange", due, False)
    return Urgency(f"Response due {govuk_date(due)}", "yellow", due, False)
