"""Stored learning reports: a closed month's report is built once and served as stored.

- A **closed** month (before today's) is built once and kept as a
  :class:`~portal.models.ReportSnapshot`: by the ``core.snapshot_report`` job on the
  first working day of the next month, by ``flask --app portal report snapshot``, by the
  QA lead's button, or on the first request that finds none (months from before the
  portal kept snapshots). It then never changes, whatever happens to plugins, cases or
  moderations, unless the QA lead rebuilds it with a reason.
- The **current** month is built live, stored as a provisional snapshot and reused by
  every worker for ``REPORT_LIVE_MINUTES`` (10 by default), then built again.

The data is stored whole (every reference and summary): :mod:`portal.reports.readers`
filters it for each reader when it is served. Of the PDF two are kept, the full one and
the anonymised one, each rendered once when first needed (at once by the job, the command
and the button), with the commentary approved by then; approving it drops them, so they
are rendered again with it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import extract, func, select
from sqlalchemy.exc import IntegrityError

from portal.activity import record
from portal.audits.cancel import of_plugin
from portal.circulation.commentary import approved_commentary
from portal.extensions import db
from portal.models import Audit, ReportSnapshot, User
from portal.reports import CIRCULATION_KIND, readers
from portal.reports.export import to_pdf
from portal.reports.monthly import build_monthly_report, json_document, month_key
from portal.reports.sections import ReportSection, ReportTable
from portal.timeutil import to_london, utcnow

#: How many minutes a provisional build of the current month is reused, by default.
LIVE_MINUTES = 10
#: The longest reason the QA lead may give for a rebuild.
REASON_LIMIT = 500


class SnapshotError(ValueError):
    """A snapshot that cannot be built as asked; the message says why."""


def is_closed(month: date, today: date) -> bool:
    """True when *month* ended before *today*."""
    return month.replace(day=1) < today.replace(day=1)


# Stored form -----------------------------------------------------------------------------


def stored_form(report: dict[str, Any]) -> dict[str, Any]:
    """*report* as JSON-safe data: its JSON document and the plugins' sections as dicts."""
    return {
        **json_document(report),
        "plugin_sections": [asdict(section) for section in report["plugin_sections"]],
    }


def _section(data: dict[str, Any]) -> ReportSection:
    return ReportSection(
        key=data["key"],
        title=data["title"],
        summary=data["summary"],
        tables=tuple(
            ReportTable(
                title=table["title"],
                head=tuple(table["head"]),
                rows=tuple(tuple(row) for row in table["rows"]),
            )
            for table in data["tables"]
        ),
        data=data["data"],
    )


def report_of(snapshot: ReportSnapshot) -> dict[str, Any]:
    """The whole report stored in *snapshot*, as :func:`build_monthly_report` returned it,
    with what is known of the build under ``snapshot`` (see :func:`about`)."""
    data = snapshot.data
    return {
        "reaudits": [],  # not stored in the reports of the months before it was reported
        **data,
        "plugin_sections": [_section(section) for section in data["plugin_sections"]],
        "snapshot": about(snapshot),
    }


def rebuilt_note(when: date, who: User | None, reason: str) -> str:
    """``Rebuilt on 4 December 2026 by Quinn Lead: <reason>``."""
    by = f"by {who.name}" if who is not None else "from the command line"
    return f"Rebuilt on {when:%-d %B %Y} {by}: {reason}"


def about(snapshot: ReportSnapshot) -> dict[str, Any]:
    """When the report was built, whether it is provisional and the rebuild note: the
    ``snapshot`` key of the JSON, and the line the page and the PDF show."""
    built = to_london(snapshot.built_at)
    if snapshot.provisional:
        line = f"Provisional: figures as at {built:%H:%M} on {built:%-d %B %Y}"
    else:
        line = f"This report was built on {built:%-d %B %Y}"
    return {
        "built_at": built.isoformat(timespec="seconds"),
        "provisional": snapshot.provisional,
        "note": snapshot.note or None,
        "line": line,
    }


# Finding and building ----------------------------------------------------------------


def find(month: date) -> ReportSnapshot | None:
    """The stored snapshot of *month*, or None."""
    return db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.month == month))


def _store(
    month: date,
    today: date,
    snapshot: ReportSnapshot | None,
    *,
    built_by: User | None = None,
    note: str = "",
) -> ReportSnapshot:
    """Build *month*'s report and store it in *snapshot* (a new one when None); commit.

    When another worker stored the month first, its snapshot is the one returned.
    """
    data = stored_form(build_monthly_report(month, today))
    if snapshot is None:
        snapshot = ReportSnapshot(month=month)
        db.session.add(snapshot)
    snapshot.data = data
    snapshot.provisional = not is_closed(month, today)
    snapshot.pdf_full = snapshot.pdf_anonymised = None
    snapshot.built_at = utcnow()
    snapshot.built_by_id = built_by.id if built_by is not None else None
    snapshot.note = note
    try:
        db.session.commit()
    except IntegrityError:  # another worker stored it first: theirs stands
        db.session.rollback()
        snapshot = find(month)
    return snapshot


