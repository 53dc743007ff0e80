"""Which audits a user may list: the SQL twin of :func:`portal.audits.access.can_view`."""

from __future__ import annotations

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import contains_eager, selectinload

from portal.models import CASE_OVERSIGHT_ROLES, Action, Audit, AuditAuditor, Case, User
from portal.paging import Page, paginate
from portal.permissions import managed_team_ids, people_below


def visible_audits(user: User) -> Select[tuple[Audit]]:
    """A query for every audit *user* may see (joined to its case).

    A manager sees many audits: a condition tried on each audit in due-date order fills a
    page quickly. Anyone else sees few: their ids come from a union of small indexed
    look-ups (the audits they audit, the submitted audits of the cases they hold, those
    with an action they own), so the work follows what they may see, not the council.
    """
    query = select(Audit).join(Case)
    if not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        return query
    audited = select(AuditAuditor.audit_id).where(AuditAuditor.user_id == user.id)
    owned = select(Action.audit_id).where(Action.owner_id == user.id)
    below, teams = people_below(user), managed_team_ids(user)
    if below or teams:
        case_people = [Case.allocated_worker_id == user.id, Audit.id.in_(owned)]
        if below:
            case_people.append(Case.allocated_worker_id.in_(below))
        if teams:
            case_people.append(Case.team_id.in_(teams))
        return query.where(
            or_(Audit.id.in_(audited), Audit.submitted_at.is_not(None) & or_(*case_people))
        )
    held = select(Case.id).where(Case.allocated_worker_id == user.id)
    visible = union(
        audited,
        select(Audit.id).where(Audit.case_id.in_(held), Audit.submitted_at.is_not(None)),
        owned.join(Audit, Audit.id == Action.audit_id).where(Audit.submitted_at.is_not(None)),
    )
    return query.where(Audit.id.in_(visible))


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
