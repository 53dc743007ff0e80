"""Which thematic review history entries a reader may see in full: the review's members,
the QA lead and the safeguarding unit (and a plan item's owner for their own item)."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from plugins.thematic_review.access import OVERSIGHT
from plugins.thematic_review.models import (
    Conversation,
    Member,
    PlanItem,
    Reply,
    Review,
    ReviewCase,
)
from portal.plugin_api import User, db

#: Each object type the plugin records history about, and a query of (object id, review id).
OBJECTS: dict[str, Select] = {
    "thematic_review": select(Review.id, Review.id),
    "thematic_review_plan_item": select(PlanItem.id, PlanItem.review_id),
    "thematic_review_conversation": select(Conversation.id, ReviewCase.review_id).join(ReviewCase),
    "thematic_review_reply": select(Reply.id, ReviewCase.review_id)
    .join(Conversation, Reply.conversation_id == Conversation.id)
    .join(ReviewCase),
}


def readable(user: User, object_type: str, object_ids: frozenset[str]) -> set[str] | None:
    """The ids among *object_ids* whose review *user* may see; None for another's type."""
    if object_type not in OBJECTS:
        return None
    query = OBJECTS[object_type]
    key = query.selected_columns[0]
    ids = [int(value) for value in object_ids if value.isdigit() and len(value) < 19]
    query = query.where(key.in_(ids))
    if not user.has_role(*OVERSIGHT):
        review_id = query.selected_columns[1]
        member_of = select(Member.review_id).where(Member.user_id == user.id)
        leads = select(Review.id).where(
            or_(Review.lead_id == user.id, Review.qa_lead_id == user.id)
        )
        conditions = [review_id.in_(member_of), review_id.in_(leads)]
        if object_type == "thematic_review_plan_item":
            conditions.append(PlanItem.owner_id == user.id)
        query = query.where(or_(*conditions))
    return {str(object_id) for object_id, _ in db.session.execute(query)}
