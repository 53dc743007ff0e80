"""Who may do what: role checks and a user's relation to a case.

Every view goes through these helpers; a refusal is a 403 page, never a stack trace.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, exists, or_, select

from portal.extensions import db
from portal.models import CASE_OVERSIGHT_ROLES, Audit, AuditAuditor, Case, Role, Team, User

P = ParamSpec("P")
R = TypeVar("R")


class CaseRelation(StrEnum):
    """How a member of staff stands to a case."""

    HOLDS = "holds"  # the allocated worker
    MANAGES = "manages"  # in the management chain of the case's team
    AUDITS = "audits"  # named auditor on one of the case's audits
    OVERSEES = "oversees"  # QA lead, QA administrator or safeguarding unit


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a view so that only logged-in users holding one of *roles* reach it."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def people_below(user: User) -> set[int]:
    """Ids of everyone who reports to *user*, directly or further down the chain."""
    reports: dict[int | None, list[int]] = {}
    for person_id, manager_id in db.session.execute(select(User.id, User.line_manager_id)):
        reports.setdefault(manager_id, []).append(person_id)
    below: set[int] = set()
    frontier = [user.id]
    while frontier:
        frontier = [p for m in frontier for p in reports.get(m, []) if p not in below]
        below.update(frontier)
    below.discard(user.id)
    return below


def managed_team_ids(user: User) -> set[int]:
    """The teams *user* manages directly or through the people who report to them."""
    chain = people_below(user) | {user.id}
    return {
        team_id
        for team_id, manager_id in db.session.execute(select(Team.id, Team.manager_id))
        if manager_id in chain
    }


def case_relations(user: User, case: Case) -> frozenset[CaseRelation]:
    """Every way *user* stands to *case*; empty when they have no business with it."""
    relations: set[CaseRelation] = set()
    if case.allocated_worker_id == user.id:
        relations.add(CaseRelation.HOLDS)
    if user in case.team.management_chain():
        relations.add(CaseRelation.MANAGES)
    audits_it = db.session.scalar(
        select(
            exists().where(
                AuditAuditor.user_id == user.id,
                AuditAuditor.audit_id == Audit.id,
                Audit.case_id == case.id,
            )
        )
    )
    if audits_it:
        relations.add(CaseRelation.AUDITS)
    if not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        relations.add(CaseRelation.OVERSEES)
    return frozenset(relations)


def can_view_case(user: User, case: Case) -> bool:
    """True when *user* may open the case's page."""
    return bool(case_relations(user, case))


def visible_cases(user: User) -> Select[tuple[Case]]:
    """A query for the cases *user* may see, for lists and searches."""
    query = select(Case)
    if not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        return query
    audited = select(Audit.case_id).join(AuditAuditor).where(AuditAuditor.user_id == user.id)
    conditions = [Case.allocated_worker_id == user.id, Case.id.in_(audited)]
    team_ids = managed_team_ids(user)
    if team_ids:
        conditions.append(Case.team_id.in_(team_ids))
    return query.where(or_(*conditions))


def case_or_404(case_id: int, user: User) -> Case:
    """The case *case_id* if *user* may see it; 404 when it does not exist, 403 otherwise."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not can_view_case(user, case):
        abort(403)
    return case
