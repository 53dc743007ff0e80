"""Moving actions on: complete, sign off, return (the lists are in ``queries``).

Each change is recorded in the activity history and told to the people it concerns. The
caller checks the rules in :mod:`portal.actions.rules` first and commits afterwards.
"""

from __future__ import annotations

from textwrap import shorten

from portal.actions.rules import sign_off_manager
from portal.activity import record
from portal.audits.service import refresh_status
from portal.models import Action, ActionStatus, AuditStatus, User
from portal.notify import notify
from portal.timeutil import utcnow


def brief(action: Action) -> str:
    """The action's description cut to one short line, for notifications and panels."""
    return shorten(" ".join(action.description.split()), width=80, placeholder="…")


def complete(action: Action, user: User, evidence: str) -> None:
    """Mark *action* complete with *evidence* and ask its sign-off manager to look."""
    before = action.status
    action.status = ActionStatus.COMPLETED.value
    action.evidence = evidence
    action.completed_at = utcnow()
    record(
        "completed",
        "action",
        action.id,
        actor_id=user.id,
        summary=f"action from the audit of {action.audit.case.reference}",
        before={"status": before},
        after={"status": action.status, "evidence": evidence},
    )
    manager = sign_off_manager(action)
    notify(
        [manager] if manager else [],
        "An action is ready for your sign-off",
        f"{user.name} has completed an action from the audit of "
        f"{action.audit.case.reference}: {brief(action)}",
        f"/actions/sign-off#action-{action.id}",
    )


def sign_off(action: Action, user: User) -> bool:
    """Sign *action* off, tell its owner, and close the audit when it was the last one.

    Returns True when the audit closed (its auditors are then told).
    """
    audit = action.audit
    action.status = ActionStatus.SIGNED_OFF.value
    action.signed_off_by_id = user.id
    action.signed_off_at = utcnow()
    record(
        "signed off",
        "action",
        action.id,
        actor_id=user.id,
        summary=f"action from the audit of {audit.case.reference}",
        before={"status": ActionStatus.COMPLETED.value},
        after={"status": action.status, "signed_off_by": user.email},
    )
    notify(
        [action.owner] if action.owner else [],
        f"Your action from the audit of {audit.case.reference} is signed off",
        f"{user.name} signed off your action: {brief(action)}",
        "/actions/?status=signed_off",
    )
    was_closed = audit.lifecycle == AuditStatus.CLOSED
    refresh_status(audit)
    closed = not was_closed and audit.lifecycle == AuditStatus.CLOSED
    if closed:
        notify(
            audit.auditors,
            f"The audit of {audit.case.reference} is closed",
            "Every action from the audit has been completed and signed off.",
            f"/audits/{audit.id}",
        )
    return closed


def send_back(action: Action, user: User, reason: str) -> None:
    """Return *action* to its owner, open again with *reason*; the evidence is kept."""
    action.status = ActionStatus.OPEN.value
    action.returned_reason = reason
    action.completed_at = None
    record(
        "returned",
        "action",
        action.id,
        actor_id=user.id,
        summary=f"action from the audit of {action.audit.case.reference}",
        before={"status": ActionStatus.COMPLETED.value},
        after={"status": action.status, "returned_reason": reason},
    )
    notify(
        [action.owner] if action.owner else [],
        f"Your action from the audit of {action.audit.case.reference} has been returned",
        f"{user.name} returned your action ({brief(action)}) because: {reason}",
        f"/actions/?status=open#action-{action.id}",
    )
