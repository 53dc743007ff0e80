"""Saving an administrator's change with its line in the activity history."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from portal.activity import changed_fields, record
from portal.extensions import db


def save_change(
    verb: str,
    object_type: str,
    object_id: object,
    summary: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> bool:
    """Record a creation or a change by the signed-in administrator, then commit.

    For "changed", only the fields that differ are recorded; a change of nothing records
    nothing, commits nothing and returns False.
    """
    if verb == "changed":
        before, after = changed_fields(before, after)
        if not after:
            return False
    record(
        verb,
        object_type,
        object_id,
        actor_id=current_user.id,
        summary=summary,
        before=before or None,
        after=after,
    )
    db.session.commit()
    return True
