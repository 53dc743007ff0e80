"""Who may see and do what in a thematic review.

Reviews are set up by the QA lead; the safeguarding unit leads them and endorses the
report. Family feedback is read only by the review's members, the QA lead, the
safeguarding unit and the case's management chain.
"""

from __future__ import annotations

from flask import abort

from plugins.thematic_review.models import Review, ReviewCase
from portal.extensions import db
from portal.models import Role, User

ORGANISERS = (Role.QA_LEAD,)
OVERSIGHT = (Role.QA_LEAD, Role.SAFEGUARDING_UNIT)


def is_member(user: User, review: Review) -> bool:
    """True for the review's members, its lead and its QA lead."""
    return user.id in {review.lead_id, review.qa_lead_id} or any(
        member.user_id == user.id for member in review.members
    )


def can_see_review(user: User, review: Review) -> bool:
    """The review's members, the QA lead and the safeguarding unit."""
    return user.has_role(*OVERSIGHT) or is_member(user, review)


def can_read_family_feedback(user: User, review_case: ReviewCase) -> bool:
    """Members, QA lead, safeguarding unit, and the management chain of the case's team."""
    return can_see_review(user, review_case.review) or user in (
        review_case.case.team.management_chain()
    )


def review_or_404(review_id: int, user: User) -> Review:
    """The review if *user* may see it: 404 when there is none, 403 when they may not."""
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    if not can_see_review(user, review):
        abort(403)
    return review


def review_case_or_404(review_case_id: int) -> ReviewCase:
    """A case of a review (the caller checks the user may see what it shows)."""
    review_case = db.session.get(ReviewCase, review_case_id)
    if review_case is None:
        abort(404)
    return review_case
