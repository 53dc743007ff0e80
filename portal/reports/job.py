"""The background job that stores the month just closed: ``core.snapshot_report``."""

from __future__ import annotations

from datetime import date

from flask import current_app

from portal.activity import record
from portal.reports.monthly import add_months, month_key
from portal.reports.snapshots import build_closed
from portal.scheduling.service import first_working_day

JOB_ID = "core.snapshot_report"


def snapshot_period(today: date) -> str:
    """The month to store (``2026-11``) on the first working day of the next, else the day.

    A run on any other day does nothing, and must not use up the month's one run.
    """
    if today == first_working_day(today.replace(day=1)):
        return month_key(add_months(today, -1))
    return today.isoformat()


def snapshot_report(today: date) -> str:
    """On the first working day of a month, build and store last month's learning report
    (its data and both PDFs); on other days, or when it is stored already, do nothing
    more than render a PDF still missing."""
    first = first_working_day(today.replace(day=1))
    if today != first:
        upcoming = first if first > today else first_working_day(add_months(today, 1))
        return f"Nothing to do: the next report is stored on {upcoming:%-d %B %Y}"
    month = add_months(today, -1)
    with current_app.test_request_context():  # the PDF's template builds URLs
        _snapshot, built = build_closed(month, today, by=None)
    if not built:
        return f"Nothing to do: the report of {month:%B %Y} is stored already"
    result = f"Stored the learning report of {month:%B %Y}, with its PDFs"
    record("ran", "job", JOB_ID, actor_id=None, summary=result)
    return result
