"""The API's endpoints: the audits a token's user may see, the monthly learning report and
the OpenAPI description. Every answer, errors included, is JSON."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

from flask import abort, g, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload
from werkzeug.exceptions import HTTPException

from portal.api import bp
from portal.api.auth import TokenRefused, token_for
from portal.api.openapi import openapi_document
from portal.audits.listing import visible_audits
from portal.extensions import db
from portal.models import Audit, AuditAuditor, AuditStatus, Case, Team, User
from portal.plugins import plugin_host
from portal.reports import REPORT_ROLES, readers, snapshots
from portal.reports.circulated import with_commentary
from portal.reports.monthly import (
    ReportMonthError,
    json_document,
    last_complete_month,
    parse_month,
)
from portal.urls import database_int

#: How many audits one page of ``/audits`` holds at most (and by default).
PAGE_SIZE = 500
#: The endpoints that answer without a token: they describe the API and hold no data.
OPEN_ENDPOINTS = frozenset({"api.openapi"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHALLENGE = 'Bearer realm="QA portal API"'


def _error(status: int, message: str, headers: dict[str, str] | None = None):
    return jsonify(error=message), status, headers or {}


@bp.before_request
def authenticate():
    """Find the token the request carries and its user; 401 when there is none that works.

    Only the ``Authorization`` header counts: a signed-in browser's session is ignored.
    """
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    try:
        g.api_user = token_for(request.headers.get("Authorization")).user
    except TokenRefused as refusal:
        return _error(401, str(refusal), {"WWW-Authenticate": CHALLENGE})
    return None


@bp.after_request
def not_cached(response):
    """Keep the answers out of shared caches: they hold what one person may see."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Errors as JSON ``{"error": "..."}``, not the HTML error page."""
    return _error(error.code or 500, error.description or error.name)


def _date_arg(name: str) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2026-02-30: the right shape, not a date
    abort(400, f"'{name}' must be a date written YYYY-MM-DD, for example 2026-04-01")


def _page_arg() -> int:
    page = database_int(request.args.get("page", "1").strip() or "1")
    if page is None or page < 1:
        abort(400, "'page' must be a whole number from 1")
    return page


def _per_page_arg() -> int:
    text = request.args.get("per_page", "").strip()
    if not text:
        return PAGE_SIZE
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not 1 <= int(text) <= PAGE_SIZE:
        abort(400, f"'per_page' must be a whole number from 1 to {PAGE_SIZE}")
    return int(text)


def _page_url(page: int) -> str:
    """This request's address for page *page*, every other parameter kept."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for("api.audits", _external=True, **args)


def _filtered_audits(user: User):
    """The query for the audits *user* may see, narrowed by the request's parameters."""
    query = visible_audits(user)
    start, end = _date_arg("from"), _date_arg("to")
    if start and end and start > end:
        abort(400, "'from' must be on or before 'to'")
    if start:
        query = query.where(Audit.allocated_on >= start)
    if end:
        query = query.where(Audit.allocated_on <= end)
    status = request.args.get("status", "").strip()
    if status:
        if status not in {stage.value for stage in AuditStatus}:
            abort(400, f"'status' must be one of {', '.join(stage.value for stage in AuditStatus)}")
        query = query.where(Audit.status == status)
    process = request.args.get("process", "").strip()
    if process:
        keys = [known.key for known in plugin_host().all_processes()]
        if process not in keys:
            abort(400, f"'process' must be one of {', '.join(keys)}")
        query = query.where(Audit.process_key == process)
    return query


def _instant(moment: datetime | None) -> str | None:
    """A stored (naive UTC) time in ISO 8601 with its offset, or None."""
    return moment.replace(tzinfo=UTC).isoformat() if moment else None


def audit_json(audit: Audit) -> dict[str, Any]:
    """One audit as the API shows it (its case, team and service loaded with it)."""
    case = audit.case
    return {
        "id": audit.id,
        "case_reference": case.reference,
        "case_type": case.case_type,
        "team": case.team.name,
        "service": case.team.service.name,
        "process": audit.process_key,
        "process_version": audit.process_version,
        "status": audit.status,
        "allocated_on": audit.allocated_on.isoformat(),
        "due_on": audit.due_on.isoformat(),
        "submitted_at": _instant(audit.submitted_at),
        "auditor_grade": audit.overall_grade,
        "record_grade": audit.record_grade,
        "moderated": audit.moderation is not None,
        "auditors": sorted(row.user.email for row in audit.auditor_rows),
    }


@bp.get("/audits")
def audits():
    """The audits the token's user may see, oldest first, :data:`PAGE_SIZE` a page at most.

    ``from`` and ``to`` bound the allocation date (inclusive); ``status`` and ``process``
    keep one stage or one audit process; ``page`` counts from 1; ``per_page`` asks for
    smaller pages. ``next`` is the address of the next page, null on the last.
    """
    query = _filtered_audits(g.api_user)
    page, per_page = _page_arg(), _per_page_arg()
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / per_page))
    rows = db.session.scalars(
        query.options(
            contains_eager(Audit.case).joinedload(Case.team).joinedload(Team.service),
            selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
            selectinload(Audit.moderation),
        )
        .order_by(Audit.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return jsonify(
        audits=[audit_json(audit) for audit in rows],
        page=page,
        per_page=per_page,
        pages=pages,
        total=total,
        next=_page_url(page + 1) if page < pages else None,
    )


@bp.get("/reports/monthly")
def monthly_report():
    """The monthly learning report of ``?month=YYYY-MM`` (default: the last complete month),
    for the roles that read the report in the portal: a closed month's stored report, the
    current month's provisional one, each example as the token's user may see it."""
    if not g.api_user.has_role(*REPORT_ROLES):
        abort(403, "This API token's user may not read the learning report")
    today = date.today()
    text = request.args.get("month", "").strip()
    try:
        month = parse_month(text, today) if text else last_complete_month(today)
    except ReportMonthError as error:
        abort(400, str(error))
    report = snapshots.report_of(snapshots.snapshot_for(month, today))
    return jsonify(json_document(with_commentary(readers.for_reader(report, g.api_user))))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (no token needed)."""
    return jsonify(openapi_document(request.script_root + bp.url_prefix))
