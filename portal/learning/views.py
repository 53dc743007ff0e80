"""The learning follow-up pages: the list, giving a theme an owner, a follow-up with its
record of what changed, and closing it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from jinja2_fragments.flask import render_block
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.extensions import db
from portal.learning import service
from portal.listfilters import MonthField, choice_field, chosen, reload_whole_page
from portal.models import LearningArea, LearningChange, LearningFollowUp, Role
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required
from portal.timeutil import to_london, utcnow

bp = Blueprint("learning", __name__, url_prefix="/learning")

RESULTS_ID = "followup-results"
AREA_CHOICES = [SelectChoice(area.value, area.label) for area in LearningArea]


class FollowUpFilterForm(FlaskForm):
    """The list's filters, read from the query string (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    status = choice_field("Status", "Open and closed")
    area = choice_field("Learning area", "Every learning area")


class FollowUpForm(FlaskForm):
    """A month's learning theme given an owner."""

    month = MonthField("Month of the learning")
    area = SelectField(
        "Learning area",
        widget=GovSelect(),
        choices=AREA_CHOICES,
        validators=[InputRequired(message="Choose the learning area")],
    )
    owner_email = StringField(
        "Owner's email address",
        widget=GovTextInput(),
        description="The person who sees that the learning changes practice, for example "
        "the head of service for training.",
        validators=[InputRequired(message="Enter the owner's email address"), Length(max=254)],
    )
    learning = TextAreaField(
        "What is the learning, and what should change?",
        widget=GovTextArea(),
        description="This is shown in the monthly learning report: do not name a child or "
        "a family.",
        validators=[
            DataRequired(message="Say what the learning is and what should change"),
            Length(max=4000, message="Use 4,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Give the theme an owner", widget=GovSubmitInput())

    def validate_month(self, field: MonthField) -> None:
        """The month is required (the field itself checks its shape)."""
        if not (field.data or "").strip():
            raise ValidationError("Enter the month of the learning, like 2026-11")
        if field.month and field.month > to_london(utcnow()).date().replace(day=1):
            raise ValidationError("The month of the learning must be this month or earlier")

    def validate_owner_email(self, field: StringField) -> None:
        """The owner is an active person of the portal."""
        self.owner = service.active_owner(field.data or "")
        if self.owner is None:
            raise ValidationError("Enter the email address of an active member of staff")


class ChangeForm(FlaskForm):
    """What changed because of the learning."""

    text = TextAreaField(
        "What has changed?",
        widget=GovTextArea(),
        description="For example: supervision template updated in November; 14 workers "
        "attended the neglect training.",
        validators=[
            DataRequired(message="Say what has changed"),
            Length(max=4000, message="Use 4,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the change", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    """Close a follow-up (CSRF only)."""

    submit = SubmitField("Close this follow-up", widget=GovSubmitInput())


@bp.route("/follow-ups")
@login_required
def index():
    """The follow-ups the signed-in user may read, open ones first, 50 a page."""
    form = FollowUpFilterForm(formdata=request.args)
    form.status.choices += [SelectChoice("open", "Open"), SelectChoice("closed", "Closed")]
    form.area.choices += AREA_CHOICES
    form.validate()
    if form.errors and wants_fragment(RESULTS_ID):
        return reload_whole_page()
    query = service.listed(current_user)
    status, area = chosen(form.status), chosen(form.area)
    if status:
        closed = LearningFollowUp.closed_at
        query = query.where(closed.is_(None) if status == "open" else closed.is_not(None))
    if area:
        query = query.where(LearningFollowUp.area == area)
    context = {
        "title": "Learning follow-ups",
        "form": form,
        "filtered": bool(status or area),
        "page": paginate(query),
        "may_manage": service.may_manage(current_user),
        "sees_all": service.may_read(current_user),
        "areas": {area.value: area.label for area in LearningArea},
    }
    if wants_fragment(RESULTS_ID):
        return render_block("learning/index.html", "results", **context)
    return render_template("learning/index.html", **context)


@bp.route("/follow-ups/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new():
    """Give a month's learning theme an owner (``?month=YYYY-MM&area=…`` fill the form)."""
    form = FollowUpForm(
        data={"month": request.args.get("month", ""), "area": request.args.get("area")}
    )
    if form.validate_on_submit():
        followup = service.create(
            form.month.month,
            LearningArea(form.area.data),
            form.owner,
            form.learning.data.strip(),
            current_user,
        )
        db.session.commit()
        flash(f"{followup.owner.name} owns this follow-up and has been told.", "success")
        return redirect(url_for("learning.show", followup_id=followup.id))
    title = "Give a learning theme an owner"
    status = 400 if form.errors else 200
    return render_template(
        "learning/new.html", title=("Error: " if form.errors else "") + title, form=form
    ), status


def _followup_or_404(followup_id: int) -> LearningFollowUp:
    followup = db.session.get(
        LearningFollowUp,
        followup_id,
        options=[selectinload(LearningFollowUp.changes).joinedload(LearningChange.author)],
    )
    if followup is None:
        abort(404)
    if not service.may_read(current_user, followup):
        abort(403)
    return followup


def _show(followup: LearningFollowUp, change_form: ChangeForm | None = None):
    change_form = change_form or ChangeForm(formdata=None)
    area = LearningArea(followup.area)
    title = f"{area.label}, {followup.month:%B %Y}"
    return render_template(
        "learning/show.html",
        title=("Error: " if change_form.errors else "") + title,
        heading=title,
        followup=followup,
        form=change_form,
        close_form=CloseForm(formdata=None),
        may_record=service.may_record(current_user, followup),
    ), (400 if change_form.errors else 200)


@bp.route("/follow-ups/<int:followup_id>")
@login_required
def show(followup_id: int):
    """A follow-up: the learning, its owner, what changed, and whether it is closed."""
    return _show(_followup_or_404(followup_id))


@bp.post("/follow-ups/<int:followup_id>/changes")
@login_required
def record_change(followup_id: int):
    """Record what changed: the owner or the QA lead, while the follow-up is open."""
    followup = _followup_or_404(followup_id)
    if not service.may_record(current_user, followup):
        abort(403)
    form = ChangeForm()
    if not form.validate():
        return _show(followup, form)
    service.record_change(followup, form.text.data.strip(), current_user)
    db.session.commit()
    flash("The change has been recorded.", "success")
    return redirect(url_for("learning.show", followup_id=followup.id))


@bp.post("/follow-ups/<int:followup_id>/close")
@login_required
def close(followup_id: int):
    """Close an open follow-up: the owner or the QA lead."""
    followup = _followup_or_404(followup_id)
    if not service.may_record(current_user, followup):
        abort(403)
    if not CloseForm().validate():
        abort(400)
    service.close(followup, current_user)
    db.session.commit()
    flash("The follow-up is closed: later reports no longer show it.", "success")
    return redirect(url_for("learning.show", followup_id=followup.id))
