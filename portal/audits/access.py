"""Who may see, edit and comment on an audit.

The auditors; the case's allocated worker, the management chain of the case's team and
of the worker, and the owners of its actions (once the audit is submitted); the QA lead,
QA administrators and the safeguarding unit. Nobody else: other workers, other teams'
managers and partner-agency auditors who are not named on the audit get 403.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from sqlalchemy.orm.interfaces import ORMOption

from portal.extensions import db
from portal.models import CASE_OVERSIGHT_ROLES, Audit, User
from portal.plugins import plugin_host


def is_auditor(user: User, audit: Audit) -> bool:
    """True when *user* is named as an auditor on *audit*."""
    return any(row.user_id == user.id for row in audit.auditor_rows)


def case_people(audit: Audit) -> list[User]:
    """The case's allocated worker, then the management chains of the team and the worker."""
    people: list[User] = []
    worker = audit.case.allocated_worker
    if worker is not None:
        people.append(worker)
        manager = worker.line_manager
        while manager is not None and manager not in people:
            people.append(manager)
            manager = manager.line_manager
    people.extend(person for person in audit.case.team.management_chain() if person not in people)
    return people


def owns_an_action(user: User, audit: Audit) -> bool:
    """True when *user* owns one of the audit's actions (once the audit is submitted)."""
    return audit.submitted_at is not None and any(
        action.owner_id == user.id for action in audit.actions
    )


def can_view(user: User, audit: Audit) -> bool:
    """True when *user* may read *audit* (its page, its PDF, its fragments)."""
    if is_auditor(user, audit) or not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES):
        return True
    return audit.submitted_at is not None and (
        user in case_people(audit) or owns_an_action(user, audit)
    )


def can_edit(user: User, audit: Audit) -> bool:
    """True when *user* may change the answers: an auditor, before submission (and not
    cancelled), its plugin installed. A disabled plugin's audits can still be finished."""
    return (
        is_auditor(user, audit)
        and audit.lifecycle.editable
        and plugin_host().process(audit.process_key) is not None
    )


def can_comment(user: User, audit: Audit) -> bool:
    """True when *user* may comment on the findings of a submitted audit."""
    return audit.submitted_at is not None and can_view(user, audit)


def audit_or_404(audit_id: int, user: User, options: Sequence[ORMOption] = ()) -> Audit:
    """The audit *audit_id* if *user* may see it; 404 when it does not exist, 403 otherwise.

    *options* load what the page shows with the audit (see ``portal.audits.loading``).
    """
    audit = db.session.get(Audit, audit_id, options=options)
    if audit is None:
        abort(404)
    if not can_view(user, audit):
        abort(403)
    return audit
