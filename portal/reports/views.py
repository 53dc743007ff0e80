"""The learning report pages: the monthly report, and its downloads."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from portal.activity import record
from portal.downloads import content_disposition
from portal.extensions import db
from portal.permissions import roles_required
from portal.reports import REPORT_ROLES
from portal.reports.charts import report_charts
from portal.reports.export import FORMATS, filename, report_title
from portal.reports.monthly import (
    FIRST_MONTH,
    ReportMonthError,
    add_months,
    build_monthly_report,
    last_complete_month,
    month_key,
    parse_month,
    report_sections,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _chosen_month(today: date) -> date:
    """The month the request asks for (``?month=YYYY-MM``), else the last complete one."""
    text = request.args.get("month", "")
    return parse_month(text, today) if text.strip() else last_complete_month(today)


def _month_error(error: ReportMonthError):
    return (
        render_template(
            "reports/monthly.html",
            title="Monthly learning report",
            error=str(error),
            typed=request.args.get("month", ""),
        ),
        400,
    )


@bp.route("/monthly")
@roles_required(*REPORT_ROLES)
def monthly():
    """The monthly learning report of ``?month=YYYY-MM`` (default: the last complete month)."""
    today = date.today()
    try:
        month = _chosen_month(today)
    except ReportMonthError as error:
        return _month_error(error)
    report = build_monthly_report(month, today)
    return render_template(
        "reports/monthly.html",
        title=report_title(report),
        report=report,
        sections=report_sections(report),
        charts=report_charts(report),
        formats=FORMATS,
        month=month,
        previous_month=add_months(month, -1) if month > FIRST_MONTH else None,
        next_month=add_months(month, 1) if add_months(month, 1) <= today else None,
        typed=month_key(month),
        long_date=lambda iso: f"{date.fromisoformat(iso):%-d %B %Y}",
    )


@bp.route("/monthly.<extension>")
@roles_required(*REPORT_ROLES)
def download(extension: str):
    """The monthly learning report of ``?month=YYYY-MM`` as a PDF, CSV, Excel or JSON file."""
    if extension not in FORMATS:
        abort(404)
    today = date.today()
    try:
        month = _chosen_month(today)
    except ReportMonthError as error:
        return _month_error(error)
    report = build_monthly_report(month, today)
    export = FORMATS[extension]
    content = export.render(report)
    record(
        "downloaded",
        "report",
        f"monthly-{report['month']}",
        actor_id=current_user.id,
        summary=f"{report_title(report)} ({export.label})",
    )
    db.session.commit()
    return Response(
        content,
        mimetype=export.mimetype,
        headers={"Content-Disposition": content_disposition(filename(report, extension))},
    )
