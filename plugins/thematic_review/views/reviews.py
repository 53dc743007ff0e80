"""The reviews' own pages: the list, setting a review up and changing it, the review page
(everything about one review) and starting the review; with what the other review pages
share: the templates' helpers, the review page shown again with a refusal, and finding a
review that may still change.

Only the QA lead sets reviews up and starts them; the members, the QA lead and the
safeguarding unit see a review. Bad input shows the GOV.UK error summary with status 400
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import abort, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from plugins.thematic_review import access, cases, listing, offline, review_report, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.forms import ReviewForm, listed_id, people_choices, show_error
from plugins.thematic_review.models import Review
from plugins.thematic_review.reviews import MINIMUM_CASES, ReviewDetails, ReviewError, Status
from plugins.thematic_review.views.shared import error_summary, page_title, saved
from portal.plugin_api import (
    Page,
    Role,
    User,
    db,
    paginate,
    roles_required,
    today_london,
    wants_fragment,
)
from portal.plugin_api import can_view as can_view_audit

RESULTS_ID = "review-results"

# What the review pages share ------------------------------------------------------------


@bp.context_processor
def review_helpers() -> dict:
    """What the reviews' templates share."""
    return {
        "review_dates": reviews.dates_in_words,
        "review_status": reviews.status_of,
        "Status": Status,
        "access": access,
        "minimum_cases": MINIMUM_CASES,
        "concern_source": review_report.concern_source,
    }


def still_open(review: Review) -> Review:
    """The review, unless its report is endorsed: then nothing about it changes (409)."""
    if reviews.status_of(review) is Status.ENDORSED:
        abort(409)
    return review


def render_review(review: Review, problems: list[dict] | None = None, status: int = 200):
    """The review page (with *problems* for its error summary, and *status*)."""
    review = reviews.with_rows(review)
    audits = [rc.audit_id for rc in review.cases if rc.audit_id is not None]
    return render_template(
        "thematic_review/reviews/show.html",
        title=page_title(f"Thematic review: {review.theme}", problems),
        review=review,
        members=reviews.members_of(review),
        progress=cases.action_progress(audits),
        viewable={
            rc.audit_id
            for rc in review.cases
            if rc.audit and can_view_audit(current_user, rc.audit)
        },
        family=review_report.family_counts(review),
        escalations=review_report.escalations(review),
        offline_pages=offline.offline_pages(review)
        if access.can_capture_conversation(current_user, review)
        else None,
        today=today_london(),
        links=True,
        problems=problems,
    ), status


def carry_out(review: Review, change: Callable[[], object], done: str, then: str):
    """Make a *change* to the review that the service may refuse: committed, with the
    message *done* and a redirect to *then*; refused, rolled back, with the review page
    showing why (400)."""
    try:
        change()
    except ReviewError as error:
        db.session.rollback()
        return render_review(review, error_summary(error.problems()), 400)
    return saved(done, then)


# The list and setting a review up -------------------------------------------------------


@bp.route("/")
def index():
    """The reviews the signed-in user may see, with the quarterly rhythm; filtered by
    status and year, 50 a page."""
    form = listing.build(request.args)
    page, filtered = listing.review_page(current_user, form)
    template = "thematic_review/reviews/index.html"
    context = {
        "title": "Thematic reviews",
        "filters": form,
        "page": page,
        "filtered": filtered,
        "rhythm": reviews.rhythm(today_london()),
        "may_read_plan": access.can_read_plan(current_user),
    }
    if wants_fragment(RESULTS_ID):
        return render_block(template, "results", **context)
    return render_template(template, **context)


#: The people found by the members' search, a page at a time.
PEOPLE_PER_PAGE = 10
PEOPLE_ID = "people-results"


def _person_label(person: User) -> str:
    return f"{person.name} ({person.job_title})" if person.job_title else person.name


