"""The action lists as SQL: whose actions a manager signs off, the lists' filters and order,
and which audits the reader may open, each worked out once for a whole page.

:func:`portal.actions.rules.sign_off_manager` stays the rule for one action; here the same
rule is turned round (which owners and which teams send their sign-off to this manager)
from one read of the users table and one of the teams table, so a page's SQL does not
grow with the number of actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    CASE_OVERSIGHT_ROLES,
    Action,
    ActionStatus,
    Audit,
    AuditAuditor,
    Case,
    Team,
    User,
)

#: The statuses the status filter stands for; "all" is every issued action.
STATUS_FILTERS = {
    "open": (ActionStatus.OPEN,),
    "completed": (ActionStatus.COMPLETED,),
    "signed_off": (ActionStatus.SIGNED_OFF,),
    "all": (ActionStatus.OPEN, ActionStatus.COMPLETED, ActionStatus.SIGNED_OFF),
}
#: Every issued status (a draft is not anybody's action yet).
ISSUED = tuple(status.value for status in STATUS_FILTERS["all"])


@dataclass(frozen=True)
class Reach:
    """Where a person stands in the line management, read once per request.

    *below*: everyone who reports to them, at any depth. *signs_off_for*: the owners with
    a line manager whose actions they sign off (an inactive manager passes it up).
    *stands_in_for*: the teams whose actions they sign off when the owner has no line
    manager. *unmanaged*: the other people without a line manager. *teams*: the teams
    they manage directly or through the people below them (as
    :func:`portal.permissions.managed_team_ids`).
    """

    user_id: int
    below: frozenset[int]
    signs_off_for: frozenset[int]
    stands_in_for: frozenset[int]
    unmanaged: frozenset[int]
    teams: frozenset[int] = frozenset()


def reach_of(user: User) -> Reach:
    """The line management around *user*: two statements (users, then teams)."""
    manager_of: dict[int, int | None] = {}
    active: dict[int, bool] = {}
    for person_id, manager_id, is_active in db.session.execute(
        select(User.id, User.line_manager_id, User.active)
    ):
        manager_of[person_id] = manager_id
        active[person_id] = is_active

    def effective(manager_id: int | None) -> int | None:
        # the rule of sign_off_manager: an inactive manager passes it up, loops stop
        seen: set[int] = set()
        while manager_id is not None and not active.get(manager_id) and manager_id not in seen:
            seen.add(manager_id)
            manager_id = manager_of.get(manager_id)
        return manager_id if manager_id is not None and active.get(manager_id) else None

    reports: dict[int, list[int]] = {}
    for person_id, manager_id in manager_of.items():
        if manager_id is not None:
            reports.setdefault(manager_id, []).append(person_id)
    below: set[int] = set()
    frontier = [user.id]
    while frontier:
        frontier = [p for m in frontier for p in reports.get(m, ()) if p not in below]
        below.update(frontier)
    below.discard(user.id)

    signs_off_for = {
        owner_id
        for owner_id, manager_id in manager_of.items()
        if manager_id is not None and owner_id != user.id and effective(manager_id) == user.id
    }
    team_managers = dict(db.session.execute(select(Team.id, Team.manager_id)).all())
    stands_in_for = {
        team_id for team_id, manager_id in team_managers.items() if effective(manager_id) == user.id
    }
    chain = below | {user.id}
    teams = {team_id for team_id, manager_id in team_managers.items() if manager_id in chain}
    unmanaged = {person for person, manager in manager_of.items() if manager is None}
    return Reach(
        user.id,
        frozenset(below),
        frozenset(signs_off_for),
        frozenset(stands_in_for),
        frozenset(unmanaged - {user.id}),
        frozenset(teams),
    )


def manages_anyone(user: User) -> bool:
    """True when someone reports to *user* or *user* manages a team (one statement)."""
    reports = exists().where(User.line_manager_id == user.id)
    teams = exists().where(Team.manager_id == user.id)
    return bool(db.session.scalar(select(or_(reports, teams))))


def listed() -> Select:
    """Actions with their audit, case, team and owner joined in, and the forms loaded in
    one more statement (once per distinct form): for a page of rows already chosen."""
    return select(Action).options(
        joinedload(Action.audit).joinedload(Audit.case).joinedload(Case.team),
        joinedload(Action.audit).selectinload(Audit.form),
        joinedload(Action.owner),
    )


def issued() -> Select:
    """Every issued action (not a draft), before filters."""
    return select(Action).where(Action.status.in_(ISSUED))


def owned_by(user: User) -> Select:
    """The issued actions *user* owns, before filters."""
    return select(Action).where(Action.owner_id == user.id, Action.status.in_(ISSUED))


def of_teams(team_ids: Iterable[int]):
    """SQL true for an action of a case of one of *team_ids*."""
    audits = select(Audit.id).join(Case, Case.id == Audit.case_id)
    return Action.audit_id.in_(audits.where(Case.team_id.in_(sorted(team_ids))))


def awaiting_condition(reach: Reach):
    """SQL true for a completed action whose sign-off manager is the person of *reach*:
    its owner is one of theirs, or it has no owner with a line manager and its case's team
    is one they stand in for (never their own action).

    Each alternative repeats the status so that the database answers each one from the
    ``(owner_id, status)`` index.
    """
    waiting = Action.status == ActionStatus.COMPLETED.value
    conditions = []
    if reach.signs_off_for:
        conditions.append(and_(waiting, Action.owner_id.in_(sorted(reach.signs_off_for))))
    if reach.stands_in_for:
        teams = of_teams(reach.stands_in_for)
        conditions.append(and_(waiting, Action.owner_id.is_(None), teams))
        if reach.unmanaged:
            owners = Action.owner_id.in_(sorted(reach.unmanaged))
            conditions.append(and_(waiting, owners, teams))
    return or_(*conditions) if conditions else false()


def awaiting(reach: Reach) -> Select:
    """The completed actions the person of *reach* signs off, before filters."""
    return select(Action).where(awaiting_condition(reach))


def below(reach: Reach) -> Select:
    """The issued actions of everyone who reports to the person of *reach*, before filters."""
    owners = sorted(reach.below)
    return select(Action).where(
        Action.owner_id.in_(owners) if owners else false(),
        Action.status.in_(ISSUED),
    )


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to (see :class:`portal.actions.forms.ActionFilterForm`)."""

    status: str = "all"
    overdue: bool = False
    priority: str = ""
    due_month: date | None = None
    service_id: int | None = None
    owner_id: int | None = None


