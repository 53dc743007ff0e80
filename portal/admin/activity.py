"""The activity history page: read-only, newest first, filtered by object type and by actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, request
from sqlalchemy import select
from wtforms import SelectChoice

from portal.admin import bp
from portal.admin.forms import ActivityFilterForm
from portal.extensions import db
from portal.models import ActivityEntry, Role, User
from portal.permissions import roles_required
from portal.timeutil import to_london

PER_PAGE = 50
SYSTEM = "system"


@dataclass(frozen=True)
class ActivityLine:
    """One entry of the history as the page shows it."""

    at: datetime
    who: str
    verb: str
    object: str
    summary: str
    changes: list[str]


def readable_name(name: str) -> str:
    """A stored identifier such as "job_title" as words: "Job title"."""
    return name.replace("_", " ").capitalize()


def readable_value(value: Any) -> str:
    """A stored field value as a person reads it: Yes/No, lists joined, "nothing" for None."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(readable_value(item) for item in value)
    return str(value)


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """One sentence for each field of *before*/*after*, such as "Job title: from X to Y"."""
    before, after = before or {}, after or {}
    lines = []
    for key in [*after, *(key for key in before if key not in after)]:
        label = readable_name(key)
        if key not in before:
            lines.append(f"{label}: {readable_value(after[key])}")
        elif key not in after:
            lines.append(f"{label}: was {readable_value(before[key])}")
        else:
            old, new = readable_value(before[key]), readable_value(after[key])
            lines.append(f"{label}: from {old} to {new}")
    return lines


def _filter_choices(filters: ActivityFilterForm) -> None:
    types = db.session.scalars(
        select(ActivityEntry.object_type).distinct().order_by(ActivityEntry.object_type)
    )
    filters.object_type.choices = [SelectChoice("", "Any type")] + [
        SelectChoice(kind, readable_name(kind)) for kind in types
    ]
    actors = db.session.execute(
        select(User.id, User.name)
        .where(User.id.in_(select(ActivityEntry.actor_id)))
        .order_by(User.name, User.id)
    )
    filters.actor.choices = [SelectChoice("", "Anyone"), SelectChoice(SYSTEM, "System")] + [
        SelectChoice(str(user_id), name) for user_id, name in actors
    ]


def _chosen(field) -> str:
    """The field's value when it is one of its choices, else the empty string."""
    return field.data if field.data in {choice.value for choice in field.choices} else ""


@bp.route("/activity")
@roles_required(Role.ADMIN)
def activity():
    """The activity history, newest first, 50 a page."""
    filters = ActivityFilterForm(formdata=request.args)
    _filter_choices(filters)
    object_type, actor = _chosen(filters.object_type), _chosen(filters.actor)
    query = select(ActivityEntry).order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())
    if object_type:
        query = query.where(ActivityEntry.object_type == object_type)
    if actor == SYSTEM:
        query = query.where(ActivityEntry.actor_id.is_(None))
    elif actor:
        query = query.where(ActivityEntry.actor_id == int(actor))
    page = db.paginate(query, per_page=PER_PAGE, max_per_page=PER_PAGE)
    actor_ids = {entry.actor_id for entry in page.items if entry.actor_id is not None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).all())
    lines = [
        ActivityLine(
            at=to_london(entry.at),
            who=names.get(entry.actor_id, "System"),
            verb=entry.verb,
            object=f"{readable_name(entry.object_type)} {entry.object_id}",
            summary=entry.summary,
            changes=describe_changes(entry.before, entry.after),
        )
        for entry in page.items
    ]
    args = {key: value for key, value in (("object_type", object_type), ("actor", actor)) if value}
    return render_template(
        "admin/activity.html",
        title="Activity history",
        filters=filters,
        page=page,
        lines=lines,
        filter_args=args,
    )
