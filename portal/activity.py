"""Writing to the append-only activity history."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.models.system import ActivityEntry


def record(
    verb: str,
    object_type: str,
    object_id: object,
    *,
    actor_id: int | None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> ActivityEntry:
    """Add one line to the activity history in the current transaction.

    *verb* says what happened ("created", "changed", "enabled", ...), *object_type* and
    *object_id* what it happened to, *actor_id* who did it (None for the system), and
    *before*/*after* the fields that changed. The caller commits.
    """
    entry = ActivityEntry(
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        actor_id=actor_id,
        summary=summary,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value differs between *before* and *after*."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
