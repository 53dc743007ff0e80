"""The reviews' pages: the list, setting a review up (cases and pairs), the question framework,
the discussion with each social worker, the report (with its PDF and endorsement) and the
SMART action plan, with the rolling action plan across all reviews.

Only the QA lead sets reviews up, pairs auditors, edits the questions, writes the report and
the plan; the members, the QA lead and the safeguarding unit see a review; the safeguarding
unit endorses its report. Bad input shows the GOV.UK error summary with status 400 and
changes nothing.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from plugins.thematic_review import access, plan, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.models import PlanItem, Question, Review, ReviewCase
from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.reviews import MINIMUM_CASES, ReviewDetails, ReviewError, Status
from portal.activity import record
from portal.audits.access import can_view as can_view_audit
from portal.extensions import db
from portal.hookspecs import DashboardPanel, NavItem, ScheduleEntry
from portal.models import CaseType, Role, Service, Team, User
from portal.pdf import html_to_pdf
from portal.permissions import roles_required
from portal.scheduling.selection import ThemeFilter
from portal.scheduling.service import SelectionError, parse_seed, theme_filter

#: The most cases one draw adds.
LARGEST_DRAW = 40
#: The longest question of the framework.
QUESTION_LIMIT = 500
#: The longest free text a report, a discussion or an action takes.
TEXT_LIMIT = 20000


# Forms ----------------------------------------------------------------------------------


class DayField(DateField):
    """A GOV.UK date input (day, month and year); empty gives None, nonsense an error."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the three boxes; a date that does not exist is an error."""
        parts = [value.strip() for value in valuelist]
        self.data = None
        if not any(parts):
            return
        try:
            day, month, year = parts
            if len(year) != 4:
                raise ValueError(year)
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError("Enter a real date, for example 3 2 2027") from None


def required_date(message: str):
    """A validator: the date must be given (a date typed badly keeps its own message)."""

    def check(form, field) -> None:
        """Stop at the first problem: an empty date."""
        if field.data is None and not field.process_errors:
            raise StopValidation(message)

    return check


def chosen(message: str, *, listed: bool = True):
    """A validator for a select whose first option (0) says "Choose ...": one of the others
    (or, when not *listed*, anyone: the service says why someone else may not be chosen).

    (Its field sets ``validate_choice=False``, so that this message is the one shown.)
    """

    def check(form, field) -> None:
        """Refuse the "Choose ..." option (and, when *listed*, anyone not on the list)."""
        if not field.data or (listed and field.data not in {v for v, _ in field.choices}):
            raise ValidationError(message)

    return check


def strip(text: str | None) -> str | None:
    """A filter: typed text without the spaces around it (and Windows line ends)."""
    return text.replace("\r\n", "\n").strip() if isinstance(text, str) else text


def _people_choices(people: list[User], prompt: str) -> list[tuple[int, str]]:
    return [(0, prompt), *((person.id, person.name) for person in people)]


class ReviewForm(FlaskForm):
    """A review's theme, dates, venue, lead, QA lead and members."""

    theme = StringField(
        "Theme",
        filters=[strip],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the review's theme"), Length(max=200)],
    )
    first_day = DayField(
        "First day",
        description="For example, 3 2 2027",
        validators=[required_date("Enter the review's first day")],
    )
    second_day = DayField(
        "Second day (if the review takes two days)",
        description="Leave it empty for a one-day review",
    )
    venue = StringField(
        "Venue",
        filters=[strip],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the venue"), Length(max=200)],
    )
    lead_id = SelectField(
        "Lead (safeguarding unit)",
        validate_choice=False,
        widget=GovSelect(),
        coerce=int,
        validators=[chosen("Choose the review's lead from the safeguarding unit")],
    )
    qa_lead_id = SelectField(
        "QA lead",
        validate_choice=False,
        widget=GovSelect(),
        coerce=int,
        validators=[chosen("Choose the QA lead who co-ordinates the review")],
    )
    member_ids = SelectMultipleField(
        "Members",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Cases are reviewed in pairs of members. The lead and the QA lead are "
        "members too.",
    )
    submit = SubmitField("Save the review", widget=GovSubmitInput())

    def validate_second_day(self, field) -> None:
        """The second day comes after the first."""
        if field.data and self.first_day.data and field.data <= self.first_day.data:
            raise ValidationError("The second day must be after the first day")

    def validate_member_ids(self, field) -> None:
        """At least two members, to make a pair."""
        if len(set(field.data or ())) < 2:
            raise ValidationError("Choose at least two members: cases are reviewed in pairs")


