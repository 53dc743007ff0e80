"""Which audits a user may list: the SQL twin of :func:`portal.audits.access.can_view`."""

from __future__ import annotations

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import CASE_OVERSIGHT_ROLES, Action, Audit, AuditAuditor, Case, User
from portal.permissions import managed_team_ids, people_below


def visible_audits(user: User):
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


def audits_for(user: User, *, status: str | None = None, limit: int = 200) -> list[Audit]:
    """The audits *user* may see, optionally of one status, latest due first."""
    query = visible_audits(user)
    if status:
        query = query.where(Audit.status == status)
    return list(
        db.session.scalars(query.order_by(Audit.due_on.desc(), Audit.id.desc()).limit(limit))
    )
