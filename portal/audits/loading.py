"""Loading an audit with everything its pages show about people, in a few statements."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Action, Audit, AuditAuditor, AuditComment


def with_people(audit: Audit) -> Audit:
    """*audit* with its actions and their owners, its comments and their authors, and its
    auditors loaded at once: a few statements however many there are, not one per person.

    Call it after the access check, for a page that shows the audit in full (its page,
    print view and PDF, the moderation page).
    """
    return db.session.scalars(
        select(Audit)
        .where(Audit.id == audit.id)
        .options(
            selectinload(Audit.actions).joinedload(Action.owner),
            selectinload(Audit.comments).joinedload(AuditComment.author),
            selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
        )
        .execution_options(populate_existing=True)
    ).one()