class DrawForm(FlaskForm):
    """A seeded draw of cases from a filter."""

    case_types = SelectMultipleField("Case types", widget=GovCheckboxesInput(), choices=[])
    service_codes = SelectMultipleField("Services", widget=GovCheckboxesInput(), choices=[])
    team_ids = SelectMultipleField("Teams", widget=GovCheckboxesInput(), coerce=int, choices=[])
    count = StringField(
        "How many cases to draw",
        filters=[strip],
        widget=GovTextInput(),
        default=str(MINIMUM_CASES),
        validators=[DataRequired(message="Enter how many cases to draw")],
    )
    seed = StringField(
        "Seed (optional)",
        filters=[strip],
        widget=GovTextInput(),
        description="A whole number. Leave it empty for a new random draw; the seed is kept "
        "with the review so the same draw can be repeated.",
    )
    submit = SubmitField("Draw the cases", widget=GovSubmitInput())

    def validate_count(self, field) -> None:
        """A whole number from 1 to :data:`LARGEST_DRAW`."""
        text = (field.data or "").strip()
        if not text.isdigit() or not 1 <= int(text) <= LARGEST_DRAW:
            raise ValidationError(f"Enter a whole number of cases from 1 to {LARGEST_DRAW}")


class ChooseForm(FlaskForm):
    """A case chosen by hand, with the reason."""

    reference = StringField(
        "Case reference",
        filters=[strip],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the case reference"), Length(max=40)],
    )
    reason = TextAreaField(
        "Why this case?",
        filters=[strip],
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Give the reason for choosing this case"),
            Length(max=2000),
        ],
    )
    submit = SubmitField("Add the case", widget=GovSubmitInput())


class PairForm(FlaskForm):
    """The two members who review a case together."""

    first = SelectField(
        "First auditor",
        validate_choice=False,
        widget=GovSelect(),
        coerce=int,
        validators=[chosen("Choose the first auditor", listed=False)],
    )
    second = SelectField(
        "Second auditor",
        validate_choice=False,
        widget=GovSelect(),
        coerce=int,
        validators=[chosen("Choose the second auditor", listed=False)],
    )
    submit = SubmitField("Pair them", widget=GovSubmitInput())


class ReportForm(FlaskForm):
    """The review's final report."""

    findings = TextAreaField(
        "Findings",
        filters=[strip],
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter the findings"), Length(max=TEXT_LIMIT)],
    )
    recommendations = TextAreaField(
        "Recommendations",
        filters=[strip],
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter the recommendations"), Length(max=TEXT_LIMIT)],
    )
    family_voice = TextAreaField(
        "Family voice themes",
        filters=[strip],
        widget=GovTextArea(),
        description="What the children and families told the auditors, in themes. Optional.",
        validators=[Length(max=TEXT_LIMIT)],
    )
    submit = SubmitField("Save the report", widget=GovSubmitInput())


class PlanItemForm(FlaskForm):
    """A SMART action: specific, owned, measurable, time-bound."""

    action = TextAreaField(
        "What will be done",
        filters=[strip],
        widget=GovTextArea(),
        description="Specific: one action, in a sentence or two.",
        validators=[DataRequired(message="Say what will be done"), Length(max=TEXT_LIMIT)],
    )
    owner_id = SelectField(
        "Owner",
        validate_choice=False,
        widget=GovSelect(),
        coerce=int,
        validators=[chosen("Choose who owns the action")],
    )
    measure = TextAreaField(
        "How you will measure it",
        filters=[strip],
        widget=GovTextArea(),
        description="Measurable: how everyone will know it is done and has worked.",
        validators=[
            DataRequired(message="Say how you will measure it"),
            Length(max=TEXT_LIMIT),
        ],
    )
    due_on = DayField(
        "Due date",
        description="Time-bound: a date in the future, for example 30 6 2027",
        validators=[required_date("Enter the due date")],
    )
    submit = SubmitField("Add the action", widget=GovSubmitInput())

    def validate_due_on(self, field) -> None:
        """A due date in the future."""
        if field.data and field.data <= date.today():
            raise ValidationError("The due date must be in the future")


class ProgressForm(FlaskForm):
    """A note of progress on an action of the plan."""

    progress = TextAreaField(
        "Progress",
        filters=[strip],
        widget=GovTextArea(),
        validators=[DataRequired(message="Describe the progress made"), Length(max=TEXT_LIMIT)],
    )
    done = BooleanField("This action is done", widget=GovCheckboxInput())
    submit = SubmitField("Record the progress", widget=GovSubmitInput())


# Helpers --------------------------------------------------------------------------------


