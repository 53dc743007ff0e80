"""Who may do what with a learning follow-up, and the follow-ups a report shows.

The QA lead gives a month's learning theme an owner and closes it; the owner and the QA
lead record what changed. Report readers may read every follow-up: they are about the
service's learning, written to be shown in the monthly report, never about a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from portal.activity import record
from portal.extensions import db
from portal.models import LearningArea, LearningChange, LearningFollowUp, Role, User
from portal.notify import notify
from portal.reports import REPORT_ROLES
from portal.timeutil import to_london, utcnow

#: The most follow-ups one month's report lists; the summary gives the whole count.
REPORT_LIMIT = 50


def may_read(user: User, followup: LearningFollowUp | None = None) -> bool:
    """Report readers read every follow-up; an owner reads their own."""
    if user.has_role(*REPORT_ROLES):
        return True
    return followup is not None and followup.owner_id == user.id


def may_manage(user: User) -> bool:
    """Only the QA lead gives a theme an owner."""
    return user.has_role(Role.QA_LEAD)


def may_record(user: User, followup: LearningFollowUp) -> bool:
    """The owner and the QA lead record what changed and close an open follow-up."""
    return followup.is_open and (followup.owner_id == user.id or user.has_role(Role.QA_LEAD))


def listed(user: User) -> Select:
    """The follow-ups *user* may read, open ones first, newest month first."""
    query = select(LearningFollowUp).options(joinedload(LearningFollowUp.owner))
    if not user.has_role(*REPORT_ROLES):
        query = query.where(LearningFollowUp.owner_id == user.id)
    return query.order_by(
        LearningFollowUp.closed_at.is_not(None),
        LearningFollowUp.month.desc(),
        LearningFollowUp.id.desc(),
    )


def active_owner(email: str) -> User | None:
    """The active person with *email* (any case), or None."""
    return db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.active)
    )


def create(
    month: date, area: LearningArea, owner: User, learning: str, by: User
) -> LearningFollowUp:
    """Give *month*'s learning theme *area* an owner; the owner is told. The caller commits."""
    followup = LearningFollowUp(
        month=month.replace(day=1), area=area.value, owner=owner, learning=learning, created_by=by
    )
    db.session.add(followup)
    db.session.flush()
    record(
        "created",
        "learning_followup",
        followup.id,
        actor_id=by.id,
        summary=f"{area.label} ({month:%B %Y}) given to {owner.name}",
    )
    notify(
        [owner],
        f"You own a learning follow-up: {area.label}, {month:%B %Y}",
        "Record what changes because of this learning; it is shown in the monthly learning "
        "report until it is closed.",
        link=f"/learning/follow-ups/{followup.id}",
    )
    return followup


def record_change(followup: LearningFollowUp, text: str, by: User) -> LearningChange:
    """Record what changed because of *followup*'s learning. The caller commits."""
    change = LearningChange(followup=followup, author=by, text=text)
    db.session.add(change)
    record(
        "recorded a change",
        "learning_followup",
        followup.id,
        actor_id=by.id,
        summary=LearningArea(followup.area).label,
    )
    return change


def close(followup: LearningFollowUp, by: User) -> None:
    """Close *followup*: later reports no longer show it. The caller commits."""
    followup.closed_at = utcnow()
    followup.closed_by = by
    record(
        "closed",
        "learning_followup",
        followup.id,
        actor_id=by.id,
        summary=LearningArea(followup.area).label,
    )


@dataclass(frozen=True)
class ReportedFollowUp:
    """A follow-up as a month's report shows it."""

    area: str
    month: date
    owner: str
    learning: str
    closed_on: date | None
    changes: int
    latest_change: str
    latest_on: date | None


def reported(start: datetime, end: datetime) -> tuple[list[ReportedFollowUp], int]:
    """The follow-ups open at some time in ``[start, end)``: raised for a month before *end*,
    not closed before *start*, with their changes recorded before *end*. Three statements
    whatever the number of follow-ups: the count, a page of them, their latest changes."""
    month = start.date()
    shown = (
        LearningFollowUp.month <= month,
        LearningFollowUp.created_at < end,
        or_(LearningFollowUp.closed_at.is_(None), LearningFollowUp.closed_at >= start),
    )
    total = db.session.scalar(select(func.count()).select_from(LearningFollowUp).where(*shown))
    if not total:
        return [], 0
    rows = db.session.execute(
        select(LearningFollowUp, User.name)
        .join(User, User.id == LearningFollowUp.owner_id)
        .where(*shown)
        .order_by(LearningFollowUp.month, LearningFollowUp.id)
        .limit(REPORT_LIMIT)
    ).all()
    ids = [followup.id for followup, _ in rows]
    numbered = (
        select(
            LearningChange.followup_id,
            LearningChange.text,
            LearningChange.recorded_at,
            func.count().over(partition_by=LearningChange.followup_id).label("changes"),
            func.row_number()
            .over(
                partition_by=LearningChange.followup_id,
                order_by=(LearningChange.recorded_at.desc(), LearningChange.id.desc()),
            )
            .label("position"),
        )
        .where(LearningChange.followup_id.in_(ids), LearningChange.recorded_at < end)
        .subquery()
    )
    latest = {
        row.followup_id: row
        for row in db.session.execute(select(numbered).where(numbered.c.position == 1))
    }
    reported_rows = []
    for followup, owner in rows:
        change = latest.get(followup.id)
        closed = followup.closed_at if followup.closed_at and followup.closed_at < end else None
        reported_rows.append(
            ReportedFollowUp(
                area=followup.area,
                month=followup.month,
                owner=owner,
                learning=followup.learning,
                closed_on=to_london(closed).date() if closed else None,
                changes=change.changes if change else 0,
                latest_change=change.text if change else "",
                latest_on=to_london(change.recorded_at).date() if change else None,
            )
        )
    return reported_rows, total
