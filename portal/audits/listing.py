"""Which audits a user may list: the SQL twin of :func:`portal.audits.access.can_view`."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from portal.models import CASE_OVERSIGHT_ROLES, Action, Audit, AuditAuditor, Case, User
from portal.paging import Page, paginate
from portal.permissions import managed_team_ids, people_below


def visible_audits(user: User) -> Select[tuple[Audit]]:
    """A query for every audit *user* may see."""
    query = select(Audit).join(Case)
    if not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        return query
    audited = select(AuditAuditor.audit_id).where(AuditAuditor.user_id == user.id)
    case_people = [Case.allocated_worker_id == user.id]
    below = people_below(user)
    if below:
        case_people.append(Case.allocated_worker_id.in_(below))
    teams = managed_team_ids(user)
    if teams:
        case_people.append(Case.team_id.in_(teams))
    owned = select(Action.audit_id).where(Action.owner_id == user.id)
    case_people.append(Audit.id.in_(owned))  # the owner of one of its actions
    return query.where(
        or_(Audit.id.in_(audited), Audit.submitted_at.is_not(None) & or_(*case_people))
    )


def audit_page(user: User, filters: Select) -> Page:
    """One page of the audits *user* may see narrowed by *filters*, latest due first.

    The case, its team and the auditors come with the page: a fixed number of statements
    whatever the number of audits.
    """
    query = filters.options(
        contains_eager(Audit.case).joinedload(Case.team),
        selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
    ).order_by(Audit.due_on.desc(), Audit.id.desc())
    return paginate(query)