@bp.context_processor
def review_helpers() -> dict:
    """What the reviews' templates share."""
    return {
        "review_dates": reviews.dates_in_words,
        "review_status": reviews.status_of,
        "Status": Status,
        "access": access,
        "minimum_cases": MINIMUM_CASES,
        "concern_source": reviews.concern_source,
    }


def _organiser_only() -> None:
    if not access.can_organise(current_user):
        abort(403)


def _review_case_or_404(review: Review, review_case_id: int) -> ReviewCase:
    review_case = db.session.get(ReviewCase, review_case_id)
    if review_case is None or review_case.review_id != review.id:
        abort(404)
    return review_case


def _problem(error: ReviewError) -> list[dict]:
    return [{"text": str(error), "href": f"#{error.field}" if error.field else "#main-content"}]


def _report_error(form: FlaskForm, error: ReviewError, default: str) -> None:
    """Show *error* on its field of *form* (or on *default*), for the error summary."""
    getattr(form, error.field if error.field in form._fields else default).errors.append(str(error))


def _review_page(review: Review, problems: list[dict] | None = None, status: int = 200):
    audits = [rc.audit_id for rc in review.cases if rc.audit_id is not None]
    return render_template(
        "thematic_review/reviews/show.html",
        title=f"{'Error: ' if problems else ''}Thematic review: {review.theme}",
        review=review,
        members=reviews.members_of(review),
        progress=reviews.action_progress(audits),
        viewable={
            rc.audit_id
            for rc in review.cases
            if rc.audit and can_view_audit(current_user, rc.audit)
        },
        family=reviews.family_counts(review),
        escalations=reviews.escalations(review),
        today=date.today(),
        links=True,
        problems=problems,
    ), status


# The list and setting a review up -------------------------------------------------------


@bp.route("/")
def index():
    """The reviews the signed-in user may see, with the quarterly rhythm."""
    return render_template(
        "thematic_review/reviews/index.html",
        title="Thematic reviews",
        reviews=reviews.reviews_for(current_user),
        rhythm=reviews.rhythm(date.today()),
        may_read_plan=access.can_read_plan(current_user),
    )


def _review_form(review: Review | None = None) -> ReviewForm:
    form = ReviewForm(obj=review)
    if review is not None and not form.is_submitted():
        form.lead_id.data = review.lead_id
        form.qa_lead_id.data = review.qa_lead_id
        form.member_ids.data = [member.user_id for member in review.members]
    elif review is None and not form.is_submitted():
        form.qa_lead_id.data = current_user.id
    form.lead_id.choices = _people_choices(
        reviews.people_with(Role.SAFEGUARDING_UNIT), "Choose the lead"
    )
    form.qa_lead_id.choices = _people_choices(
        reviews.people_with(Role.QA_LEAD), "Choose the QA lead"
    )
    form.member_ids.choices = [
        (person.id, f"{person.name} ({person.job_title})" if person.job_title else person.name)
        for person in reviews.staff()
    ]
    return form


