"""Reading the small forms around an audit: a new action, a comment, a concern.

The audit form itself is generated from the process description and read with
:func:`portal.audits.answers.read_form`; these helpers read the fixed forms beside it
and return the values with any errors keyed by field id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from portal.models import Priority
from portal.urls import database_int

#: The most characters an action's description may hold.
ACTION_LIMIT = 2_000


@dataclass
class ActionInput:
    """A new action as typed, with the problems found in it."""

    description: str = ""
    priority: str = Priority.MEDIUM.value
    owner_id: int | None = None
    due_on: date | None = None
    due_parts: tuple[str, str, str] = ("", "", "")
    errors: dict[str, str] = field(default_factory=dict)


def read_action(
    data: Mapping[str, str], prefix: str, owner_ids: set[int], today: date
) -> ActionInput:
    """Read the new-action fields named ``{prefix}-description`` and so on."""
    action = ActionInput(
        description=data.get(f"{prefix}-description", "").strip(),
        priority=data.get(f"{prefix}-priority", "") or Priority.MEDIUM.value,
    )
    if not action.description:
        action.errors[f"{prefix}-description"] = "Describe what needs to be done"
    elif len(action.description) > ACTION_LIMIT:
        action.errors[f"{prefix}-description"] = (
            f"Describe the action in {ACTION_LIMIT:,} characters or fewer"
        )
    if action.priority not in {priority.value for priority in Priority}:
        action.errors[f"{prefix}-priority"] = "Choose high, medium or low priority"
    owner = database_int(data.get(f"{prefix}-owner", ""))
    if owner in owner_ids:
        action.owner_id = owner
    else:
        action.errors[f"{prefix}-owner"] = "Choose who will do this action"
    parts = tuple(data.get(f"{prefix}-due-{part}", "").strip() for part in ("day", "month", "year"))
    action.due_parts = parts  # type: ignore[assignment]
    try:
        action.due_on = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        action.errors[f"{prefix}-due-day"] = "Enter a real due date, for example 27 3 2027"
    else:
        if action.due_on < today:
            action.errors[f"{prefix}-due-day"] = "The due date must be today or in the future"
    return action


def read_text(data: Mapping[str, str], name: str, message: str, limit: int = 10000):
    """A required free-text field: (text, error or None)."""
    text = data.get(name, "").replace("\r\n", "\n").strip()
    if not text:
        return text, message
    if len(text) > limit:
        return text, f"Use {limit} characters or fewer"
    return text, None
