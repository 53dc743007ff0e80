"""The quarterly report of the thematic reviews (``/thematic_review/quarterly?quarter=
2026-Q3``, default the last complete quarter) and its PDF, for those who monitor the
reviews' learning; its commentary, approval and circulation go through the portal's
circulation service (:data:`QUARTERLY`)."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for
from flask_login import current_user

from plugins.thematic_review import quarterly
from plugins.thematic_review.access import PLAN_READERS
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.views.shared import pdf_download
from portal.plugin_api import (
    DRAFT_READERS,
    CirculatedReport,
    approved_commentary,
    commentary_for,
    db,
    html_to_pdf,
    record,
    roles_required,
    today_london,
)

#: Who reads the quarterly report: those who monitor the reviews' learning and action plan.
READERS = PLAN_READERS


def quarterly_pdf(key: str) -> bytes:
    """The quarter's report as an A4 PDF, with its approved commentary (no case named)."""
    report = quarterly.build(key)
    html = render_template(
        "thematic_review/quarterly/print.html",
        title=report.title,
        report=report,
        commentary=approved_commentary(quarterly.KIND, key),
        today=today_london(),
    )
    return html_to_pdf(html)


QUARTERLY = CirculatedReport(
    kind=quarterly.KIND,
    parse_period=quarterly.parse_quarter,
    title=quarterly.report_title,
    is_over=quarterly.is_over,
    page_url=lambda key: url_for("thematic_review.quarterly_report", quarter=key),
    pdf=lambda key, today: quarterly_pdf(key),
)


def _chosen(today: date) -> str:
    text = request.args.get("quarter", "")
    if not text.strip():
        return quarterly.last_complete_quarter(today)
    return quarterly.parse_quarter(text, today)


@bp.route("/quarterly")
@roles_required(*READERS)
def quarterly_report():
    """The quarter's reviews, their findings and learning, with the QA lead's commentary."""
    today = today_london()
    try:
        key = _chosen(today)
    except quarterly.QuarterError as error:
        return render_template(
            "thematic_review/quarterly/page.html",
            title="Quarterly thematic review report",
            error=str(error),
            typed=request.args.get("quarter", ""),
        ), 400
    report = quarterly.build(key)
    following = quarterly.neighbour(key, 1)
    return render_template(
        "thematic_review/quarterly/page.html",
        title=report.title,
        report=report,
        typed=key,
        previous=quarterly.neighbour(key, -1),
        following=following if quarterly.bounds(following)[0] <= today else None,
        commentary=commentary_for(quarterly.KIND, key, current_user),
        may_circulate=current_user.has_role(*DRAFT_READERS),
        quarter_title=quarterly.title_of(key),
        report_kind=quarterly.KIND,
    )


@bp.route("/quarterly/<quarter>.pdf")
@roles_required(*READERS)
def quarterly_report_pdf(quarter: str):
    """The quarter's report as an A4 PDF."""
    try:
        key = quarterly.parse_quarter(quarter, today_london())
    except quarterly.QuarterError:
        abort(404)
    document = quarterly_pdf(key)
    record(
        "downloaded", "report", f"{quarterly.KIND}-{key}", actor_id=current_user.id, summary="PDF"
    )
    db.session.commit()
    return pdf_download(document, f"thematic-reviews-{key}.pdf")
