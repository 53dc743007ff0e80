"""Who may see and do what in a thematic review.

Reviews are set up by the QA lead; the safeguarding unit leads them and endorses the
report. Family feedback is read only by the review's members, the QA lead, the
safeguarding unit and the case's management chain.
"""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy import ColumnElement, or_, select

from plugins.thematic_review.models import Member, PlanItem, Question, Review, ReviewCase
from portal.plugin_api import Role, User, db

ORGANISERS = (Role.QA_LEAD,)
OVERSIGHT = (Role.QA_LEAD, Role.SAFEGUARDING_UNIT)

#: What a review is made of, and a URL may name within it.
Part = TypeVar("Part", ReviewCase, Question)


def is_member(user: User, review: Review) -> bool:
    """True for the review's members, its lead and its QA lead."""
    return user.id in {review.lead_id, review.qa_lead_id} or any(
        member.user_id == user.id for member in review.members
    )


def can_see_review(user: User, review: Review) -> bool:
    """The review's members, the QA lead and the safeguarding unit."""
    return user.has_role(*OVERSIGHT) or is_member(user, review)


def can_capture_conversation(user: User, review: Review) -> bool:
    """The review's members and the QA lead: they talk with the families, link what the
    families said to the review's actions and write the replies."""
    return user.has_role(*ORGANISERS) or is_member(user, review)


def can_read_family_feedback(user: User, review_case: ReviewCase) -> bool:
    """Members, QA lead, safeguarding unit, and the management chain of the case's team."""
    return can_see_review(user, review_case.review) or user in (
        review_case.case.team.management_chain()
    )


def allow(permitted: bool) -> None:
    """Refuse (403) what the signed-in user may not do; every view's check ends here."""
    if not permitted:
        abort(403)


def review_or_404(review_id: int, user: User) -> Review:
    """The review if *user* may see it: 404 when there is none, 403 when they may not."""
    review = db.get_or_404(Review, review_id)
    allow(can_see_review(user, review))
    return review


def in_review_or_404(model: type[Part], ident: int, review: Review) -> Part:
    """A case or a question of *review*: 404 when there is none, or it is another review's."""
    part = db.session.get(model, ident)
    if part is None or part.review_id != review.id:
        abort(404)
    return part


def membership(user: User) -> ColumnElement[bool]:
    """:func:`is_member` in a query: the reviews *user* is a member, the lead or the QA lead
    of (a query that selects or joins :class:`Review`)."""
    return or_(
        Review.lead_id == user.id,
        Review.qa_lead_id == user.id,
        Review.id.in_(select(Member.review_id).where(Member.user_id == user.id)),
    )


# The reviews' set-up, the discussion with the worker, the report and the action plan -----

#: Who monitors the rolling action plan: the heads of service (the framework's "HofS
#: meetings"), the assistant director, the QA lead and the safeguarding unit.
PLAN_READERS = (
    Role.HEAD_OF_SERVICE,
    Role.ASSISTANT_DIRECTOR,
    Role.QA_LEAD,
    Role.SAFEGUARDING_UNIT,
)


def can_organise(user: User) -> bool:
    """The QA lead sets reviews up: cases, pairs, questions, the report and the action plan."""
    return user.has_role(*ORGANISERS)


def can_endorse(user: User) -> bool:
    """The safeguarding unit endorses a review's report."""
    return user.has_role(Role.SAFEGUARDING_UNIT)


def is_pair(user: User, review_case: ReviewCase) -> bool:
    """True when *user* is one of the two auditors paired to review the case."""
    return review_case.audit is not None and any(
        row.user_id == user.id for row in review_case.audit.auditor_rows
    )


def can_record_discussion(user: User, review_case: ReviewCase) -> bool:
    """The pair and the QA lead send the worker notice and record the discussion."""
    return can_organise(user) or is_pair(user, review_case)


def can_read_plan(user: User) -> bool:
    """Those who monitor the rolling action plan, and anyone who owns an item of it."""
    return user.has_role(*PLAN_READERS) or (
        db.session.scalar(select(PlanItem.id).where(PlanItem.owner_id == user.id).limit(1))
        is not None
    )


def can_see_plan_item(user: User, item: PlanItem) -> bool:
    """Those who monitor the rolling plan see every item; an owner sees their own."""
    return user.has_role(*PLAN_READERS) or item.owner_id == user.id


def can_update_plan_item(user: User, item: PlanItem) -> bool:
    """The item's owner and the QA lead record its progress."""
    return item.owner_id == user.id or can_organise(user)
