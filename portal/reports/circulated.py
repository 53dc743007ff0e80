"""The monthly learning report as a circulated report (``portal.circulation``): its
approved commentary in every output, and the anonymised PDF that is emailed."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from portal.circulation.commentary import approved_commentary
from portal.hookspecs import CirculatedReport
from portal.reports import CIRCULATION_KIND, snapshots
from portal.reports.export import report_title
from portal.reports.monthly import month_from_key, month_key, parse_month

KIND = CIRCULATION_KIND


def with_commentary(report: dict[str, Any]) -> dict[str, Any]:
    """*report* with its approved commentary under ``commentary`` (None when there is none)."""
    return {**report, "commentary": approved_commentary(KIND, report["month"])}


def _pdf(period: str, today: date) -> bytes:
    snapshot = snapshots.snapshot_for(month_from_key(period), today)
    return snapshots.pdf(snapshot, full=False)


def _approved(period: str) -> None:
    """The stored PDFs do not show the commentary yet: render them again when next asked."""
    snapshot = snapshots.find(month_from_key(period))
    if snapshot is not None:
        snapshot.pdf_full = snapshot.pdf_anonymised = None


MONTHLY = CirculatedReport(
    kind=KIND,
    parse_period=lambda text, today: month_key(parse_month(text, today)),
    title=lambda period: report_title({"month": period}),
    is_over=lambda period, today: snapshots.is_closed(month_from_key(period), today),
    page_url=lambda period: url_for("reports.monthly", month=period),
    pdf=_pdf,
    approved=_approved,
)
