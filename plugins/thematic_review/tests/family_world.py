"""A review set up straight in the database for the family conversation tests: led by the
safeguarding unit (sgu), coordinated by the QA lead, with members tm_b and eh_m, and one
case, CS-1001 (Assessment Team: tm_a, sm, hos and ad are its management chain)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from plugins.thematic_review import family
from plugins.thematic_review.models import Member, PlanItem, Review, ReviewCase
from portal.plugin_api import User, db
from portal.plugin_api.testing import World


@dataclass
class FamilyReview:
    """Ids of the review and of its case."""

    review: int
    review_case: int


def make_review(app, world: World, *, cases: tuple[str, ...] = ("CS-1001",)) -> FamilyReview:
    """Enable the plugin and create the review with *cases*; the first one's id is returned."""
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("thematic_review", True, actor_id=None)
        review = Review(
            theme="Neglect",
            first_day=date(2026, 11, 10),
            venue="Council offices",
            lead_id=world.users["sgu"],
            qa_lead_id=world.users["qa_lead"],
        )
        review.members = [Member(user_id=world.users[person]) for person in ("tm_b", "eh_m")]
        review.cases = [ReviewCase(case_id=world.cases[reference]) for reference in cases]
        db.session.add(review)
        db.session.commit()
        return FamilyReview(review=review.id, review_case=review.cases[0].id)


def add_plan_item(
    app,
    world: World,
    review_id: int,
    action: str,
    *,
    status: str = "open",
    progress: str = "",
    due_on: date = date(2027, 3, 31),
) -> int:
    """Add a SMART action to the review's plan, owned by the head of service; its id."""
    with app.app_context():
        item = PlanItem(
            review_id=review_id,
            action=action,
            owner_id=world.users["hos"],
            measure="Checked in the next review",
            due_on=due_on,
            status=status,
            progress=progress,
        )
        db.session.add(item)
        db.session.commit()
        return item.id


def answers(client_key: str, **changes: str | list[str]) -> dict:
    """A complete conversation, as the capture form posts it, with *changes*."""
    return {
        "client_key": client_key,
        "consent": "given",
        "consent_by": "Sam Jones, mother",
        "consent_how": "verbal",
        "participants": ["child", "parent"],
        "child_age_band": "5_10",
        "views_of_service": "The social worker listened to us.",
        "what_helped": "Visits after school.",
        "what_did_not_help": "Changing worker three times.",
        "ideas": "Text before a visit.",
        "wants_reply": "yes",
        "concern": "no",
        **changes,
    }


def add_conversation(
    app, world: World, review_case_id: int, person: str = "tm_b", **changes
) -> int:
    """Record a conversation as *person* would (through the service); its id."""
    with app.app_context():
        found = family.read_conversation(MultiDict(answers(str(uuid.uuid4()), **changes)))
        assert not found.errors, found.errors
        review_case = db.session.get(ReviewCase, review_case_id)
        user = db.session.get(User, world.users[person])
        return family.record_conversation(review_case, found, user).conversation.id
