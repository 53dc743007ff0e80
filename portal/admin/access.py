"""The access log page: "who opened this child's case file?" — every read of a case and of
its audits, concerns and family feedback, and every refusal, newest first, 50 a page."""

from __future__ import annotations

from flask import render_template, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from jinja2_fragments.flask import render_block
from sqlalchemy import false, select
from wtforms import SelectChoice, SelectField, StringField

from portal.access_log import ACTIONS
from portal.admin import bp
from portal.admin.activity import readable_name
from portal.extensions import db
from portal.models import AccessLogEntry, Case, Role, User
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required

RESULTS_ID = "access-results"


class AccessFilterForm(FlaskForm):
    """The access log's filters, read from the query string (a bookmarkable view)."""

    class Meta:
        csrf = False

    reference = StringField("Case reference", widget=GovTextInput())
    action = SelectField(
        "What they did",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Anything"),
            *(SelectChoice(action, action.capitalize()) for action in ACTIONS),
        ],
        validate_choice=False,
    )


@bp.route("/access")
@roles_required(Role.ADMIN)
def access_log():
    """Who read what, and who was refused, newest first; by case reference, every access to
    the case and to everything about it."""
    filters = AccessFilterForm(formdata=request.args)
    reference = (filters.reference.data or "").strip()[:60]
    action = filters.action.data if filters.action.data in ACTIONS else ""
    query = (
        select(AccessLogEntry, User.name, User.email, Case.reference)
        .outerjoin(User, AccessLogEntry.user_id == User.id)
        .outerjoin(Case, AccessLogEntry.case_id == Case.id)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
    )
    case = None
    if reference:
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        query = query.where(AccessLogEntry.case_id == case.id if case else false())
    if action:
        query = query.where(AccessLogEntry.action == action)
    page = paginate(query, scalars=False)
    context = {
        "title": "Access log",
        "filters": filters,
        "page": page,
        "reference": reference,
        "case": case,
        "filtered": bool(reference or action),
        "readable_name": readable_name,
    }
    if wants_fragment(RESULTS_ID):
        return render_block("admin/access.html", "results", **context)
    return render_template("admin/access.html", **context)
