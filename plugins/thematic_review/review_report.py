"""A review's report: the findings, the recommendations and the family voice themes the QA
lead writes, its endorsement by the safeguarding unit, and the figures it shows beside them
(the family conversations of its cases, and the safeguarding concerns raised about them).

(The plugin's section of the monthly learning report is ``report``.) Every function works in
the current transaction and the caller commits; a refusal raises :class:`ReviewError` and
changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import ColumnElement, case, func, select

from plugins.thematic_review.family import GIVEN, REFUSED
from plugins.thematic_review.models import Conversation, Reply, Review, ReviewCase
from plugins.thematic_review.reviews import (
    NotReady,
    ReviewError,
    Status,
    dates_in_words,
    last_day,
    must_not_be_endorsed,
    record_on,
    status_of,
    tell,
)
from portal.plugin_api import Audit, Case, SafeguardingConcern, User, db, utcnow

#: The case review's stages before it is submitted: not done yet.
NOT_SUBMITTED = ("allocated", "in_progress")
#: How many case references a problem names before it says "and N more".
NAMED = 5

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


def record_feedback_session(
    review: Review, held_on: date, attendees: str, notes: str, user: User, today: date
) -> None:
    """Record the group feedback session with the social workers and managers: held on or
    after the review's first day and no later than *today*, who attended, and notes."""
    must_not_be_endorsed(review, "The report is endorsed: the review can no longer change")
    if held_on > today:
        raise ReviewError("The feedback session must be today or in the past", "held_on")
    if held_on < review.first_day:
        raise ReviewError(
            f"The feedback session comes after the review, which began on "
            f"{review.first_day:%-d %B %Y}",
            "held_on",
        )
    review.feedback_session_on = held_on
    review.feedback_session_attendees = attendees.strip()
    review.feedback_session_notes = notes.strip()
    record_on(
        review,
        "recorded feedback session",
        user,
        summary=f"Feedback session with the social workers on {held_on:%-d %B %Y}",
    )


def _references(references: list[str]) -> str:
    named = ", ".join(references[:NAMED])
    more = len(references) - NAMED
    return f"{named} and {more} more" if more > 0 else named


def case_review_left() -> ColumnElement[bool]:
    """SQL: the review case's case review is not submitted yet (its audit outer-joined)."""
    return Audit.id.is_(None) | Audit.status.in_(NOT_SUBMITTED)


def _unfinished_cases(review: Review) -> tuple[int, list[str], list[str]]:
    """The review's number of cases, the references of those whose case review is not
    submitted, and of those whose discussion with the social worker is not recorded: one
    statement."""
    rows = db.session.execute(
        select(
            Case.reference,
            case((case_review_left(), True), else_=False),
            ReviewCase.worker_attended.is_(None),
        )
        .join(Case, ReviewCase.case_id == Case.id)
        .outerjoin(Audit, ReviewCase.audit_id == Audit.id)
        .where(ReviewCase.review_id == review.id)
        .order_by(ReviewCase.id)
    ).all()
    reviews_left = [reference for reference, left, _ in rows if left]
    discussions_left = [reference for reference, _, left in rows if left]
    return len(rows), reviews_left, discussions_left


def endorsement_problems(review: Review, today: date) -> dict[str, str]:
    """What stops the report being endorsed on *today*, by the html id of the review page's
    part it is about: every case review submitted, every discussion with the social worker
    recorded, the review's last day passed, the findings and recommendations written."""
    status = status_of(review)
    if status is Status.ENDORSED:
        return {"report": "The report is already endorsed"}
    if status is Status.PLANNING:
        return {"report": "The review has not started: there is no report to endorse yet"}
    problems: dict[str, str] = {}
    total, reviews_left, discussions_left = _unfinished_cases(review)
    if reviews_left:
        problems["cases"] = (
            f"{len(reviews_left)} of {total} case reviews are not submitted yet: "
            f"{_references(reviews_left)}"
        )
    if discussions_left:
        problems["case-discussions"] = (
            f"{len(discussions_left)} of {total} discussions with the social worker are not "
            f"recorded yet: {_references(discussions_left)}"
        )
    if last_day(review) >= today:
        problems["dates"] = (
            f"The review takes place on {dates_in_words(review)}: its report can be endorsed "
            "once the review has taken place"
        )
    if not review.findings or not review.recommendations:
        problems["report"] = (
            "The report needs its findings and recommendations before it can be endorsed"
        )
    return problems


def endorse(review: Review, user: User, today: date) -> None:
    """The safeguarding unit endorses the report (when :func:`endorsement_problems` finds
    nothing on *today*): recorded, and read-only from now on."""
    problems = endorsement_problems(review, today)
    if problems:
        raise NotReady(problems)
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
