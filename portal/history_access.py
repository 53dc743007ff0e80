"""Who may read the free text of an activity history entry: the object's own access rule.

An entry about an audit, an action or a concern carries what was written about a child
(evidence, summaries, comments, return reasons, answers). Whoever reads the history sees
that text only when they may open the object itself; for the others the entry keeps its
date, actor, verb and object, and its text reads "hidden: you cannot open this audit".

Entries about the organisation (users, teams, services, plugins, jobs, the schedule, ...)
are shown in full. A plugin answers for its own object types through the
``portal_history_readable`` hook; any other type is hidden, the safe default. Each check
is one query per object type for a whole page of entries, never one per entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import select

from portal.audits.listing import visible_audits
from portal.concerns.service import OVERSIGHT_ROLES as CONCERN_READERS
from portal.extensions import db
from portal.models import Action, ActivityEntry, Audit, Case, SafeguardingConcern, User
from portal.permissions import visible_cases
from portal.plugins import plugin_host

#: Object types whose history holds nothing about a child: shown to every reader.
ORGANISATION_TYPES = frozenset(
    {
        "agency",
        "api_token",
        "case_import",
        "distribution_list",
        "job",
        "moderation_share",
        "plugin",
        "report",
        "selection",
        "service",
        "team",
        "theme",
        "user",
    }
)


def _ints(ids: Iterable[str]) -> list[int]:
    return [int(value) for value in ids if value.isdigit() and len(value) < 19]


def _audits(user: User, ids: set[str]) -> set[str]:
    visible = visible_audits(user).with_only_columns(Audit.id).where(Audit.id.in_(_ints(ids)))
    return {str(value) for value in db.session.scalars(visible)}


def _actions(user: User, ids: set[str]) -> set[str]:
    audits = visible_audits(user).with_only_columns(Audit.id)
    query = select(Action.id).where(Action.id.in_(_ints(ids)), Action.audit_id.in_(audits))
    return {str(value) for value in db.session.scalars(query)}


def _cases(user: User, ids: set[str]) -> set[str]:
    visible = visible_cases(user).with_only_columns(Case.id)
    query = select(Case.id).where(Case.id.in_(_ints(ids)), Case.id.in_(visible))
    return {str(value) for value in db.session.scalars(query)}


def _concerns(user: User, ids: set[str]) -> set[str]:
    query = select(SafeguardingConcern.id).where(SafeguardingConcern.id.in_(_ints(ids)))
    if not user.has_role(*CONCERN_READERS):
        # who raised it; a senior manager it was sent to reads it on the concern's own page
        query = query.where(SafeguardingConcern.raised_by_id == user.id)
    return {str(value) for value in db.session.scalars(query)}


CORE_RULES: dict[str, Callable[[User, set[str]], set[str]]] = {
    "action": _actions,
    "audit": _audits,
    "case": _cases,
    "safeguarding_concern": _concerns,
}


def readable_entries(user: User, entries: Iterable[ActivityEntry]) -> set[int]:
    """The ids of those *entries* whose free text *user* may read."""
    wanted: dict[str, set[str]] = defaultdict(set)
    readable: set[int] = set()
    entries = list(entries)
    for entry in entries:
        if entry.object_type in ORGANISATION_TYPES:
            readable.add(entry.id)
        else:
            wanted[entry.object_type].add(entry.object_id)
    allowed: dict[str, set[str]] = {}
    for object_type, ids in wanted.items():
        if object_type in CORE_RULES:
            allowed[object_type] = CORE_RULES[object_type](user, ids)
            continue
        answers = plugin_host().hook("portal_history_readable")(
            user=user, object_type=object_type, object_ids=frozenset(ids)
        )
        allowed[object_type] = {str(value) for answer in answers if answer for value in answer}
    readable.update(
        entry.id for entry in entries if entry.object_id in allowed.get(entry.object_type, ())
    )
    return readable
