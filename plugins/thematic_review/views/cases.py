"""The pages that give a review its cases and pairs, while it is being planned: draw cases at
random (seeded) from a filter, choose one by hand with a reason, take one out, and pair two
members to review each case.

Only the QA lead does these; once the review has started they are refused (409). Bad input
shows the GOV.UK error summary with status 400 and changes nothing.
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from plugins.thematic_review import access, cases, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.forms import (
    ChooseForm,
    DrawForm,
    PairForm,
    people_choices,
    show_error,
)
from plugins.thematic_review.models import Review, ReviewCase
from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.reviews import MINIMUM_CASES, ReviewError, Status
from plugins.thematic_review.views.reviews import carry_out
from plugins.thematic_review.views.shared import error_summary, page_title, saved
from portal.plugin_api import (
    CaseType,
    Role,
    SelectionError,
    Service,
    Team,
    ThemeFilter,
    User,
    db,
    parse_seed,
    roles_required,
    theme_filter,
    today_london,
)


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
    review = reviews.with_rows(review)
    theme, _ = theme_filter(review.first_day.replace(day=1))
    return render_template(
        "thematic_review/reviews/cases.html",
        title=page_title("Cases of the review", status == 400),
        review=review,
        draw_form=draw_form,
        choose_form=choose_form,
        scheduled_theme=theme,
        problems=error_summary(
            {
                form[name].id: errors[0]
                for form in (draw_form, choose_form)
                for name, errors in form.errors.items()
            }
        ),
    ), status


def planning_review(review_id: int) -> Review:
    """The review, if the signed-in user may see it and it is still planned (409 if not)."""
    review = access.review_or_404(review_id, current_user)
    if reviews.status_of(review) is not Status.PLANNING:
        abort(409)
    return review


def _back_to_cases(review: Review, message: str):
    return saved(message, url_for("thematic_review.review_cases", review_id=review.id))


@bp.route("/<int:review_id>/cases")
@roles_required(Role.QA_LEAD)
def review_cases(review_id: int):
    """The review's cases: draw them from a filter, or choose them with a reason."""
    review = planning_review(review_id)
    return _cases_page(review, _draw_form(review), ChooseForm(formdata=None))


@bp.post("/<int:review_id>/cases/draw")
@roles_required(Role.QA_LEAD)
def draw_review_cases(review_id: int):
    """Draw cases at random (seeded) from the filter."""
    review = planning_review(review_id)
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
                drawn = cases.draw_cases(
                    review, rules, int(form.count.data), seed, current_user, today_london()
                )
            except ReviewError as error:
                db.session.rollback()
                show_error(form, error, "count")
            else:
                return _back_to_cases(review, f"{len(drawn)} cases drawn with the seed {seed}.")
    return _cases_page(review, form, ChooseForm(formdata=None), 400)


@bp.post("/<int:review_id>/cases/choose")
@roles_required(Role.QA_LEAD)
def choose_review_case(review_id: int):
    """Add a case chosen by hand, with the reason."""
    review = planning_review(review_id)
    form = ChooseForm()
    if form.validate_on_submit():
        try:
            review_case = cases.choose_case(
                review, form.reference.data, form.reason.data, current_user
            )
        except ReviewError as error:
            db.session.rollback()
            show_error(form, error, "reference")
        else:
            return _back_to_cases(review, f"{review_case.case.reference} is added to the review.")
    draw_form = _draw_form(review)
    draw_form.process(formdata=None, data={"count": str(MINIMUM_CASES)})
    return _cases_page(review, draw_form, form, 400)


@bp.post("/<int:review_id>/cases/<int:review_case_id>/remove")
@roles_required(Role.QA_LEAD)
def remove_review_case(review_id: int, review_case_id: int):
    """Take a case that is not yet paired out of the review."""
    review = planning_review(review_id)
    review_case = access.in_review_or_404(ReviewCase, review_case_id, review)
    return carry_out(
        review,
        lambda: cases.remove_case(review_case, current_user),
        "The case is taken out of the review.",
        url_for("thematic_review.review_cases", review_id=review.id),
    )


@bp.route("/<int:review_id>/cases/<int:review_case_id>/pair", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def pair_review_case(review_id: int, review_case_id: int):
    """Pair two members to review a case (nobody reviews a case they hold or one from a team
    they manage); the case review is allocated to both."""
    review = planning_review(review_id)
    review_case = access.in_review_or_404(ReviewCase, review_case_id, review)
    if review_case.audit_id is not None:
        abort(409)
    form = PairForm()
    members = reviews.members_of(review)
    form.first.choices = people_choices(members, "Choose the first auditor")
    form.second.choices = people_choices(members, "Choose the second auditor")
    if form.validate_on_submit():
        first = db.session.get(User, form.first.data)
        second = db.session.get(User, form.second.data)
        try:
            cases.pair_auditors(review_case, first, second, current_user, today_london())
        except ReviewError as error:
            db.session.rollback()
            show_error(form, error, "first")
        else:
            return saved(
                f"{first.name} and {second.name} review {review_case.case.reference}.",
                url_for("thematic_review.review_page", review_id=review.id),
            )
    return render_template(
        "thematic_review/reviews/pair.html",
        title=f"Pair the auditors of {review_case.case.reference}",
        review=review,
        review_case=review_case,
        form=form,
    ), 400 if form.errors else 200
