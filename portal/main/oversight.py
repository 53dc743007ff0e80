"""The figures of the leaders' home pages, each panel's from one grouped SQL statement.

Nothing here loads audits or actions row by row: the counts are ``GROUP BY`` aggregates,
so a home page sends the same statements whatever the years of data behind it. Every
function takes *today* (the UK date) from its caller, and the teams a leader oversees
(``None``: every team, for the QA team) as an argument.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, extract, false, func, or_, select

from portal.actions.queries import ISSUED, overdue
from portal.audits.definition import GOOD, OUTSTANDING
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditStatus,
    Case,
    Moderation,
    MonthlySelection,
    Priority,
    SafeguardingConcern,
    Service,
    Team,
)
from portal.reports.monthly import add_months
from portal.scheduling.service import audits_by_month

#: Grades of record counted as "good or better".
GOOD_OR_BETTER = (OUTSTANDING.key, GOOD.key)
#: Audits an auditor still has to finish.
UNFINISHED_AUDITS = (AuditStatus.ALLOCATED.value, AuditStatus.IN_PROGRESS.value)
#: How many months before this one the comparison of grades covers.
TREND_MONTHS = 12

_WEIGHT = case({p.value: p.weight for p in Priority}, value=Action.priority, else_=0)


def _count(condition: ColumnElement[bool], value=1):
    """SQL: the sum of *value* over the rows meeting *condition* (0 when none)."""
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _scoped(query: Select, team_ids: Collection[int] | None) -> Select:
    """*query* (joined to ``Team``) narrowed to *team_ids*; every team when None."""
    if team_ids is None:
        return query
    return query.where(Team.id.in_(sorted(team_ids)) if team_ids else false())


def _month_start(month: date) -> datetime:
    return datetime(month.year, month.month, 1)


@dataclass(frozen=True)
class AreaFigures:
    """How one service (or team) is doing: grades this month and over the twelve before,
    its actions and its open safeguarding concerns."""

    id: int
    name: str
    audits_this_month: int = 0
    good_this_month: int = 0
    audits_before: int = 0
    good_before: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    weight_raised: int = 0
    weight_signed_off: int = 0
    open_concerns: int = 0

    @property
    def progress(self) -> float | None:
        """The priority-weighted share of the actions raised that are signed off."""
        return self.weight_signed_off / self.weight_raised if self.weight_raised else None


def area_figures(by_team: bool, team_ids: Collection[int] | None, today: date) -> list[AreaFigures]:
    """The figures of each service (or each team, *by_team*) of *team_ids*, by name: one
    statement (three grouped subqueries joined to the services or teams), whatever the
    volume.

    Grades are of audits submitted this month so far and in the :data:`TREND_MONTHS`
    months before it; actions are the open and overdue ones (on *today*), and the weights
    (high 3, medium 2, low 1) of those issued in the same window and of those signed off.
    """
    key = (Team.id if by_team else Team.service_id).label("area")
    this_month = _month_start(today)
    window = _month_start(add_months(today, -TREND_MONTHS))
    good = Audit.record_grade.in_(GOOD_OR_BETTER)
    current = Audit.submitted_at >= this_month
    before = Audit.submitted_at < this_month
    grades = (
        _scoped(
            select(
                key,
                _count(current).label("audits_this_month"),
                _count(and_(current, good)).label("good_this_month"),
                _count(before).label("audits_before"),
                _count(and_(before, good)).label("good_before"),
            )
            .join(Case, Case.id == Audit.case_id)
            .join(Team, Team.id == Case.team_id)
            .where(Audit.submitted_at >= window),
            team_ids,
        )
        .group_by(key)
        .subquery()
    )
    recent = Action.created_at >= window
    open_ = ActionStatus.OPEN.value
    signed = and_(recent, Action.status == ActionStatus.SIGNED_OFF.value)
    actions = (
        _scoped(
            select(
                key,
                _count(Action.status == open_).label("open_actions"),
                _count(overdue(today)).label("overdue_actions"),
                _count(recent, _WEIGHT).label("weight_raised"),
                _count(signed, _WEIGHT).label("weight_signed_off"),
            )
            .join(Audit, Audit.id == Action.audit_id)
            .join(Case, Case.id == Audit.case_id)
            .join(Team, Team.id == Case.team_id)
            # open actions and those of the window count; years of older ones do not
            .where(Action.status.in_(ISSUED), or_(Action.status == open_, recent)),
            team_ids,
        )
        .group_by(key)
        .subquery()
    )
    concerns = (
        _scoped(
            select(key, func.count(SafeguardingConcern.id).label("open_concerns"))
            .join(Case, Case.id == SafeguardingConcern.case_id)
            .join(Team, Team.id == Case.team_id)
            .where(SafeguardingConcern.responded_at.is_(None)),
            team_ids,
        )
        .group_by(key)
        .subquery()
    )
    area = Team if by_team else Service
    figures = [
        func.coalesce(column, 0)
        for column in (*list(grades.c)[1:], *list(actions.c)[1:], *list(concerns.c)[1:])
    ]
    query = (
        select(area.id, area.name, *figures)
        .outerjoin(grades, grades.c.area == area.id)
        .outerjoin(actions, actions.c.area == area.id)
        .outerjoin(concerns, concerns.c.area == area.id)
        .order_by(area.name)
    )
    if team_ids is not None:
        teams = _scoped(select(Team.id if by_team else Team.service_id), team_ids)
        query = query.where(area.id.in_(teams))
    rows = db.session.execute(query)
    return [
        AreaFigures(area_id, name, *(int(n) for n in counts)) for area_id, name, *counts in rows
    ]


@dataclass(frozen=True)
class Backlog:
    """Audits of one tool submitted in one month and not yet moderated."""

    process_key: str
    month: date
    count: int


def moderation_backlog() -> list[Backlog]:
    """The audits waiting for moderation by audit tool and month submitted, oldest month
    first (one grouped statement)."""
    year, month = extract("year", Audit.submitted_at), extract("month", Audit.submitted_at)
    rows = db.session.execute(
        select(Audit.process_key, year, month, func.count(Audit.id))
        .outerjoin(Moderation, Moderation.audit_id == Audit.id)
        .where(Audit.moderation_required, Moderation.id.is_(None), Audit.submitted_at.is_not(None))
        .group_by(Audit.process_key, year, month)
        .order_by(year, month, Audit.process_key)
    )
    return [Backlog(key, date(int(y), int(m), 1), int(n)) for key, y, m, n in rows]


def overdue_audits_by_tool(today: date) -> dict[str, int]:
    """Audits still to finish after their due date, by audit tool (one statement)."""
    rows = db.session.execute(
        select(Audit.process_key, func.count(Audit.id))
        .where(Audit.status.in_(UNFINISHED_AUDITS), Audit.due_on < today)
        .group_by(Audit.process_key)
        .order_by(Audit.process_key)
    )
    return {key: int(count) for key, count in rows}


def overdue_audits(today: date) -> Select:
    """The audits still to finish after their due date, before ordering."""
    return select(Audit).where(Audit.status.in_(UNFINISHED_AUDITS), Audit.due_on < today)


@dataclass(frozen=True)
class SelectionState:
    """Where one month's selection stands, as the schedule shows it.

    *audits* are the month's allocated audits (not cancelled), drawn at random or chosen
    by hand; *draft* the audits of a draw not yet confirmed; *shortfalls* the quotas the
    month's draw could not fill (None when no draw is on record).
    """

    month: date
    audits: int
    draft: int
    confirmed: bool
    shortfalls: list[dict] | None

    @property
    def drawn(self) -> bool:
        """Whether the month has audits, or a draw to confirm."""
        return bool(self.audits or self.draft)


def selection_states(months: list[date]) -> list[SelectionState]:
    """The selection of each of *months*: its audits, a draw to confirm, and the quotas
    the draw could not fill (two statements). A month whose audits exist is drawn,
    whether or not a draw is on record, as on the schedule."""
    found = {
        selection.month: selection
        for selection in db.session.scalars(
            select(MonthlySelection).where(MonthlySelection.month.in_(months))
        )
    }
    allocated = audits_by_month(months)
    states = []
    for month in months:
        selection = found.get(month)
        draw = (selection.draw or {}) if selection else {}
        confirmed = bool(selection and selection.is_confirmed)
        states.append(
            SelectionState(
                month,
                audits=allocated[month],
                draft=0 if confirmed else len(draw.get("allocations", ())),
                confirmed=confirmed,
                shortfalls=list(draw.get("shortfalls", ())) if selection else None,
            )
        )
    return states


def last_case_import() -> ActivityEntry | None:
    """The history entry of the latest case import (one statement), or None."""
    return db.session.scalar(
        select(ActivityEntry)
        .where(ActivityEntry.object_type == "case_import")
        .order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())
        .limit(1)
    )
