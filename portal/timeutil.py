"""Time helpers: the database keeps naive UTC; people read Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime, the form every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def today_london() -> date:
    """Today's date in the UK, whatever the server's time zone."""
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