def overdue(today: date):
    """SQL true for an action still open after its due date (see ``Action.is_overdue``: one
    completed and awaiting sign-off is not overdue)."""
    return and_(Action.due_on < today, Action.status == ActionStatus.OPEN.value)


def narrowed(query: Select, filters: Filters, today: date) -> Select:
    """*query* with *filters* applied, all in SQL."""
    if filters.status in STATUS_FILTERS and filters.status != "all":
        query = query.where(
            Action.status.in_([status.value for status in STATUS_FILTERS[filters.status]])
        )
    if filters.overdue:
        query = query.where(overdue(today))
    if filters.priority:
        query = query.where(Action.priority == filters.priority)
    if filters.due_month is not None:
        month = filters.due_month
        after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        query = query.where(Action.due_on >= month, Action.due_on < after)
    if filters.service_id is not None:
        audits = (
            select(Audit.id)
            .join(Case, Case.id == Audit.case_id)
            .join(Team, Team.id == Case.team_id)
            .where(Team.service_id == filters.service_id)
        )
        query = query.where(Action.audit_id.in_(audits))
    if filters.owner_id is not None:
        query = query.where(Action.owner_id == filters.owner_id)
    return query


def in_list_order(query: Select) -> Select:
    """A person's own list: open (and returned) first, then completed, then signed off;
    soonest due first within each, undated last."""
    group = case(
        (Action.status == ActionStatus.OPEN.value, 0),
        (Action.status == ActionStatus.COMPLETED.value, 1),
        (Action.status == ActionStatus.SIGNED_OFF.value, 2),
        else_=3,
    )
    return query.order_by(group, Action.due_on.is_(None), Action.due_on, Action.id)


def overdue_first(query: Select, today: date) -> Select:
    """A team's list: overdue first, then soonest due, undated last."""
    late = case((overdue(today), 0), else_=1)
    return query.order_by(late, Action.due_on.is_(None), Action.due_on, Action.id)


def longest_waiting(query: Select) -> Select:
    """Actions awaiting sign-off: the one marked complete longest ago first."""
    return query.order_by(Action.completed_at, Action.id)


def due_months() -> tuple[date | None, date | None]:
    """The earliest and latest due dates of any action, for the month filter's choices.

    One statement of two index lookups (``ix_actions_due_on``), whatever the volume.
    """
    first = select(func.min(Action.due_on)).scalar_subquery()
    last = select(func.max(Action.due_on)).scalar_subquery()
    earliest, latest = db.session.execute(select(first, last)).one()
    return earliest, latest


def owners_awaiting(reach: Reach) -> list[tuple[int, str]]:
    """The people with an action awaiting sign-off by the person of *reach*, by name (one
    statement)."""
    owners = select(Action.owner_id).where(awaiting_condition(reach))
    query = select(User.id, User.name).where(User.id.in_(owners)).order_by(User.name, User.id)
    return [(i, n) for i, n in db.session.execute(query)]


def viewable(user: User, audit_ids: set[int], reach: Reach) -> set[int]:
    """Which of *audit_ids* *user* may open, in one statement (the rule of
    :func:`portal.audits.access.can_view` for a whole page)."""
    if not audit_ids:
        return set()
    if not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        return set(audit_ids)
    chain = sorted(reach.below | {user.id})
    audits = (
        exists()
        .where(AuditAuditor.audit_id == Audit.id, AuditAuditor.user_id == user.id)
        .correlate(Audit)
    )
    owns = exists().where(Action.audit_id == Audit.id, Action.owner_id == user.id).correlate(Audit)
    query = (
        select(Audit.id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            Audit.id.in_(sorted(audit_ids)),
            or_(
                audits,
                and_(
                    Audit.submitted_at.is_not(None),
                    or_(Case.allocated_worker_id.in_(chain), Team.manager_id.in_(chain), owns),
                ),
            ),
        )
    )
    return set(db.session.scalars(query))


def names_of(people: frozenset[int]) -> list[tuple[int, str]]:
    """The ids and names of *people*, by name (one statement; none when nobody)."""
    if not people:
        return []
    query = select(User.id, User.name).where(User.id.in_(sorted(people)))
    return [(i, n) for i, n in db.session.execute(query.order_by(User.name, User.id))]


def count_awaiting(reach: Reach) -> int:
    """How many completed actions await the sign-off of the person of *reach*."""
    if not (reach.signs_off_for or reach.stands_in_for):
        return 0
    return db.session.scalar(select(func.count(Action.id)).where(awaiting_condition(reach))) or 0
