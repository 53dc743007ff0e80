"""The circulation pages: a report's commentary, approval and circulation
(``/circulation/report/<kind>/<period>``), and the distribution lists (``/circulation/lists``).

Only the QA lead and the assistant director reach a report's circulation page (the QA lead
writes and circulates, the assistant director approves); only the QA lead keeps the lists.
Bad input shows the GOV.UK error summary with status 400 and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from portal.circulation import APPROVERS, DRAFT_READERS, WRITERS, commentary
from portal.circulation.lists import ListError, remove_list, save_list
from portal.circulation.registry import report_or_404
from portal.extensions import db
from portal.hookspecs import CirculatedReport
from portal.models import DistributionList
from portal.paging import paginate
from portal.permissions import roles_required
from portal.timeutil import today_london
from portal.urls import database_int

bp = Blueprint("circulation", __name__, url_prefix="/circulation")

#: The most lists the circulation form offers (a council keeps a handful).
LISTS_OFFERED = 100


# A report's commentary, approval and circulation ------------------------------------------


def _report_and_period(kind: str, period: str) -> tuple[CirculatedReport, str]:
    report = report_or_404(kind)
    try:
        canonical = report.parse_period(period, today_london())
    except ValueError:
        abort(404)
    if canonical != period:
        abort(404)
    return report, period


def _page(report: CirculatedReport, period: str, *, errors=None, typed=None, status=200):
    """The circulation page of *report*'s *period*, with *errors* ((field, message) pairs)."""
    row = commentary.find(report.kind, period)
    lists = []
    if current_user.has_role(*WRITERS) and row is not None and row.approved_at is not None:
        lists = list(
            db.session.scalars(
                select(DistributionList).order_by(DistributionList.name).limit(LISTS_OFFERED)
            )
        )
    texts = typed or {key: getattr(row, key) if row else "" for key, _ in commentary.PARTS}
    return render_template(
        "circulation/report.html",
        title=report.title(period),
        kind=report.kind,
        period=period,
        report_url=report.page_url(period),
        row=row,
        shown=commentary.shown(row, drafts=True),
        is_over=report.is_over(period, today_london()),
        parts=commentary.PARTS,
        texts=texts,
        limit=commentary.TEXT_LIMIT,
        may_write=current_user.has_role(*WRITERS),
        may_approve=current_user.has_role(*APPROVERS),
        lists=lists,
        history=commentary.history(row),
        when=commentary.when,
        errors=errors or [],
        chosen_list=request.form.get("list_id", ""),
    ), status


def _done(report: CirculatedReport, period: str, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("circulation.report", kind=report.kind, period=period))


@bp.route("/report/<kind>/<period>")
@roles_required(*DRAFT_READERS)
def report(kind: str, period: str):
    """The commentary, its approval and the circulation history of one report."""
    found, period = _report_and_period(kind, period)
    return _page(found, period)


@bp.post("/report/<kind>/<period>/commentary")
@roles_required(*WRITERS)
def save_commentary(kind: str, period: str):
    """The QA lead saves the commentary as a draft."""
    found, period = _report_and_period(kind, period)
    texts = {key: request.form.get(key, "") for key, _ in commentary.PARTS}
    try:
        commentary.save_draft(found.kind, period, texts, current_user)
    except commentary.CommentaryError as error:
        db.session.rollback()
        return _page(found, period, errors=[(error.field, str(error))], typed=texts, status=400)
    return _done(found, period, "The commentary is saved as a draft.")


@bp.post("/report/<kind>/<period>/approve")
@roles_required(*APPROVERS)
def approve(kind: str, period: str):
    """The assistant director approves the commentary."""
    found, period = _report_and_period(kind, period)
    try:
        commentary.approve(found, period, current_user, today_london())
    except commentary.CommentaryError as error:
        db.session.rollback()
        return _page(found, period, errors=[("approve", str(error))], status=400)
    return _done(found, period, "The commentary is approved: the report can be circulated.")


@bp.post("/report/<kind>/<period>/circulate")
@roles_required(*WRITERS)
def circulate(kind: str, period: str):
    """The QA lead emails the report's PDF to a distribution list."""
    found, period = _report_and_period(kind, period)
    list_id = database_int(request.form.get("list_id", ""))
    try:
        sent = commentary.circulate(found, period, list_id, current_user, today_london())
    except commentary.CommentaryError as error:
        db.session.rollback()
        return _page(found, period, errors=[(error.field or "list_id", str(error))], status=400)
    return _done(
        found,
        period,
        f"The report was emailed to {sent.list_name}: {sent.recipients} recipients.",
    )


# Distribution lists ---------------------------------------------------------------------


@bp.route("/lists")
@roles_required(*WRITERS)
def lists():
    """The distribution lists, by name, with how many addresses each holds."""
    page = paginate(select(DistributionList).order_by(func.lower(DistributionList.name)))
    return render_template("circulation/lists.html", title="Distribution lists", page=page)


def _list_form(current: DistributionList | None, *, errors=None, status=200):
    name = request.form.get("name", current.name if current else "")
    addresses = request.form.get("addresses", "\n".join(current.addresses) if current else "")
    return render_template(
        "circulation/list_form.html",
        title=f"Change {current.name}" if current else "Add a distribution list",
        current=current,
        name=name,
        addresses=addresses,
        errors=errors or {},
    ), status


def _save(current: DistributionList | None):
    try:
        saved = save_list(
            current, request.form.get("name", ""), request.form.get("addresses", ""), current_user
        )
    except ListError as error:
        db.session.rollback()
        return _list_form(current, errors=error.errors, status=400)
    db.session.commit()
    flash(f"The list {saved.name} is saved: {len(saved.addresses)} addresses.", "success")
    return redirect(url_for("circulation.lists"))


@bp.route("/lists/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new_list():
    """Add a distribution list."""
    return _save(None) if request.method == "POST" else _list_form(None)


@bp.route("/lists/<int:list_id>", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_list(list_id: int):
    """Change a distribution list's name or addresses."""
    current = db.get_or_404(DistributionList, list_id)
    return _save(current) if request.method == "POST" else _list_form(current)


@bp.post("/lists/<int:list_id>/remove")
@roles_required(*WRITERS)
def delete_list(list_id: int):
    """Remove a distribution list (its circulations keep its name)."""
    current = db.get_or_404(DistributionList, list_id)
    name = current.name
    remove_list(current, current_user)
    db.session.commit()
    flash(f"The list {name} is removed.", "success")
    return redirect(url_for("circulation.lists"))
