"""Cancelling an audit that will not be submitted (its tool disabled, say): by the QA lead
or an administrator, with a reason, kept in the audit and in the activity history.

A cancelled audit stays readable, in the form it was allocated with; it leaves every list
of work to do, and the draw counts neither it towards a quota nor its case as audited.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from portal.activity import record
from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, AuditStatus, Role, User
from portal.notify import notify
from portal.timeutil import utcnow

#: Who may cancel an audit.
CANCELLERS = (Role.QA_LEAD, Role.ADMIN)
#: The longest reason that may be given.
REASON_LIMIT = 1000
#: The statuses of an audit still to be submitted: the ones that may be cancelled.
NOT_SUBMITTED = (AuditStatus.ALLOCATED.value, AuditStatus.IN_PROGRESS.value)


def may_cancel(user: User, audit: Audit) -> bool:
    """True when *user* may cancel *audit*: the QA lead or an administrator, and the audit
    not yet submitted (nor cancelled already)."""
    return any(user.has_role(role) for role in CANCELLERS) and audit.status in NOT_SUBMITTED


def reason_problem(reason: str) -> str | None:
    """What is wrong with the *reason* typed for a cancellation, or None."""
    if not reason:
        return "Enter the reason for cancelling the audit"
    if len(reason) > REASON_LIMIT:
        return f"The reason has {len(reason):,} characters: use {REASON_LIMIT:,} or fewer"
    return None


def cancel(audit: Audit, user: User, reason: str) -> None:
    """Cancel *audit* (which :func:`may_cancel` allows) for *reason*, tell its auditors,
    and record it. Its draft actions are never issued. The caller commits."""
    before = audit.status
    audit.status = AuditStatus.CANCELLED.value
    audit.cancelled_at = utcnow()
    audit.cancelled_by_id = user.id
    audit.cancel_reason = reason
    record(
        "cancelled",
        "audit",
        audit.id,
        actor_id=user.id,
        summary=reason,
        before={"status": before},
        after={"status": audit.status, "reason": reason},
    )
    notify(
        audit.auditors,
        f"Audit cancelled: {audit.case.reference}",
        f"{user.name} cancelled your audit of case {audit.case.reference}: {reason}",
        f"/audits/{audit.id}",
    )


def of_plugin(plugin_key: str):
    """The condition that an audit is of one of the plugin *plugin_key*'s processes: its
    coded process (keyed *plugin_key*) or one defined at run time (``<plugin_key>.<slug>``)."""
    return or_(
        Audit.process_key == plugin_key,
        Audit.process_key.startswith(plugin_key + ".", autoescape=True),
    )


def affected(plugin_key: str) -> dict[str, int]:
    """What disabling the plugin *plugin_key* affects, over all its audit processes: their
    audits allocated and not yet submitted, their actions open (issued and not yet signed
    off), and their submitted audits. Two aggregate statements."""
    allocated, submitted = db.session.execute(
        select(
            func.count(Audit.id).filter(Audit.status.in_(NOT_SUBMITTED)),
            func.count(Audit.id).filter(Audit.submitted_at.is_not(None)),
        ).where(of_plugin(plugin_key))
    ).one()
    open_actions = db.session.scalar(
        select(func.count(Action.id))
        .join(Audit, Action.audit_id == Audit.id)
        .where(
            of_plugin(plugin_key),
            Action.status.in_((ActionStatus.OPEN.value, ActionStatus.COMPLETED.value)),
        )
    )
    return {"allocated": allocated, "open_actions": open_actions, "submitted": submitted}


def allocated_audits(plugin_key: str):
    """The audits of the plugin *plugin_key*'s processes still to be submitted, as a query
    (oldest first) for a page of the list."""
    return (
        select(Audit)
        .where(of_plugin(plugin_key), Audit.status.in_(NOT_SUBMITTED))
        .order_by(Audit.due_on, Audit.id)
    )
