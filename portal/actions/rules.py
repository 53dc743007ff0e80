"""The pure rules of an action's life: who signs it off and who may move it on.

Nothing here reads or writes the database beyond the relationships of the objects given.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import Action, ActionStatus, User

NOT_ISSUED = "This action has not been issued yet: its audit has not been submitted."
ALREADY_SIGNED_OFF = "This action has already been signed off."


@dataclass(frozen=True)
class Refusal:
    """Why someone may not move an action on: 403 (wrong person) or 409 (wrong state)."""

    status: int
    message: str


def sign_off_manager(action: Action) -> User | None:
    """Who signs *action* off: the owner's line manager, else the case team's manager.

    The team manager stands in only when the owner has no line manager, and never for
    their own action. A manager whose account is no longer active passes the sign-off up
    to their own line manager. None when nobody fits.
    """
    owner = action.owner
    if owner is not None and owner.line_manager is not None:
        manager = owner.line_manager
    else:
        manager = action.audit.case.team.manager
    seen = set()
    while manager is not None and not manager.active and manager.id not in seen:
        seen.add(manager.id)
        manager = manager.line_manager
    if manager is None or manager is owner or not manager.active:
        return None
    return manager


def is_returned(action: Action) -> bool:
    """True when the sign-off manager sent the action back and it is open again."""
    return action.state == ActionStatus.OPEN and bool(action.returned_reason)


def refusal_to_complete(user: User, action: Action) -> Refusal | None:
    """Why *user* may not mark *action* complete now; None when they may.

    Only the owner completes, and only an open action.
    """
    if action.owner_id is None or action.owner_id != user.id:
        return Refusal(403, "Only the owner of an action can mark it complete.")
    if action.state == ActionStatus.OPEN:
        return None
    messages = {
        ActionStatus.DRAFT: NOT_ISSUED,
        ActionStatus.COMPLETED: "This action is already complete and is waiting for sign-off.",
        ActionStatus.SIGNED_OFF: ALREADY_SIGNED_OFF,
    }
    return Refusal(409, messages[action.state])


def refusal_to_sign_off(user: User, action: Action) -> Refusal | None:
    """Why *user* may not sign off or return *action* now; None when they may.

    Only the sign-off manager decides, and only on a completed action.
    """
    manager = sign_off_manager(action)
    if manager is None or manager.id != user.id:
        return Refusal(403, "Only the owner's line manager can sign off or return an action.")
    if action.state == ActionStatus.COMPLETED:
        return None
    messages = {
        ActionStatus.DRAFT: NOT_ISSUED,
        ActionStatus.OPEN: "This action is not complete yet, so it cannot be signed off "
        "or returned. It may have been returned already.",
        ActionStatus.SIGNED_OFF: ALREADY_SIGNED_OFF,
    }
    return Refusal(409, messages[action.state])
