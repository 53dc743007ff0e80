"""The learning report pages: the monthly report (with its commentary: approved for every
reader, the draft for the QA lead and the assistant director), its downloads (with the
approved commentary), and the QA lead's rebuild of a closed month's stored report."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access_log import log_access
from portal.activity import record
from portal.circulation import DRAFT_READERS
from portal.circulation.commentary import for_reader
from portal.downloads import content_disposition
from portal.extensions import db
from portal.models import Role
from portal.pdf import html_to_pdf
from portal.permissions import roles_required
from portal.reports import CIRCULATION_KIND, REPORT_ROLES, readers, snapshots
from portal.reports.annual import (
    AnnualYearError,
    FinancialYear,
    annual_sections,
    build_annual_summary,
    parse_year,
    year_of,
)
from portal.reports.circulated import with_commentary
from portal.reports.export import FORMATS, filename, report_title
from portal.reports.monthly import (
    FIRST_MONTH,
    ReportMonthError,
    add_months,
    last_complete_month,
    month_key,
    parse_month,
)
from portal.reports.rendered import report_body
from portal.timeutil import today_london

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


def _page(month: date, today: date, *, rebuild_error: str | None = None, reason: str = ""):
    """The report page of *month* as the signed-in reader may see it."""
    snapshot = snapshots.snapshot_for(month, today)
    report = readers.for_reader(snapshots.report_of(snapshot), current_user)
    may_circulate = current_user.has_role(*DRAFT_READERS)
    commentary = for_reader(CIRCULATION_KIND, month_key(month), current_user)
    return render_template(
        "reports/monthly.html",
        title=report_title(report),
        report=report,
        body=report_body(snapshot, report),
        formats=FORMATS,
        month=month,
        previous_month=add_months(month, -1) if month > FIRST_MONTH else None,
        next_month=add_months(month, 1) if add_months(month, 1) <= today else None,
        typed=month_key(month),
        may_rebuild=current_user.has_role(Role.QA_LEAD) and snapshots.is_closed(month, today),
        rebuild_error=rebuild_error,
        reason=reason,
        commentary=commentary,
        may_circulate=may_circulate,
        circulation_kind=CIRCULATION_KIND,
    ), (400 if rebuild_error else 200)


@bp.route("/monthly")
@roles_required(*REPORT_ROLES)
def monthly():
    """The monthly learning report of ``?month=YYYY-MM`` (default: the last complete month):
    a closed month's stored report, or the current month's provisional one."""
    today = today_london()
    try:
        month = _chosen_month(today)
    except ReportMonthError as error:
        return _month_error(error)
    return _page(month, today)


@bp.post("/monthly/<month_text>/rebuild")
@roles_required(Role.QA_LEAD)
def rebuild(month_text: str):
    """Build again and store a closed month's report, with the QA lead's reason."""
    today = today_london()
    try:
        month = parse_month(month_text, today)
    except ReportMonthError:
        abort(404)
    if not snapshots.is_closed(month, today):
        abort(404)
    reason = request.form.get("reason", "")
    try:
        snapshots.build_closed(month, today, by=current_user, rebuild=True, reason=reason)
    except snapshots.SnapshotError as error:
        return _page(month, today, rebuild_error=str(error), reason=reason)
    flash(f"The report of {month:%B %Y} was rebuilt and stored.", "success")
    return redirect(url_for("reports.monthly", month=month_key(month)))


@bp.route("/monthly.<extension>")
@roles_required(*REPORT_ROLES)
def download(extension: str):
    """The monthly learning report of ``?month=YYYY-MM`` as a PDF, CSV, Excel or JSON file,
    from the stored report and as the reader may see it."""
    if extension not in FORMATS:
        abort(404)
    today = today_london()
    try:
        month = _chosen_month(today)
    except ReportMonthError as error:
        return _month_error(error)
    snapshot = snapshots.snapshot_for(month, today)
    report = readers.for_reader(snapshots.report_of(snapshot), current_user)
    export = FORMATS[extension]
    if extension == "pdf":
        content = snapshots.pdf(snapshot, full=readers.is_whole(report))
    else:
        content = export.render(with_commentary(report))
    log_access("report", f"monthly-{report['month']}.{extension}", action="exported")
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


def _chosen_year(today: date) -> FinancialYear:
    """The financial year the request asks for (``?year=YYYY``), else today's."""
    text = request.args.get("year", "")
    return parse_year(text, today) if text.strip() else year_of(today)


def annual_context(year: FinancialYear, today: date) -> dict:
    """What the annual summary's page and PDF show of *year* on *today*."""
    summary = build_annual_summary(year, today)
    return {
        "title": f"Annual summary of quality assurance activity: {year.label}",
        "summary": summary,
        "sections": annual_sections(summary),
        "year": year,
        "as_of": date.fromisoformat(summary["as_of"]),
        "complete": year.end <= today,
    }


@bp.route("/annual")
@roles_required(*REPORT_ROLES)
def annual():
    """The annual summary of ``?year=YYYY`` (the financial year from April of that year;
    default: the current one, to date)."""
    today = today_london()
    try:
        year = _chosen_year(today)
    except AnnualYearError as error:
        return render_template(
            "reports/annual.html",
            title="Annual summary of quality assurance activity",
            error=str(error),
            typed=request.args.get("year", ""),
        ), 400
    return render_template(
        "reports/annual.html",
        typed=str(year.start_year),
        previous_year=FinancialYear(year.start_year - 1),
        next_year=FinancialYear(year.start_year + 1)
        if FinancialYear(year.start_year + 1).start <= today
        else None,
        **annual_context(year, today),
    )


@bp.route("/annual.pdf")
@roles_required(*REPORT_ROLES)
def annual_pdf():
    """The annual summary of ``?year=YYYY`` as an A4 PDF."""
    today = today_london()
    try:
        year = _chosen_year(today)
    except AnnualYearError:
        abort(404)
    html = render_template("reports/annual_print.html", **annual_context(year, today))
    name = f"annual-summary-{year.start_year}-{year.start_year + 1}.pdf"
    log_access("report", name, action="exported")
    record(
        "downloaded",
        "report",
        f"annual-{year.start_year}",
        actor_id=current_user.id,
        summary=f"Annual summary {year.label} (PDF)",
    )
    db.session.commit()
    return Response(
        html_to_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(name)},
    )
