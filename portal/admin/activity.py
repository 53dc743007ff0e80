"""The activity history page: read-only, newest first, filtered by object type and by actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, request
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from wtforms import SelectChoice

from portal.admin import bp
from portal.admin.forms import ActivityFilterForm
from portal.extensions import db
from portal.history_access import readable_entries
from portal.models import ActivityEntry, Role, User
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required
from portal.timeutil import govuk_date, to_london

PER_PAGE = 50
SYSTEM = "system"
RESULTS_ID = "activity-results"


@dataclass(frozen=True)
class ActivityLine:
    """One entry of the history as the page shows it."""

    at: datetime
    who: str
    verb: str
    object: str
    summary: str
    changes: list[str]
    hidden: bool = False


def readable_name(name: str) -> str:
    """A stored identifier such as "job_title" as words: "Job title"."""
    return name.replace("_", " ").capitalize()


def readable_value(value: Any) -> str:
    """A stored field value as a person reads it: Yes/No, lists joined, "nothing" for None,
    an ISO date as "1 February 2027"."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(readable_value(item) for item in value)
    return govuk_date(str(value))


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


def _line(entry: ActivityEntry, names: dict[int, str], readable: bool) -> ActivityLine:
    kind = readable_name(entry.object_type)
    if readable:
        summary, changes = entry.summary, describe_changes(entry.before, entry.after)
    else:
        summary, changes = f"hidden: you cannot open this {kind.lower()}", []
    return ActivityLine(
        at=to_london(entry.at),
        who=names.get(entry.actor_id, "System") if entry.actor_id else "System",
        verb=entry.verb,
        object=f"{kind} {entry.object_id}",
        summary=summary,
        changes=changes,
        hidden=not readable,
    )


@bp.route("/activity")
@roles_required(Role.ADMIN)
def activity():
    """The activity history, newest first, 50 a page; case content only for those who may
    open the object the entry is about."""
    filters = ActivityFilterForm(formdata=request.args)
    _filter_choices(filters)
    object_type, actor = _chosen(filters.object_type), _chosen(filters.actor)
    object_id = (filters.object_id.data or "").strip()[:60]
    query = select(ActivityEntry).order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())
    if object_type:
        query = query.where(ActivityEntry.object_type == object_type)
    if object_id:
        query = query.where(ActivityEntry.object_id == object_id)
    if actor == SYSTEM:
        query = query.where(ActivityEntry.actor_id.is_(None))
    elif actor:
        query = query.where(ActivityEntry.actor_id == int(actor))
    page = paginate(query, per_page=PER_PAGE)
    actor_ids = {entry.actor_id for entry in page.items if entry.actor_id is not None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).all())
    readable = readable_entries(current_user, page.items)
    lines = [_line(entry, names, entry.id in readable) for entry in page.items]
    context = {
        "title": "Activity history",
        "filters": filters,
        "page": page,
        "lines": lines,
        "filtered": bool(object_type or actor or object_id),
    }
    if wants_fragment(RESULTS_ID):
        return render_block("admin/activity.html", "results", **context)
    return render_template("admin/activity.html", **context)
