"""The SMART action plan of each review, and the rolling action plan across all reviews.

Section 5 of the framework: "The QA and Audit Lead also writes a SMART action plan based on
the findings of each review and the recommendations are added to the rolling action plan
and monitored through the HofS meetings." Each item is specific (the action), has an owner,
a measure and a due date in the future; its owner (or the QA lead) records progress and
marks it done. An open item past its due date is overdue.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from plugins.thematic_review.access import PLAN_READERS
from plugins.thematic_review.models import PlanItem, Review
from plugins.thematic_review.reviews import ReviewError
from portal.plugin_api import User, db, notify, record, utcnow

OPEN = "open"
DONE = "done"


def is_overdue(item: PlanItem, today: date) -> bool:
    """True when the item is still open after its due date."""
    return item.status == OPEN and item.due_on < today


def add_item(
    review: Review,
    action: str,
    owner: User,
    measure: str,
    due_on: date,
    user: User,
    today: date,
) -> PlanItem:
    """Add a SMART action to the review's plan; its owner is told."""
    if not action.strip():
        raise ReviewError("Say what will be done", "action")
    if not measure.strip():
        raise ReviewError("Say how you will measure it", "measure")
    if due_on <= today:
        raise ReviewError("The due date must be in the future", "due_on")
    item = PlanItem(
        action=action.strip(), owner_id=owner.id, measure=measure.strip(), due_on=due_on
    )
    review.plan_items.append(item)
    db.session.flush()
    record(
        "created",
        "thematic_review_plan_item",
        item.id,
        actor_id=user.id,
        summary=f"{review.theme}: {item.action}"[:200],
        after={"owner": owner.email, "measure": item.measure, "due_on": due_on.isoformat()},
    )
    notify(
        [owner] if owner.id != user.id else [],
        f"Thematic review action: {review.theme}",
        f"You own an action of the thematic review of {review.theme}, due on "
        f"{due_on:%-d %B %Y}: {item.action}",
        f"/thematic_review/plan/{item.id}",
    )
    return item


def record_progress(item: PlanItem, progress: str, done: bool, user: User) -> None:
    """Add a dated note of progress; *done* marks the item done (the QA lead is told)."""
    if item.status == DONE:
        raise ReviewError("This action is already done")
    text = progress.strip()
    if not text:
        raise ReviewError("Describe the progress made", "progress")
    now = utcnow()
    note = f"{now:%-d %B %Y}, {user.name}: {text}"
    item.progress = f"{item.progress}\n\n{note}" if item.progress else note
    if done:
        item.status = DONE
        item.completed_at = now
    record(
        "done" if done else "progress",
        "thematic_review_plan_item",
        item.id,
        actor_id=user.id,
        summary=text[:200],
        after={"status": item.status},
    )
    if done:
        qa_lead = db.session.get(User, item.review.qa_lead_id)
        notify(
            [qa_lead] if qa_lead and qa_lead.id != user.id else [],
            f"Thematic review action done: {item.review.theme}",
            f"{user.name} marked an action of the thematic review of {item.review.theme} as "
            f"done: {item.action}",
            f"/thematic_review/plan/{item.id}",
        )


def rolling_plan(user: User) -> Select:
    """A query for every item of every review's plan *user* may see: open ones first,
    soonest due first, with each item's review and owner loaded with it."""
    query = (
        select(PlanItem)
        .join(Review)
        .options(contains_eager(PlanItem.review), joinedload(PlanItem.owner))
        .order_by(PlanItem.status.desc(), PlanItem.due_on, PlanItem.id)
    )
    if not user.has_role(*PLAN_READERS):
        query = query.where(PlanItem.owner_id == user.id)
    return query


def plan_counts(query: Select, today: date) -> dict[str, int]:
    """How many items of the plan *query* are open, open and overdue, and done (one
    aggregate statement)."""
    items = query.order_by(None).subquery()
    is_open = items.c.status == OPEN
    row = db.session.execute(
        select(
            func.count().filter(is_open),
            func.count().filter(is_open & (items.c.due_on < today)),
            func.count().filter(items.c.status == DONE),
        )
    ).one()
    return {"open": row[0], "overdue": row[1], "done": row[2]}
