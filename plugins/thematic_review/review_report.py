"""A review's report: the findings, the recommendations and the family voice themes the QA
lead writes, its endorsement by the safeguarding unit, and the figures it shows beside them
(the family conversations of its cases, and the safeguarding concerns raised about them).

(The plugin's section of the monthly learning report is ``report``.) Every function works in
the current transaction and the caller commits; a refusal raises :class:`ReviewError` and
changes nothing.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from plugins.thematic_review.family import GIVEN, REFUSED
from plugins.thematic_review.models import Conversation, Reply, Review, ReviewCase
from plugins.thematic_review.reviews import (
    ReviewError,
    Status,
    must_not_be_endorsed,
    record_on,
    status_of,
    tell,
)
from portal.plugin_api import SafeguardingConcern, User, db, utcnow

# The report -----------------------------------------------------------------------------


def write_report(
    review: Review, findings: str, recommendations: str, family_voice: str, user: User
) -> None:
    """Save the report's findings, recommendations and family voice themes (the QA lead)."""
    must_not_be_endorsed(review, "The report is endorsed: it can no longer change")
    before = {
        "findings": review.findings,
        "recommendations": review.recommendations,
        "family_voice": review.family_voice,
    }
    review.findings = findings.strip()
    review.recommendations = recommendations.strip()
    review.family_voice = family_voice.strip()
    changed = [key for key, text in before.items() if getattr(review, key) != text]
    if changed:
        record_on(
            review,
            "wrote report",
            user,
            summary=f"Changed: {', '.join(key.replace('_', ' ') for key in changed)}",
        )


def endorse(review: Review, user: User) -> None:
    """The safeguarding unit endorses the report: recorded, and read-only from now on."""
    status = status_of(review)
    if status is Status.ENDORSED:
        raise ReviewError("The report is already endorsed")
    if status is Status.PLANNING:
        raise ReviewError("The review has not started: there is no report to endorse yet")
    if not review.findings or not review.recommendations:
        raise ReviewError(
            "The report needs its findings and recommendations before it can be endorsed"
        )
    review.status = Status.ENDORSED.value
    review.endorsed_by_id = user.id
    review.endorsed_at = utcnow()
    record_on(
        review, "endorsed", user, summary=f"The report of the thematic review of {review.theme}"
    )
    tell(
        review,
        user,
        f"Thematic review report endorsed: {review.theme}",
        f"{user.name} endorsed the report of the thematic review of {review.theme}.",
    )


# What it shows beside the report -------------------------------------------------------


def family_counts(review: Review) -> dict[str, int]:
    """The family conversations of the review's cases, counted: conversations, consents,
    refusals, families who want a written reply, and replies sent."""
    rows = db.session.execute(
        select(Conversation.consent, Conversation.wants_reply, func.count(Conversation.id))
        .join(ReviewCase, Conversation.review_case_id == ReviewCase.id)
        .where(ReviewCase.review_id == review.id)
        .group_by(Conversation.consent, Conversation.wants_reply)
    ).all()
    consent: Counter[str] = Counter()
    wanting = 0
    for given, wants_reply, count in rows:
        consent[given] += count
        wanting += count if wants_reply and given == GIVEN else 0
    sent = db.session.scalar(
        select(func.count(Reply.id))
        .join(Conversation, Reply.conversation_id == Conversation.id)
        .join(ReviewCase, Conversation.review_case_id == ReviewCase.id)
        .where(ReviewCase.review_id == review.id, Reply.sent_on.is_not(None))
    )
    return {
        "conversations": sum(consent.values()),
        "consents": consent[GIVEN],
        "refusals": consent[REFUSED],
        "wanting_reply": wanting,
        "replies_sent": sent or 0,
    }


def concern_source(concern: SafeguardingConcern) -> str:
    """Where a concern was raised, in words: an audit, a family conversation, or elsewhere."""
    if concern.source_type == "audit":
        return "An audit"
    if concern.source_type.endswith("conversation"):
        return "A family conversation"
    return concern.source_type.replace("_", " ").capitalize()


def escalations(review: Review) -> list[SafeguardingConcern]:
    """The safeguarding concerns raised about the review's cases since it was set up."""
    case_ids = [review_case.case_id for review_case in review.cases]
    if not case_ids:
        return []
    return list(
        db.session.scalars(
            select(SafeguardingConcern)
            .where(
                SafeguardingConcern.case_id.in_(case_ids),
                SafeguardingConcern.raised_at >= review.created_at,
            )
            .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
        )
    )
