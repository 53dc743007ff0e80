"""Pairs for every case of a review on one page: the QA lead chooses two of the review's
members for each case not yet paired, and saves them all at once.

A row left empty is skipped; one with a single auditor, or a pair the service refuses
(someone who holds the case or manages its team, the same person twice), is shown in the
GOV.UK error summary with its case, and then nothing is saved (400): the choices stay on the
page to be put right.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from plugins.thematic_review import cases, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.forms import listed_id
from plugins.thematic_review.models import ReviewCase
from plugins.thematic_review.reviews import ReviewError
from plugins.thematic_review.views.cases import planning_review
from plugins.thematic_review.views.shared import error_summary, page_title, saved
from portal.plugin_api import Role, User, db, roles_required, today_london


def _unpaired(review) -> list[ReviewCase]:
    return [review_case for review_case in review.cases if review_case.audit_id is None]


def _chosen(review_case: ReviewCase, members: dict[int, User]) -> tuple[User | None, ...]:
    """The two people chosen for *review_case* in the posted form (None: not chosen, or
    not a member of the review)."""
    return tuple(
        members.get(listed_id(request.form.get(f"{slot}-{review_case.id}", "")))
        for slot in ("first", "second")
    )


def _pair_all(review, unpaired: list[ReviewCase], members: dict[int, User]) -> dict[str, str]:
    """Pair every case with two people chosen; the problems found, by field id."""
    problems: dict[str, str] = {}
    paired = 0
    for review_case in unpaired:
        first, second = _chosen(review_case, members)
        if first is None and second is None:
            continue
        reference = review_case.case.reference
        try:
            cases.pair_auditors(review_case, first, second, current_user, today_london())
            paired += 1
        except ReviewError as error:
            field = "second" if error.field == "second" else "first"
            problems[f"{field}-{review_case.id}"] = f"{reference}: {error}"
    if not paired and not problems:
        problems["cases-to-pair"] = "Choose the two auditors of at least one case"
    return problems


@bp.route("/<int:review_id>/pairs", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def pair_all_cases(review_id: int):
    """Choose the pair of every case not yet paired, on one page, and save them together."""
    review = reviews.with_rows(planning_review(review_id))
    members = reviews.members_of(review)
    unpaired = _unpaired(review)
    problems: dict[str, str] = {}
    if request.method == "POST" and unpaired:
        problems = _pair_all(review, unpaired, {person.id: person for person in members})
        if not problems:
            count = sum(1 for review_case in unpaired if review_case.audit is not None)
            return saved(
                f"{count} {'case is' if count == 1 else 'cases are'} paired.",
                url_for("thematic_review.review_page", review_id=review.id, _anchor="cases"),
            )
        db.session.rollback()
    return render_template(
        "thematic_review/reviews/pairs.html",
        title=page_title(f"Pair the auditors: {review.theme}", problems),
        review=review,
        unpaired=unpaired,
        members=members,
        chosen=request.form if request.method == "POST" else {},
        errors=problems,
        problems=error_summary(problems),
    ), 400 if problems else 200
