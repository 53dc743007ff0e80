"""The QA lead's moderation: the monthly queue and the moderation of one audit."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from portal.audits.access import audit_or_404
from portal.audits.loading import PEOPLE, with_people
from portal.audits.service import form_of, judgement_for
from portal.extensions import db
from portal.listfilters import chosen, reload_whole_page
from portal.models import LearningArea, Role
from portal.moderation import queue, service
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required
from portal.plugins import plugin_host
from portal.timeutil import today_london

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
RESULTS_ID = "moderation-results"


@bp.route("/")
@roles_required(Role.QA_LEAD)
def index():
    """The audits waiting for moderation, and those moderated in the chosen month, paged."""
    form = queue.build(request.args)
    if form.errors and wants_fragment(RESULTS_ID):
        return reload_whole_page()  # the error summary is outside the results block
    month = form.month.month or date.today().replace(day=1)
    narrow = {"tool": chosen(form.tool), "auditor_id": queue.chosen_auditor(form)}
    context = {
        "title": "Moderation",
        "form": form,
        "month": month,
        "waiting": paginate(queue.waiting(month=form.month.month, **narrow), arg="waiting_page"),
        "done": paginate(queue.moderated(month, **narrow), arg="done_page"),
        "process_names": plugin_host().process_names(),
    }
    if wants_fragment(RESULTS_ID):
        return render_block("moderation/index.html", "results", **context)
    return render_template("moderation/index.html", **context), 400 if form.errors else 200


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
            judgement=judgement_for(audit, form, answers, today_london()),
            today=date.today(),
            given=given,
            errors=given.errors if given else {},
            error_list=[
                {"text": message, "href": f"#{field_id}"}
                for field_id, message in (given.errors if given else {}).items()
            ],
            areas=list(LearningArea),
            # the auditor's links start ticked: the QA lead unticks what they disagree with
            auditor_learning={
                row.area for row in audit.learning_rows if row.tagged_by == "auditor"
            },
        ),
        status,
    )


@bp.route("/<int:audit_id>", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def moderate(audit_id: int):
    """Read a submitted audit and agree with its judgement, or change it with a rationale."""
    audit = audit_or_404(audit_id, current_user, options=PEOPLE)
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
        request.form.get("cleared_for_sharing") == "yes",
    )
    if given.errors:
        return _page(audit, given, 400)
    service.moderate(audit, current_user, given)
    db.session.commit()
    flash(
        f"The audit of {audit.case.reference} is moderated. The auditor has been told.", "success"
    )
    return redirect(url_for("moderation.index"))