def _review_form(review: Review | None = None) -> ReviewForm:
    form = ReviewForm(obj=review)
    if review is not None and not form.is_submitted():
        form.lead_id.data = review.lead_id
        form.qa_lead_id.data = review.qa_lead_id
        form.member_ids.data = [member.user_id for member in review.members]
    elif review is None and not form.is_submitted():
        form.qa_lead_id.data = current_user.id
    form.lead_id.choices = people_choices(
        reviews.people_with(Role.SAFEGUARDING_UNIT), "Choose the lead"
    )
    form.qa_lead_id.choices = people_choices(
        reviews.people_with(Role.QA_LEAD), "Choose the QA lead"
    )
    # the members chosen so far (the search adds others): not a list of every member of staff
    chosen = reviews.staff_among(form.member_ids.data or ())
    form.member_ids.choices = [(person.id, _person_label(person)) for person in chosen]
    return form


def people_found(text: str, chosen: Iterable[int]) -> Page:
    """A page of the staff the members' search finds for *text*, leaving out those *chosen*."""
    return paginate(reviews.find_staff(text, chosen), per_page=PEOPLE_PER_PAGE, arg="people_page")


def _form_page(template_args: dict, form: ReviewForm, searching: bool):
    """The set-up form; with the search's results when the search was asked for (no script:
    the form was sent with "Search"), keeping everything typed."""
    text = (request.values.get("find") or "").strip()[:100]
    found = people_found(text, form.member_ids.data or ()) if searching or text else None
    return render_template(
        "thematic_review/reviews/form.html",
        form=form,
        find=text,
        found=found,
        chosen=reviews.staff_among(form.member_ids.data or ()),
        members_error=(form.member_ids.errors or [None])[0],
        people_id=PEOPLE_ID,
        person_label=_person_label,
        out_of_band=False,
        **template_args,
    ), 400 if form.errors else 200


@bp.route("/people")
@roles_required(Role.QA_LEAD)
def find_people():
    """The members' search (htmx): staff whose name, job title or email holds ``find``, a
    page of 10 at a time, leaving out those already ticked (``member_ids``)."""
    text = (request.args.get("find") or "").strip()[:100]
    chosen = [listed_id(value) for value in request.args.getlist("member_ids")]
    return render_template(
        "thematic_review/reviews/_people.html",
        find=text,
        found=people_found(text, chosen),
        chosen=reviews.staff_among(chosen),
        members_error=None,
        people_id=PEOPLE_ID,
        person_label=_person_label,
        out_of_band=True,
    )


def _searching() -> bool:
    """True when the form was sent to search for members (its "Search" button, or the
    results' "More people"), not to be saved."""
    return request.method == "POST" and "search_people" in request.form


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
    searching = _searching()
    if not searching and form.validate_on_submit():
        if form.first_day.data < today_london():
            form.first_day.errors.append("The first day must be today or later")
        else:
            review = reviews.create_review(_details(form), current_user)
            return saved(
                f"The thematic review of {review.theme} is set up. Now add its cases.",
                url_for("thematic_review.review_cases", review_id=review.id),
            )
    return _form_page({"title": "Set up a thematic review"}, form, searching)


@bp.route("/<int:review_id>")
def review_page(review_id: int):
    """Everything about a review: its cases and pairs, the discussions, the report and the
    action plan."""
    return render_review(access.review_or_404(review_id, current_user))


@bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def edit_review(review_id: int):
    """Change a review's theme, dates, venue, lead, QA lead or members."""
    review = still_open(access.review_or_404(review_id, current_user))
    form = _review_form(review)
    searching = _searching()
    if not searching and form.validate_on_submit():
        try:
            reviews.update_review(review, _details(form), current_user)
        except ReviewError as error:
            db.session.rollback()
            show_error(form, error, "member_ids")
        else:
            return saved(
                "The review is changed.",
                url_for("thematic_review.review_page", review_id=review.id),
            )
    return _form_page({"title": "Change the review", "review": review}, form, searching)


@bp.post("/<int:review_id>/start")
@roles_required(Role.QA_LEAD)
def start_review(review_id: int):
    """Start the review: at least 12 cases, all of them paired."""
    review = access.review_or_404(review_id, current_user)
    return carry_out(
        review,
        lambda: reviews.start_review(review, current_user),
        "The review is under way.",
        url_for("thematic_review.review_page", review_id=review.id),
    )
