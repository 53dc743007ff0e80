"""The family conversations of a review: reading what the auditor captured, recording it once,
escalating a safeguarding concern at once, and "you said, we did" (links to the review's
SMART actions, and the written reply to the family).

The views check who may do what (``access``); these functions do it. The caller commits,
except for :func:`record_conversation`, which settles a copy sent twice itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from plugins.thematic_review import plan
from plugins.thematic_review.access import ORGANISERS, membership
from plugins.thematic_review.inputs import field_text, too_long
from plugins.thematic_review.models import Conversation, PlanItem, Reply, Review, ReviewCase
from portal.plugin_api import Case, User, db, raise_concern, recipients, record

#: The source type of the safeguarding concerns raised from a family conversation.
CONCERN_SOURCE = "thematic_review_conversation"

GIVEN, REFUSED = "given", "refused"
CONSENT = {GIVEN: "Yes, they consent", REFUSED: "No, they do not consent"}
CONSENT_HOW = {"verbal": "Verbally", "written": "In writing", "other": "Another way"}
PARTICIPANTS = {"child": "The child", "parent": "A parent", "carer": "A carer"}
AGE_BANDS = {
    "under_5": "Under 5",
    "5_10": "5 to 10",
    "11_15": "11 to 15",
    "16_17": "16 to 17",
    "18_plus": "18 or over",
}
YES_NO = {"yes": "Yes", "no": "No"}

#: The family's words: field name, the question the auditor asks, and how the reply names it.
FREE_TEXT = (
    (
        "views_of_service",
        "What do they think of the help they have had from us?",
        "What you think of the help you have had",
    ),
    ("what_helped", "What helped?", "What helped"),
    ("what_did_not_help", "What did not help?", "What did not help"),
    (
        "ideas",
        "What ideas do they have for how we could do better?",
        "Your ideas for how we could do better",
    ),
)
#: The family's words the auditor must record (the other three may be left empty).
REQUIRED_TEXT = {"views_of_service"}
TEXT_LIMIT = 10000
NAME_LIMIT = 200

#: Every message the capture form can show, by field: the page's JavaScript uses the same.
MESSAGES = {
    "consent": "Record the family's consent first",
    "consent_by": "Enter who gave consent, and their relationship to the child",
    "consent_how": "Select how they gave consent",
    "participants": "Select who took part",
    "child_age_band": "Select the child's age band",
    "views_of_service": "Enter their views of the service, in their own words",
    "wants_reply": "Select whether they want a written reply",
    "concern": "Select whether anything they said is a safeguarding concern",
    "concern_description": "Describe the safeguarding concern",
    "client_key": "This conversation has no key: reload the page and try again",
    "too_long": too_long(TEXT_LIMIT),
    "name_too_long": too_long(NAME_LIMIT),
}

CLIENT_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class ClientKeyClash(Exception):
    """Raised when a conversation's key is already used by a conversation of another case."""


