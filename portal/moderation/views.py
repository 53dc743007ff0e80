"""The QA lead's moderation: the monthly queue and the moderation of one audit."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.audits.access import audit_or_404
from portal.audits.loading import with_people
from portal.audits.service import form_of, judgement_for
from portal.extensions import db
from portal.models import LearningArea, Role
from portal.moderation import service
from portal.permissions import roles_required
from portal.plugins import plugin_host
from portal.scheduling.service import SelectionError, parse_month

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.route("/")
@roles_required(Role.QA_LEAD)
def index():
    """The audits waiting for moderation, and those moderated in the chosen month."""
    today = date.today()
    try:
        month = parse_month(request.args.get("month") or f"{today:%Y-%m}")
    except SelectionError:
        abort(400)
    start, end = service.month_range(month)
    waiting = service.queue(start.replace(year=start.year - 5), end)
    return render_template(
        "moderation/index.html",
        title="Moderation",
        month=month,
        waiting=waiting,
        done=service.moderated_between(start, end),
        process_names={key: p.info.name for key, p in plugin_host().installed.items()},
    )


def _page(audit, given=None, status=200):
    audit = with_people(audit)
    form = form_of(audit)
    answers = audit.answers()
    return (
        render_template(
            "moderation/moderate.html",
            title=f"Moderate the audit of {audit.case.reference}",
            audit=audit,
            definition=form,
            answers=answers,
            grade_of=form.grade,
            judgement=judgement_for(audit, form, answers),
            today=date.today(),
            given=given,
            errors=given.errors if given else {},
            error_list=[
                {"text": message, "href": f"#{field_id}"}
                for field_id, message in (given.errors if given else {}).items()
            ],
            areas=list(LearningArea),
        ),
        status,
    )


@bp.route("/<int:audit_id>", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def moderate(audit_id: int):
    """Read a submitted audit and agree with its judgement, or change it with a rationale."""
    audit = audit_or_404(audit_id, current_user)
    if audit.submitted_at is None or audit.moderation is not None:
        abort(409)
    if request.method == "GET":
        return _page(audit)
    given = service.check(
        audit,
        current_user,
        request.form.get("grade", ""),
        request.form.get("rationale", ""),
        request.form.get("feedback", ""),
        request.form.getlist("learning"),
    )
    if given.errors:
        return _page(audit, given, 400)
    service.moderate(audit, current_user, given)
    db.session.commit()
    flash(
        f"The audit of {audit.case.reference} is moderated. The auditor has been told.", "success"
    )
    return redirect(url_for("moderation.index"))
