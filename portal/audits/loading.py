"""Loading an audit with everything its pages show about people, in a few statements."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import Action, Audit, AuditAuditor, AuditComment, Case

#: What an audit's pages (its page, print view and PDF, the moderation page) show about
#: people, loaded with the audit: pass to ``audit_or_404(..., options=PEOPLE)``.
PEOPLE = (
    joinedload(Audit.case).joinedload(Case.team),
    joinedload(Audit.case).joinedload(Case.allocated_worker),
    selectinload(Audit.actions).joinedload(Action.owner),
    selectinload(Audit.comments).joinedload(AuditComment.author),
    selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
)


def with_people(audit: Audit) -> Audit:
    """*audit* with its case, actions and their owners, its comments and their authors, and
    its auditors loaded at once: a few statements however many there are, not one per
    person. Nothing is read again when the audit was loaded with :data:`PEOPLE`.
    """
    if not {"actions", "comments", "auditor_rows"} & inspect(audit).unloaded:
        return audit
    return db.session.scalars(
        select(Audit)
        .where(Audit.id == audit.id)
        .options(*PEOPLE)
        .execution_options(populate_existing=True)
    ).one()
