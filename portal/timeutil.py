"""Time helpers: the database keeps naive UTC; people read Europe/London."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
#: A date written the ISO way, alone: "2027-02-01".
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime, the form every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def today_london() -> date:
    """Today's date in the UK, whatever the server's time zone (for views: rules take it
    as an argument)."""
    return datetime.now(LONDON).date()


def to_london(moment: datetime) -> datetime:
    """Convert a naive UTC datetime from the database to local (Europe/London) time."""
    return moment.replace(tzinfo=UTC).astimezone(LONDON)


#: The years a month typed into a page or a URL may be in; outside them (year 0, 9999-12
#: and the month after it) date arithmetic would fail, so they are refused at the door.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def first_of_month(year: int, month: int) -> date:
    """The first day of *month* of *year*; ``ValueError`` for a month that is not 1 to 12
    or a year outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR} to {LAST_YEAR}")
    return date(year, month, 1)


def govuk_date(value: date | datetime | str | None) -> str:
    """A date as GOV.UK style writes it for people: "1 February 2027".

    Takes a date, a datetime (its date, as it is: convert a stored UTC time with
    :func:`to_london` first) or an ISO date string such as ``2027-02-01`` (an answer or a
    history value stored as text); any other text comes back unchanged, None as "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        if not ISO_DATE.match(text):
            return value
        try:
            value = date.fromisoformat(text)
        except ValueError:  # 2027-02-30
            return text
    return f"{value.day} {value:%B %Y}"
