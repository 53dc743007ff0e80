"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays come from the maintained ``holidays`` package (England's list, which
Wales shares), never from a list written here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """True on a weekday that is not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date *days* working days after *start* (``start`` itself does not count).

    ``add_working_days(Friday, 1)`` is the next Monday, or Tuesday after a bank holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days come after *start* up to and including *end* (0 if end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
