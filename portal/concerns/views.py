"""The safeguarding concern pages: raising one from an audit, the list, a concern and its
response."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from wtforms import SelectChoice

from portal.access_log import log_access
from portal.audits.access import audit_or_404
from portal.audits.forms import read_text
from portal.concerns import bp, service
from portal.extensions import db
from portal.listfilters import MonthField, choice_field, chosen, in_month, reload_whole_page
from portal.models import SafeguardingConcern, User
from portal.paging import paginate, wants_fragment
from portal.permissions import can_view_case
from portal.wording import in_words

SOURCE_LABELS = {"audit": "Audit"}
RESULTS_ID = "concern-results"


def join_names(people: list[User]) -> str:
    """People's names as a sentence: "A", "A and B", "A, B and C"."""
    return in_words(person.name for person in people)


@bp.app_template_global()
def concerns_raised_from(source_type: str, source_id: object) -> list[SafeguardingConcern]:
    """The concerns raised from one audit or plugin object, for its page."""
    return service.raised_from(source_type, source_id)


@bp.app_template_global()
def may_view_concern(concern: SafeguardingConcern) -> bool:
    """True when the signed-in user may open *concern*'s page."""
    return current_user.is_authenticated and service.can_view(current_user, concern)


@bp.post("/audit/<int:audit_id>")
@login_required
def raise_from_audit(audit_id: int):
    """Raise a safeguarding concern from an audit; anyone who may read the audit may."""
    audit = audit_or_404(audit_id, current_user)
    description, error = read_text(
        request.form, "description", "Enter a description of the safeguarding concern"
    )
    if error:
        return (
            render_template(
                "concerns/raise.html",
                title="Error: Raise a safeguarding concern",
                case=audit.case,
                action=url_for("concerns.raise_from_audit", audit_id=audit.id),
                back=url_for("audits.show", audit_id=audit.id),
                back_text=f"Audit of case {audit.case.reference}",
                description=description,
                error=error,
            ),
            400,
        )
    service.raise_concern(audit.case, "audit", audit.id, description, current_user)
    sent_to = [person for person in service.recipients(audit.case) if person.id != current_user.id]
    db.session.commit()
    if sent_to:
        flash(f"Your safeguarding concern has been sent to {join_names(sent_to)}.", "success")
    else:
        flash(
            "Your safeguarding concern has been recorded, but nobody holds the head of service "
            "or safeguarding unit role to receive it. Tell a senior manager now.",
            "error",
        )
    return redirect(url_for("audits.show", audit_id=audit.id, _anchor="safeguarding-concerns"))


class ConcernFilterForm(FlaskForm):
    """The list's filters, read from the query string (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    status = choice_field("Status", "Open and answered")
    raised = MonthField("Month raised")


@bp.route("/")
@login_required
def index():
    """The concerns the signed-in user receives or raised, open ones first, 50 a page."""
    form = ConcernFilterForm(formdata=request.args)
    form.status.choices += [
        SelectChoice("open", "Awaiting a response"),
        SelectChoice("answered", "Answered"),
    ]
    form.validate()
    if form.errors and wants_fragment(RESULTS_ID):
        return reload_whole_page()  # the error summary is outside the results block
    query = service.visible_concerns(current_user)
    status = chosen(form.status)
    if status == "open":
        query = query.where(SafeguardingConcern.responded_at.is_(None))
    elif status == "answered":
        query = query.where(SafeguardingConcern.responded_at.is_not(None))
    if form.raised.month:
        query = query.where(in_month(SafeguardingConcern.raised_at, form.raised.month, moment=True))
    context = {
        "title": "Safeguarding concerns",
        "form": form,
        "filtered": bool(status or form.raised.month),
        "page": paginate(service.listed(query)),
        "sees_all": current_user.has_role(*service.OVERSIGHT_ROLES),
    }
    if wants_fragment(RESULTS_ID):
        return render_block("concerns/index.html", "results", **context)
    return render_template("concerns/index.html", **context), 400 if form.errors else 200


def _concern_or_404(concern_id: int) -> SafeguardingConcern:
    concern = db.session.get(SafeguardingConcern, concern_id)
    if concern is None:
        abort(404)
    if not service.can_view(current_user, concern):
        abort(403)
    return concern


def _show_context(concern: SafeguardingConcern, **extra) -> dict:
    source_link = None
    if concern.source_type == "audit" and concern.source_id.isdigit():
        source_link = url_for("audits.show", audit_id=int(concern.source_id))
    label = SOURCE_LABELS.get(concern.source_type, concern.source_type.replace("_", " ").title())
    return {
        "title": f"Safeguarding concern: {concern.case.reference}",
        "concern": concern,
        "source_label": f"{label} {concern.source_id}",
        "source_link": source_link,
        "case_link": can_view_case(current_user, concern.case),
        "can_respond": concern.is_open and service.can_respond(current_user, concern),
        "recipients": service.recipients(concern.case),
        "response_text": "",
        "error": None,
        **extra,
    }


@bp.route("/<int:concern_id>")
@login_required
def show(concern_id: int):
    """A concern: the case, where it was raised, what was said, and the response."""
    concern = _concern_or_404(concern_id)
    log_access("safeguarding_concern", concern.id, case_id=concern.case_id)
    return render_template("concerns/show.html", **_show_context(concern))


@bp.post("/<int:concern_id>/respond")
@login_required
def respond(concern_id: int):
    """Record the response to a concern: only its recipients may, and only once."""
    concern = _concern_or_404(concern_id)
    if not service.can_respond(current_user, concern):
        abort(403)
    response, error = read_text(request.form, "response", "Enter your response to the concern")
    if error:
        return render_template(
            "concerns/show.html",
            **_show_context(
                concern,
                title=f"Error: Safeguarding concern: {concern.case.reference}",
                response_text=response,
                error=error,
            ),
        ), 400
    try:
        service.respond(concern, response, current_user)
    except service.AlreadyAnswered:
        db.session.rollback()
        flash("Someone else has already responded to this concern. Your response was not saved.")
        return redirect(url_for("concerns.show", concern_id=concern.id))
    db.session.commit()
    flash(f"Your response has been sent to {concern.raised_by.name}.", "success")
    return redirect(url_for("concerns.show", concern_id=concern.id))