@dataclass
class ConversationInput:
    """A conversation as the auditor sent it, with the problems found in it (by field)."""

    client_key: str = ""
    consent: str = ""
    consent_by: str = ""
    consent_how: str = ""
    participants: list[str] = field(default_factory=list)
    child_age_band: str = ""
    views_of_service: str = ""
    what_helped: str = ""
    what_did_not_help: str = ""
    ideas: str = ""
    wants_reply: str = ""
    concern: str = ""
    concern_description: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_conversation(data: MultiDict) -> ConversationInput:
    """Read a conversation from the capture form's fields, checking each step.

    Without recorded consent nothing else is read. When the family refused, only the
    refusal is kept: the other fields are dropped, whatever was sent.
    """
    found = ConversationInput(
        client_key=field_text(data, "client_key"), consent=field_text(data, "consent")
    )
    errors = found.errors
    if not CLIENT_KEY.match(found.client_key):
        errors["client_key"] = MESSAGES["client_key"]
    if found.consent not in CONSENT:
        found.consent = ""
        errors["consent"] = MESSAGES["consent"]
    if found.consent != GIVEN:
        return found
    found.consent_by = field_text(data, "consent_by")
    if not found.consent_by:
        errors["consent_by"] = MESSAGES["consent_by"]
    elif len(found.consent_by) > NAME_LIMIT:
        errors["consent_by"] = MESSAGES["name_too_long"]
    found.consent_how = field_text(data, "consent_how")
    if found.consent_how not in CONSENT_HOW:
        found.consent_how = ""
        errors["consent_how"] = MESSAGES["consent_how"]
    found.participants = [key for key in PARTICIPANTS if key in data.getlist("participants")]
    if not found.participants:
        errors["participants"] = MESSAGES["participants"]
    found.child_age_band = field_text(data, "child_age_band")
    if found.child_age_band not in AGE_BANDS:
        found.child_age_band = ""
        errors["child_age_band"] = MESSAGES["child_age_band"]
    for name, *_ in FREE_TEXT:
        text = field_text(data, name)
        setattr(found, name, text)
        if name in REQUIRED_TEXT and not text:
            errors[name] = MESSAGES[name]
        elif len(text) > TEXT_LIMIT:
            errors[name] = MESSAGES["too_long"]
    for name in ("wants_reply", "concern"):
        value = field_text(data, name)
        setattr(found, name, value if value in YES_NO else "")
        if value not in YES_NO:
            errors[name] = MESSAGES[name]
    if found.concern == "yes":
        found.concern_description = field_text(data, "concern_description")
        if not found.concern_description:
            errors["concern_description"] = MESSAGES["concern_description"]
        elif len(found.concern_description) > TEXT_LIMIT:
            errors["concern_description"] = MESSAGES["too_long"]
    return found


@dataclass
class Recorded:
    """What recording a conversation did: the conversation, whether it is new, and who its
    safeguarding concern (if it raised one) was sent to."""

    conversation: Conversation
    created: bool
    concern_sent_to: list[User] = field(default_factory=list)


def _by_key(client_key: str) -> Conversation | None:
    return db.session.scalar(select(Conversation).where(Conversation.client_key == client_key))


def _concern_sent_to(conversation: Conversation) -> list[User]:
    concern = conversation.concern
    if concern is None:
        return []
    return [person for person in recipients(concern.case) if person.id != concern.raised_by_id]


def _existing(review_case: ReviewCase, client_key: str) -> Recorded | None:
    conversation = _by_key(client_key)
    if conversation is None:
        return None
    if conversation.review_case_id != review_case.id:
        raise ClientKeyClash(client_key)
    return Recorded(conversation, created=False, concern_sent_to=_concern_sent_to(conversation))