def snapshot_for(month: date, today: date) -> ReportSnapshot:
    """The snapshot to serve for *month*: a closed month's stored one (built now if there
    is none yet), or a provisional build of the current month younger than
    ``REPORT_LIVE_MINUTES`` (built again when older)."""
    month = month.replace(day=1)
    snapshot = find(month)
    if is_closed(month, today):
        if snapshot is not None and not snapshot.provisional:
            return snapshot
        return _store(month, today, snapshot)
    minutes = current_app.config.get("REPORT_LIVE_MINUTES", LIVE_MINUTES)
    if snapshot is not None and snapshot.built_at >= utcnow() - timedelta(minutes=minutes):
        return snapshot
    return _store(month, today, snapshot)


def pdf(snapshot: ReportSnapshot, *, full: bool) -> bytes:
    """The stored PDF of *snapshot*: the *full* one, or the anonymised one. Rendered and
    stored the first time it is asked for (needs a request context)."""
    column = "pdf_full" if full else "pdf_anonymised"
    content = getattr(snapshot, column)
    if content is None:
        report = report_of(snapshot)
        report["commentary"] = approved_commentary(CIRCULATION_KIND, report["month"])
        content = to_pdf(report if full else readers.anonymised(report))
        setattr(snapshot, column, content)
        db.session.commit()
    return content


def render_pdfs(snapshot: ReportSnapshot) -> None:
    """Render both PDFs of *snapshot* now, if not done yet (needs a request context)."""
    pdf(snapshot, full=True)
    pdf(snapshot, full=False)


def check_reason(reason: str) -> str:
    """The QA lead's reason for a rebuild, trimmed; :class:`SnapshotError` when missing or
    too long."""
    reason = " ".join(reason.split())
    if not reason:
        raise SnapshotError("Enter the reason for rebuilding the report")
    if len(reason) > REASON_LIMIT:
        raise SnapshotError(f"The reason must be {REASON_LIMIT} characters or fewer")
    return reason


def build_closed(
    month: date, today: date, *, by: User | None, rebuild: bool = False, reason: str = ""
) -> tuple[ReportSnapshot, bool]:
    """Build and store the snapshot of the closed *month* with both PDFs, or rebuild it
    (*rebuild*, with a *reason*, recorded in the activity history and noted on the report).

    Returns the snapshot and whether it was built now (False: it was stored already and
    *rebuild* was not asked). Raises :class:`SnapshotError` for a month not closed or a
    rebuild without a reason. Needs a request context (the PDFs).
    """
    month = month.replace(day=1)
    if not is_closed(month, today):
        raise SnapshotError(
            f"{month:%B %Y} is not over yet: only a closed month's report is stored"
        )
    if rebuild:
        reason = check_reason(reason)
    snapshot = find(month)
    stored = snapshot is not None and not snapshot.provisional
    if stored and not rebuild:
        render_pdfs(snapshot)
        return snapshot, False
    note = rebuilt_note(today, by, reason) if stored else ""
    snapshot = _store(month, today, snapshot, built_by=by, note=note)
    record(
        "rebuilt" if stored else "built",
        "report",
        f"monthly-{month_key(month)}",
        actor_id=by.id if by is not None else None,
        summary=note or f"Stored the monthly learning report of {month:%B %Y}",
    )
    db.session.commit()
    render_pdfs(snapshot)
    return snapshot, True


# Before a plugin is disabled -------------------------------------------------------------


def unstored_months(plugin_key: str, today: date) -> list[date]:
    """The closed months, oldest first, in which audits of the plugin *plugin_key* were
    submitted and whose report is not stored yet: built after the plugin is disabled, their
    reports would lose its section. Two statements, whatever the history's length."""
    utc_year = extract("year", Audit.submitted_at)
    utc_month = extract("month", Audit.submitted_at)
    rows = db.session.execute(
        select(func.min(Audit.submitted_at), func.max(Audit.submitted_at))
        .where(of_plugin(plugin_key), Audit.submitted_at.is_not(None))
        .group_by(utc_year, utc_month)
    )
    # a month's audits in UTC are London's month or, in its last hour, the next one:
    # the earliest and the latest of each UTC month name every London month there is
    months = {to_london(moment).date().replace(day=1) for row in rows for moment in row}
    stored = set(
        db.session.scalars(
            select(ReportSnapshot.month).where(ReportSnapshot.provisional.is_(False))
        )
    )
    return sorted(month for month in months if is_closed(month, today) and month not in stored)


def store_before_disabling(
    plugin_key: str, name: str, today: date, *, actor_id: int | None
) -> list[date]:
    """Store the report of every closed month :func:`unstored_months` names, so that past
    reports keep the plugin's section once it is disabled (named *name* in the history,
    with *actor_id*, who disables it); return those months. Each is committed as it is
    stored; the PDFs are rendered from the stored data when first asked for."""
    months = unstored_months(plugin_key, today)
    for month in months:
        _store(month, today, find(month))
        record(
            "built",
            "report",
            f"monthly-{month_key(month)}",
            actor_id=actor_id,
            summary=f"Stored the monthly learning report of {month:%B %Y} before {name} "
            "was disabled, so that it keeps its section",
        )
        db.session.commit()
    return months