def _details(form: ReviewForm) -> ReviewDetails:
    return ReviewDetails(
        theme=form.theme.data.strip(),
        first_day=form.first_day.data,
        second_day=form.second_day.data,
        venue=form.venue.data.strip(),
        lead=db.session.get(User, form.lead_id.data),
        qa_lead=db.session.get(User, form.qa_lead_id.data),
        members=[
            db.session.get(User, person_id) for person_id in dict.fromkeys(form.member_ids.data)
        ],
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new_review():
    """Set up a review: theme, dates, venue, lead, QA lead and members."""
    form = _review_form()
    if form.validate_on_submit():
        if form.first_day.data < date.today():
            form.first_day.errors.append("The first day must be today or later")
        else:
            review = reviews.create_review(_details(form), current_user)
            db.session.commit()
            flash(f"The thematic review of {review.theme} is set up. Now add its cases.", "success")
            return redirect(url_for("thematic_review.review_cases", review_id=review.id))
    return render_template(
        "thematic_review/reviews/form.html", title="Set up a thematic review", form=form
    ), 400 if form.errors else 200


@bp.route("/<int:review_id>")
def review_page(review_id: int):
    """Everything about a review: its cases and pairs, the discussions, the report and the
    action plan."""
    review = access.review_or_404(review_id, current_user)
    return _review_page(review)


@bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def edit_review(review_id: int):
    """Change a review's theme, dates, venue, lead, QA lead or members."""
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    form = _review_form(review)
    if form.validate_on_submit():
        try:
            reviews.update_review(review, _details(form), current_user)
        except ReviewError as error:
            db.session.rollback()
            _report_error(form, error, "member_ids")
        else:
            db.session.commit()
            flash("The review is changed.", "success")
            return redirect(url_for("thematic_review.review_page", review_id=review.id))
    return render_template(
        "thematic_review/reviews/form.html", title="Change the review", form=form, review=review
    ), 400 if form.errors else 200


# Cases and pairs ------------------------------------------------------------------------


def _draw_form(review: Review) -> DrawForm:
    form = DrawForm()
    services = db.session.scalars(
        select(Service).where(Service.code.in_(THEMATIC_REVIEW.services)).order_by(Service.name)
    ).all()
    form.case_types.choices = [(code, CaseType(code).label) for code in THEMATIC_REVIEW.case_types]
    form.service_codes.choices = [(service.code, service.name) for service in services]
    form.team_ids.choices = [
        (team.id, team.name)
        for team in db.session.scalars(
            select(Team).where(Team.service_id.in_([s.id for s in services])).order_by(Team.name)
        )
    ]
    if not form.is_submitted():
        theme, rules = theme_filter(review.first_day.replace(day=1))
        if theme is not None:
            form.case_types.data = [c for c in rules.case_types if c in THEMATIC_REVIEW.case_types]
            form.service_codes.data = list(rules.service_codes)
            form.team_ids.data = list(rules.team_ids)
    return form


def _cases_page(review: Review, draw_form: DrawForm, choose_form: ChooseForm, status: int = 200):
    theme, _ = theme_filter(review.first_day.replace(day=1))
    return render_template(
        "thematic_review/reviews/cases.html",
        title=f"{'Error: ' if status == 400 else ''}Cases of the review",
        review=review,
        draw_form=draw_form,
        choose_form=choose_form,
        scheduled_theme=theme,
        problems=[
            {"text": errors[0], "href": f"#{form[name].id}"}
            for form in (draw_form, choose_form)
            for name, errors in form.errors.items()
        ],
    ), status


def _planning_review(review_id: int) -> Review:
    _organiser_only()
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is not Status.PLANNING:
        abort(409)
    return review


@bp.route("/<int:review_id>/cases")
@roles_required(Role.QA_LEAD)
def review_cases(review_id: int):
    """The review's cases: draw them from a filter, or choose them with a reason."""
    review = _planning_review(review_id)
    return _cases_page(review, _draw_form(review), ChooseForm(formdata=None))


@bp.post("/<int:review_id>/cases/draw")
@roles_required(Role.QA_LEAD)
def draw_review_cases(review_id: int):
    """Draw cases at random (seeded) from the filter."""
    review = _planning_review(review_id)
    form = _draw_form(review)
    if form.validate_on_submit():
        try:
            seed = parse_seed(form.seed.data)
        except SelectionError as error:
            form.seed.errors.append(str(error))
        else:
            rules = ThemeFilter(
                case_types=tuple(form.case_types.data),
                service_codes=tuple(form.service_codes.data),
                team_ids=tuple(form.team_ids.data),
            )
            try:
                drawn = reviews.draw_cases(
                    review, rules, int(form.count.data), seed, current_user, date.today()
                )
            except ReviewError as error:
                db.session.rollback()
                _report_error(form, error, "count")
            else:
                db.session.commit()
                flash(f"{len(drawn)} cases drawn with the seed {seed}.", "success")
                return redirect(url_for("thematic_review.review_cases", review_id=review.id))
    return _cases_page(review, form, ChooseForm(formdata=None), 400)


@bp.post("/<int:review_id>/cases/choose")
@roles_required(Role.QA_LEAD)
def choose_review_case(review_id: int):
    """Add a case chosen by hand, with the reason."""
    review = _planning_review(review_id)
    form = ChooseForm()
    if form.validate_on_submit():
        try:
            review_case = reviews.choose_case(
                review, form.reference.data, form.reason.data, current_user
            )
        except ReviewError as error:
            db.session.rollback()
            _report_error(form, error, "reference")
        else:
            db.session.commit()
            flash(f"{review_case.case.reference} is added to the review.", "success")
            return redirect(url_for("thematic_review.review_cases", review_id=review.id))
    draw_form = _draw_form(review)
    draw_form.process(formdata=None, data={"count": str(MINIMUM_CASES)})
    return _cases_page(review, draw_form, form, 400)


@bp.post("/<int:review_id>/cases/<int:review_case_id>/remove")
@roles_required(Role.QA_LEAD)
def remove_review_case(review_id: int, review_case_id: int):
    """Take a case that is not yet paired out of the review."""
    review = _planning_review(review_id)
    review_case = _review_case_or_404(review, review_case_id)
    try:
        reviews.remove_case(review_case, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _review_page(review, _problem(error), 400)
    db.session.commit()
    flash("The case is taken out of the review.", "success")
    return redirect(url_for("thematic_review.review_cases", review_id=review.id))


@bp.route("/<int:review_id>/cases/<int:review_case_id>/pair", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def pair_review_case(review_id: int, review_case_id: int):
    """Pair two members to review a case (nobody reviews a case they hold or one from a team
    they manage); the case review is allocated to both."""
    review = _planning_review(review_id)
    review_case = _review_case_or_404(review, review_case_id)
    if review_case.audit_id is not None:
        abort(409)
    form = PairForm()
    members = reviews.members_of(review)
    form.first.choices = _people_choices(members, "Choose the first auditor")
    form.second.choices = _people_choices(members, "Choose the second auditor")
    if form.validate_on_submit():
        first = db.session.get(User, form.first.data)
        second = db.session.get(User, form.second.data)
        try:
            reviews.pair_auditors(review_case, first, second, current_user, date.today())
        except ReviewError as error:
            db.session.rollback()
            _report_error(form, error, "first")
        else:
            db.session.commit()
            flash(f"{first.name} and {second.name} review {review_case.case.reference}.", "success")
            return redirect(url_for("thematic_review.review_page", review_id=review.id))
    return render_template(
        "thematic_review/reviews/pair.html",
        title=f"Pair the auditors of {review_case.case.reference}",
        review=review,
        review_case=review_case,
        form=form,
    ), 400 if form.errors else 200


@bp.post("/<int:review_id>/start")
@roles_required(Role.QA_LEAD)
def start_review(review_id: int):
    """Start the review: at least 12 cases, all of them paired."""
    review = access.review_or_404(review_id, current_user)
    try:
        reviews.start_review(review, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _review_page(review, _problem(error), 400)
    db.session.commit()
    flash("The review is under way.", "success")
    return redirect(url_for("thematic_review.review_page", review_id=review.id))


# The question framework -----------------------------------------------------------------


def _questions_page(review: Review, field_errors: dict | None = None, typed: dict | None = None):
    field_errors = field_errors or {}
    return render_template(
        "thematic_review/reviews/questions.html",
        title=f"{'Error: ' if field_errors else ''}Questions for the social workers",
        review=review,
        field_errors=field_errors,
        typed=typed or {},
        problems=[{"text": text, "href": f"#{key}"} for key, text in field_errors.items()],
    ), 400 if field_errors else 200


def _question_text() -> tuple[str, str | None]:
    text = request.form.get("text", "").replace("\r\n", "\n").strip()
    if not text:
        return text, "Enter the question"
    if len(text) > QUESTION_LIMIT:
        return text, f"Use {QUESTION_LIMIT} characters or fewer"
    return text, None


def _editable_questions(review_id: int) -> Review:
    _organiser_only()
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    return review


def _question_or_404(review: Review, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.review_id != review.id:
        abort(404)
    return question


@bp.route("/<int:review_id>/questions", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def review_questions(review_id: int):
    """The questions of the discussion with each social worker: add one (POST)."""
    review = _editable_questions(review_id)
    if request.method == "POST":
        text, error = _question_text()
        if error:
            return _questions_page(review, {"new-question": error}, {"new-question": text})
        reviews.add_question(review, text, current_user)
        db.session.commit()
        flash("The question is added.", "success")
        return redirect(url_for("thematic_review.review_questions", review_id=review.id))
    return _questions_page(review)


@bp.post("/<int:review_id>/questions/<int:question_id>")
@roles_required(Role.QA_LEAD)
def change_review_question(review_id: int, question_id: int):
    """Change the wording of a question."""
    review = _editable_questions(review_id)
    question = _question_or_404(review, question_id)
    field = f"question-{question.id}"
    text, error = _question_text()
    if error:
        return _questions_page(review, {field: error}, {field: text})
    reviews.change_question(question, text, current_user)
    db.session.commit()
    flash("The question is changed.", "success")
    return redirect(url_for("thematic_review.review_questions", review_id=review.id))


@bp.post("/<int:review_id>/questions/<int:question_id>/remove")
@roles_required(Role.QA_LEAD)
def remove_review_question(review_id: int, question_id: int):
    """Take a question out of the framework (not one with answers recorded)."""
    review = _editable_questions(review_id)
    question = _question_or_404(review, question_id)
    try:
        reviews.remove_question(question, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _questions_page(review, {f"question-{question.id}": str(error)})
    db.session.commit()
    flash("The question is removed.", "success")
    return redirect(url_for("thematic_review.review_questions", review_id=review.id))


@bp.post("/<int:review_id>/questions/<int:question_id>/move")
@roles_required(Role.QA_LEAD)
def move_review_question(review_id: int, question_id: int):
    """Move a question up or down the framework."""
    review = _editable_questions(review_id)
    question = _question_or_404(review, question_id)
    direction = request.form.get("direction")
    if direction not in {"up", "down"}:
        abort(400)
    reviews.move_question(question, -1 if direction == "up" else 1)
    db.session.commit()
    return redirect(
        url_for("thematic_review.review_questions", review_id=review.id, _anchor=f"q{question.id}")
    )


# The discussion with the social worker --------------------------------------------------


def _case_page(
    review: Review,
    review_case: ReviewCase,
    field_errors: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
):
    field_errors = field_errors or {}
    progress = reviews.action_progress([review_case.audit_id] if review_case.audit_id else [])
    return render_template(
        "thematic_review/reviews/case.html",
        title=f"{'Error: ' if field_errors else ''}Case {review_case.case.reference}: "
        f"{review.theme}",
        review=review,
        review_case=review_case,
        pair=reviews.pair_of(review_case),
        progress=progress.get(review_case.audit_id),
        may_view_audit=review_case.audit is not None
        and can_view_audit(current_user, review_case.audit),
        may_record=access.can_record_discussion(current_user, review_case)
        and reviews.status_of(review) is not Status.ENDORSED,
        field_errors=field_errors,
        typed=typed,
        problems=[{"text": text, "href": f"#{key}"} for key, text in field_errors.items()],
    ), status


@bp.route("/<int:review_id>/cases/<int:review_case_id>")
def review_case_page(review_id: int, review_case_id: int):
    """A case of the review: its pair and case review, the notice to the worker and the
    discussion with them."""
    review = access.review_or_404(review_id, current_user)
    return _case_page(review, _review_case_or_404(review, review_case_id))


def _recordable(review_id: int, review_case_id: int) -> tuple[Review, ReviewCase]:
    review = access.review_or_404(review_id, current_user)
    review_case = _review_case_or_404(review, review_case_id)
    if not access.can_record_discussion(current_user, review_case):
        abort(403)
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    return review, review_case


@bp.post("/<int:review_id>/cases/<int:review_case_id>/notice")
def send_case_notice(review_id: int, review_case_id: int):
    """Tell the case's worker (and their manager) the date and that they must attend."""
    review, review_case = _recordable(review_id, review_case_id)
    try:
        told = reviews.send_notice(review_case, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _case_page(review, review_case, {"notice": str(error)}, status=400)
    db.session.commit()
    flash(f"Notice sent to {' and '.join(person.name for person in told)}.", "success")
    return redirect(
        url_for(
            "thematic_review.review_case_page", review_id=review.id, review_case_id=review_case.id
        )
    )


@bp.post("/<int:review_id>/notices")
@roles_required(Role.QA_LEAD)
def send_review_notices(review_id: int):
    """Send notice to the worker of every case not yet told."""
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    waiting = [rc for rc in review.cases if rc.worker_notified_at is None]
    skipped = []
    for review_case in waiting:
        try:
            reviews.send_notice(review_case, current_user)
        except ReviewError as error:
            skipped.append(str(error))
    db.session.commit()
    sent = len(waiting) - len(skipped)
    flash(
        f"Notice sent for {sent} case{'' if sent == 1 else 's'}."
        + (f" Not sent: {'; '.join(skipped)}." if skipped else ""),
        "error" if skipped else "success",
    )
    return redirect(url_for("thematic_review.review_page", review_id=review.id))


@bp.post("/<int:review_id>/cases/<int:review_case_id>/discussion")
def record_case_discussion(review_id: int, review_case_id: int):
    """Record the worker's attendance and their answers to each question, with notes."""
    review, review_case = _recordable(review_id, review_case_id)
    form = request.form
    typed = {
        "attended": form.get("attended", ""),
        "notes": form.get("notes", "").replace("\r\n", "\n").strip(),
        **{
            f"answer-{q.id}": form.get(f"answer-{q.id}", "").replace("\r\n", "\n").strip()
            for q in review.questions
        },
    }
    errors = {}
    if typed["attended"] not in {"yes", "no"}:
        errors["attended"] = "Say whether the social worker attended"
    errors.update(
        {
            key: f"Use {TEXT_LIMIT} characters or fewer"
            for key, text in typed.items()
            if len(text) > TEXT_LIMIT
        }
    )
    if errors:
        return _case_page(review, review_case, errors, typed, 400)
    reviews.record_discussion(
        review_case,
        typed["attended"] == "yes",
        {q.id: typed[f"answer-{q.id}"] for q in review.questions},
        typed["notes"],
        current_user,
    )
    db.session.commit()
    flash("The discussion is recorded.", "success")
    return redirect(
        url_for(
            "thematic_review.review_case_page", review_id=review.id, review_case_id=review_case.id
        )
    )


# The report -----------------------------------------------------------------------------


@bp.route("/<int:review_id>/report", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def write_review_report(review_id: int):
    """The QA lead writes the findings, the recommendations and the family voice themes."""
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    form = ReportForm(obj=review)
    if form.validate_on_submit():
        reviews.write_report(
            review,
            form.findings.data,
            form.recommendations.data,
            form.family_voice.data or "",
            current_user,
        )
        db.session.commit()
        flash("The report is saved.", "success")
        return redirect(
            url_for("thematic_review.review_page", review_id=review.id, _anchor="report")
        )
    return render_template(
        "thematic_review/reviews/report_form.html",
        title="The review's report",
        review=review,
        form=form,
        family=reviews.family_counts(review),
    ), 400 if form.errors else 200


@bp.post("/<int:review_id>/endorse")
@roles_required(Role.SAFEGUARDING_UNIT)
def endorse_review(review_id: int):
    """The safeguarding unit endorses the report; it is read-only from then on."""
    review = access.review_or_404(review_id, current_user)
    try:
        reviews.endorse(review, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _review_page(review, _problem(error), 400)
    db.session.commit()
    flash("The report is endorsed.", "success")
    return redirect(url_for("thematic_review.review_page", review_id=review.id, _anchor="report"))


@bp.route("/<int:review_id>/report.pdf")
def review_report_pdf(review_id: int):
    """The review's report as an A4 PDF, for the Departmental Management Meeting and the
    Safeguarding Board."""
    review = access.review_or_404(review_id, current_user)
    html = render_template(
        "thematic_review/reviews/report_print.html",
        title=f"Thematic review: {review.theme}",
        review=review,
        members=reviews.members_of(review),
        family=reviews.family_counts(review),
        escalations=reviews.escalations(review),
        today=date.today(),
        links=False,
    )
    document = html_to_pdf(html)
    record("downloaded", "thematic_review", review.id, actor_id=current_user.id, summary="PDF")
    db.session.commit()
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="thematic-review-{review.id}.pdf"'},
    )


# The action plan ------------------------------------------------------------------------


@bp.route("/<int:review_id>/plan/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new_plan_item(review_id: int):
    """Add a SMART action to the review's plan."""
    review = access.review_or_404(review_id, current_user)
    form = PlanItemForm()
    form.owner_id.choices = _people_choices(reviews.staff(), "Choose the owner")
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data)
        try:
            plan.add_item(
                review,
                form.action.data,
                owner,
                form.measure.data,
                form.due_on.data,
                current_user,
                date.today(),
            )
        except ReviewError as error:
            db.session.rollback()
            _report_error(form, error, "action")
        else:
            db.session.commit()
            flash("The action is added to the plan.", "success")
            return redirect(
                url_for("thematic_review.review_page", review_id=review.id, _anchor="plan")
            )
    return render_template(
        "thematic_review/plan/new.html", title="Add an action to the plan", review=review, form=form
    ), 400 if form.errors else 200


@bp.route("/plan")
def rolling_plan():
    """The rolling action plan: every review's actions, with progress; overdue ones flagged."""
    if not access.can_read_plan(current_user):
        abort(403)
    items, today = plan.rolling_plan(current_user), date.today()
    return render_template(
        "thematic_review/plan/index.html",
        title="Rolling action plan",
        items=items,
        today=today,
        overdue=plan.is_overdue,
        counts={
            "open": sum(1 for item in items if item.status == plan.OPEN),
            "overdue": sum(1 for item in items if plan.is_overdue(item, today)),
            "done": sum(1 for item in items if item.status == plan.DONE),
        },
    )


def _plan_item_or_404(item_id: int) -> PlanItem:
    item = db.session.get(PlanItem, item_id)
    if item is None:
        abort(404)
    if not access.can_see_plan_item(current_user, item):
        abort(403)
    return item


@bp.route("/plan/<int:item_id>", methods=["GET", "POST"])
def plan_item(item_id: int):
    """An action of the plan and its progress; its owner or the QA lead records progress."""
    item = _plan_item_or_404(item_id)
    may_update = access.can_update_plan_item(current_user, item) and item.status == plan.OPEN
    form = ProgressForm()
    if request.method == "POST":
        if not may_update:
            abort(403 if item.status == plan.OPEN else 409)
        if form.validate_on_submit():
            plan.record_progress(item, form.progress.data, form.done.data, current_user)
            db.session.commit()
            flash(
                "The action is done." if form.done.data else "The progress is recorded.", "success"
            )
            return redirect(url_for("thematic_review.plan_item", item_id=item.id))
    return render_template(
        "thematic_review/plan/item.html",
        title="Action from a thematic review",
        item=item,
        form=form,
        may_update=may_update,
        may_see_review=access.can_see_review(current_user, item.review),
        overdue=plan.is_overdue(item, date.today()),
    ), 400 if form.errors else 200


# What the plugin adds to the portal's own pages -----------------------------------------


def navigation(user: User) -> list[NavItem]:
    """The menu item "Thematic reviews" for the QA lead, the safeguarding unit, the members of
    any review, those who monitor the rolling action plan and the owners of its actions."""
    if (
        user.has_role(*access.PLAN_READERS)
        or reviews.is_member_of_any(user)
        or access.can_read_plan(user)
    ):
        return [NavItem("Thematic reviews", "thematic_review.index")]
    return []


def _review_link(review: Review) -> Markup:
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(
        url_for("thematic_review.review_page", review_id=review.id), review.theme
    )


def _next_step(review: Review) -> str:
    cases = len(review.cases)
    unpaired = sum(1 for review_case in review.cases if review_case.audit_id is None)
    if cases < MINIMUM_CASES:
        return f"Add cases: {cases} of at least {MINIMUM_CASES}"
    if unpaired:
        return f"Pair the auditors of {unpaired} case{'' if unpaired == 1 else 's'}"
    if reviews.status_of(review) is Status.PLANNING:
        return "Start the review"
    if not (review.findings and review.recommendations):
        return "Write the report"
    return "Waiting for the safeguarding unit to endorse the report"


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """The home page's panels: the QA lead's reviews to finish, the safeguarding unit's
    reports to endorse, a member's reviews, and an owner's actions."""
    open_reviews = [
        review
        for review in reviews.reviews_for(user)
        if reviews.status_of(review) is not Status.ENDORSED
    ]
    panels = []
    if access.can_organise(user):
        panels.append(
            DashboardPanel(
                "Thematic reviews to finish",
                "No thematic review is being planned or under way.",
                ["Review", "Dates", "Next step"],
                [
                    [_review_link(review), reviews.dates_in_words(review), _next_step(review)]
                    for review in open_reviews
                ],
                link=(url_for("thematic_review.new_review"), "Set up a thematic review"),
            )
        )
    if access.can_endorse(user):
        waiting = [
            review
            for review in open_reviews
            if reviews.status_of(review) is Status.UNDER_WAY
            and review.findings
            and review.recommendations
        ]
        if waiting:
            panels.append(
                DashboardPanel(
                    "Thematic review reports to endorse",
                    "",
                    ["Review", "Dates", "QA lead"],
                    [[_review_link(r), reviews.dates_in_words(r), r.qa_lead.name] for r in waiting],
                )
            )
    mine = [review for review in open_reviews if access.is_member(user, review)]
    if mine and not access.can_organise(user):
        panels.append(
            DashboardPanel(
                "Your thematic reviews",
                "",
                ["Review", "Dates", "Venue", "Cases you review"],
                [
                    [
                        _review_link(review),
                        reviews.dates_in_words(review),
                        review.venue,
                        ", ".join(
                            rc.case.reference for rc in review.cases if access.is_pair(user, rc)
                        )
                        or "None yet",
                    ]
                    for review in mine
                ],
            )
        )
    owned = [
        item
        for item in db.session.scalars(
            select(PlanItem)
            .where(PlanItem.owner_id == user.id, PlanItem.status == plan.OPEN)
            .order_by(PlanItem.due_on, PlanItem.id)
        )
    ]
    if owned:
        today = date.today()
        panels.append(
            DashboardPanel(
                "Your actions from thematic reviews",
                "",
                ["Action", "Review", "Due"],
                [
                    [
                        Markup('<a class="govuk-link" href="{}">{}</a>').format(
                            url_for("thematic_review.plan_item", item_id=item.id), item.action
                        ),
                        item.review.theme,
                        f"{item.due_on:%-d %b %Y}"
                        + (" (overdue)" if plan.is_overdue(item, today) else ""),
                    ]
                    for item in owned
                ],
                link=(url_for("thematic_review.rolling_plan"), "The rolling action plan"),
            )
        )
    return panels


def schedule_entries(start: date, end: date) -> list[ScheduleEntry]:
    """Each review on the thematic schedule, in the month of its first day."""
    found = db.session.scalars(
        select(Review)
        .where(Review.first_day >= start, Review.first_day < end)
        .order_by(Review.first_day, Review.id)
    )
    return [
        ScheduleEntry(
            review.first_day,
            f"Thematic review: {review.theme} ({reviews.dates_in_words(review)})",
            url_for("thematic_review.review_page", review_id=review.id),
        )
        for review in found
    ]