def record_conversation(review_case: ReviewCase, found: ConversationInput, user: User) -> Recorded:
    """Record a conversation *found* without errors, once per client key, and commit.

    Sending the same key again (the connection dropped before the answer arrived) returns
    the conversation already recorded, unchanged; two copies arriving together are settled
    by the table's unique key. A safeguarding concern is raised at once, through the
    portal's concerns, in the same transaction. Raises :class:`ClientKeyClash` when the key
    belongs to another case's conversation.
    """
    earlier = _existing(review_case, found.client_key)
    if earlier:
        return earlier
    given = found.consent == GIVEN
    conversation = Conversation(
        review_case=review_case,
        client_key=found.client_key,
        consent=found.consent,
        captured_by_id=user.id,
    )
    if given:
        conversation.consent_by = found.consent_by
        conversation.consent_how = found.consent_how
        conversation.participants = found.participants
        conversation.child_age_band = found.child_age_band
        for name, *_ in FREE_TEXT:
            setattr(conversation, name, getattr(found, name))
        conversation.wants_reply = found.wants_reply == "yes"
    db.session.add(conversation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = _existing(review_case, found.client_key)
        if earlier is None:
            raise
        return earlier
    if given and found.concern == "yes":
        conversation.concern = raise_concern(
            review_case.case, CONCERN_SOURCE, conversation.id, found.concern_description, user
        )
    record(
        "recorded",
        "thematic_review_conversation",
        conversation.id,
        actor_id=user.id,
        summary=f"family conversation about {review_case.case.reference}",
        # what the family said stays in the conversation, out of the history
        after={"consent": conversation.consent, "wants_reply": conversation.wants_reply},
    )
    db.session.commit()
    return Recorded(conversation, created=True, concern_sent_to=_concern_sent_to(conversation))


def link_plan_items(conversation: Conversation, item_ids: set[int], user: User) -> None:
    """Make the review's actions *item_ids* the ones this feedback led to ("we did").

    Ids that are not actions of the conversation's review are ignored. The caller commits.
    """
    review = conversation.review_case.review
    before = sorted(item.id for item in conversation.plan_items)
    conversation.plan_items = [item for item in review.plan_items if item.id in item_ids]
    after = sorted(item.id for item in conversation.plan_items)
    if before != after:
        record(
            "linked",
            "thematic_review_conversation",
            conversation.id,
            actor_id=user.id,
            summary="feedback linked to the review's actions",
            before={"plan_items": before},
            after={"plan_items": after},
        )


def save_reply(
    conversation: Conversation,
    body: str,
    user: User,
    *,
    family_name: str = "",
    family_address: str = "",
) -> Reply:
    """Keep the text of the reply to the family (a new draft, or an edit), with the family's
    name and address for the letter. The caller commits."""
    reply = conversation.reply
    if reply is None:
        reply = Reply(conversation=conversation, body=body)
        db.session.add(reply)
        verb = "drafted"
    else:
        reply.body = body
        verb = "changed"
    reply.family_name = family_name
    reply.family_address = family_address
    db.session.flush()
    record(
        verb,
        "thematic_review_reply",
        reply.id,
        actor_id=user.id,
        summary=f"reply to a family, case {conversation.review_case.case.reference}",
    )
    return reply


def record_sent(reply: Reply, sent_on: date, user: User) -> None:
    """Record that the reply was sent to the family on *sent_on* by *user*. The caller commits."""
    reply.sent_on = sent_on
    reply.sent_by_id = user.id
    record(
        "sent",
        "thematic_review_reply",
        reply.id,
        actor_id=user.id,
        summary=f"reply to a family, case {reply.conversation.review_case.case.reference}",
        after={"sent_on": sent_on.isoformat()},
    )


def replies_waiting(user: User) -> Select:
    """A query for the conversations whose family wants a written reply that has not been
    sent, oldest first: those of the reviews *user* is a member of (every review's, for a
    QA lead). The home page counts it and shows the first few."""
    query = (
        select(Conversation)
        .join(ReviewCase)
        .join(Review)
        .outerjoin(Reply)
        .where(Conversation.wants_reply, or_(Reply.id.is_(None), Reply.sent_on.is_(None)))
        .order_by(Conversation.captured_at, Conversation.id)
    )
    if not user.has_role(*ORGANISERS):
        query = query.where(membership(user))
    return query


def participant_names(conversation: Conversation) -> str:
    """Who took part in a conversation, in words."""
    return ", ".join(PARTICIPANTS.get(key, key) for key in conversation.participants)


def latest_progress(item: PlanItem) -> str:
    """The last note of an action's progress (the notes are kept one after another, each a
    paragraph of their own)."""
    notes = [note.strip() for note in item.progress.replace("\r\n", "\n").split("\n\n")]
    return next((note for note in reversed(notes) if note), "")


def plan_item_state(item: PlanItem, today: date) -> str:
    """How an action stands, in a few words: done, overdue or due."""
    if item.status == plan.DONE:
        return "Done"
    if plan.is_overdue(item, today):
        return f"Overdue: was due {item.due_on:%-d %B %Y}"
    return f"Due by {item.due_on:%-d %B %Y}"


def with_feedback(review_case: ReviewCase) -> ReviewCase:
    """*review_case* with its case, its conversations (who recorded each, the reply and who
    sent it, the concern, the actions it led to) and its review's plan with the owners,
    loaded at once: a few statements however many conversations and actions there are."""
    return db.session.scalars(
        select(ReviewCase)
        .where(ReviewCase.id == review_case.id)
        .options(
            joinedload(ReviewCase.case).joinedload(Case.team),
            joinedload(ReviewCase.review)
            .selectinload(Review.plan_items)
            .joinedload(PlanItem.owner),
            selectinload(ReviewCase.conversations).options(
                joinedload(Conversation.captured_by),
                joinedload(Conversation.reply).joinedload(Reply.sent_by),
                joinedload(Conversation.concern),
                selectinload(Conversation.plan_items),
            ),
        )
    ).one()
