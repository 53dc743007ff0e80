"""The review's part of the retention rule: erase the family's and the worker's words about
a case whose retention period has run, keep what the quarterly report counts."""

from __future__ import annotations

from sqlalchemy import select, update

from plugins.thematic_review.models import Conversation, Reply, ReviewCase
from portal.plugin_api import db


def erase_case_records(case_ids: list[int]) -> dict[str, int]:
    """Blank the free text of the reviews' cases *case_ids*: the reason a case was chosen,
    the discussion with the social worker, each family conversation's consent details and
    views, and the reply letter (with the family's name and address). The conversations
    stay, with their consent, participants, age band and dates, for the report's counts."""
    review_cases = select(ReviewCase.id).where(ReviewCase.case_id.in_(case_ids))
    conversations = select(Conversation.id).where(Conversation.review_case_id.in_(review_cases))
    db.session.execute(
        update(ReviewCase)
        .where(ReviewCase.case_id.in_(case_ids))
        .values(chosen_reason="", discussion={}, discussion_notes=""),
        execution_options={"synchronize_session": False},
    )
    erased = db.session.execute(
        update(Conversation)
        .where(Conversation.id.in_(conversations))
        .values(consent_by="", views_of_service="", what_helped="", what_did_not_help="", ideas=""),
        execution_options={"synchronize_session": False},
    ).rowcount
    replies = db.session.execute(
        update(Reply)
        .where(Reply.conversation_id.in_(conversations))
        .values(body="", family_name="", family_address=""),
        execution_options={"synchronize_session": False},
    ).rowcount
    return {"thematic_review.conversations": erased, "thematic_review.replies": replies}
