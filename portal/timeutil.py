"""Time helpers: the database keeps naive UTC; people read Europe/London."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime, the form every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_london(moment: datetime) -> datetime:
    """Convert a naive UTC datetime from the database to local (Europe/London) time."""
    return moment.replace(tzinfo=UTC).astimezone(LONDON)
