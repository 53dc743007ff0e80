"""Moving actions on (complete, sign off, return) and finding the actions a person sees.

Each change is recorded in the activity history and told to the people it concerns. The
caller checks the rules in :mod:`portal.actions.rules` first and commits afterwards.
"""

from __future__ import annotations

from datetime import date
from textwrap import shorten

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.actions.rules import list_order, overdue_first, sign_off_manager
from portal.activity import record
from portal.audits.service import refresh_status
from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, AuditStatus, Case, Team, User
from portal.notify import notify
from portal.permissions import people_below
from portal.timeutil import utcnow

#: What ``?show=`` may ask for on "My actions": the statuses each choice lists.
SHOW_CHOICES = {
    "open": (ActionStatus.OPEN,),
    "all": (ActionStatus.OPEN, ActionStatus.COMPLETED, ActionStatus.SIGNED_OFF),
}


def _loaded():
    return (
        selectinload(Action.audit).joinedload(Audit.case).joinedload(Case.team),
        selectinload(Action.audit).joinedload(Audit.form),
        joinedload(Action.owner),
    )


def brief(action: Action) -> str:
    """The action's description cut to one short line, for notifications and panels."""
    return shorten(" ".join(action.description.split()), width=80, placeholder="…")


def owned_by(user: User, show: str = "all") -> list[Action]:
    """The issued actions *user* owns, in list order (see ``SHOW_CHOICES`` for *show*)."""
    statuses = [status.value for status in SHOW_CHOICES[show]]
    actions = db.session.scalars(
        select(Action)
        .where(Action.owner_id == user.id, Action.status.in_(statuses))
        .options(*_loaded())
    ).all()
    return sorted(actions, key=list_order)


def owns_any(user: User) -> bool:
    """True when *user* owns at least one issued action."""
    return (
        db.session.scalar(
            select(Action.id)
            .where(Action.owner_id == user.id, Action.status != ActionStatus.DRAFT.value)
            .limit(1)
        )
        is not None
    )


def awaiting_sign_off(user: User) -> list[Action]:
    """The completed actions whose sign-off manager is *user*, longest waiting first."""
    owner = aliased(User)
    candidates = db.session.scalars(
        select(Action)
        .join(owner, owner.id == Action.owner_id)
        .join(Audit, Audit.id == Action.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            Action.status == ActionStatus.COMPLETED.value,
            # a superset of the rule, narrowed by sign_off_manager below
            or_(owner.line_manager_id == user.id, Team.manager_id == user.id),
        )
        .order_by(Action.completed_at, Action.id)
        .options(*_loaded())
    ).all()
    return [
        action
        for action in candidates
        if (manager := sign_off_manager(action)) is not None and manager.id == user.id
    ]


def open_below(user: User, today: date) -> list[Action]:
    """The open actions of everyone who reports to *user*, overdue first."""
    below = people_below(user)
    if not below:
        return []
    actions = db.session.scalars(
        select(Action)
        .where(Action.owner_id.in_(below), Action.status == ActionStatus.OPEN.value)
        .options(*_loaded())
    ).all()
    return sorted(actions, key=lambda action: overdue_first(action, today))


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
        "/actions/?show=all",
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
        f"/actions/#action-{action.id}",
    )
