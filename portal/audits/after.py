"""Sections filled after submission (``Section.filled_after_by``): who may fill them, saving
what they record, and the history of it.

The Early Help audit's "discussed in supervision" is one: the case holder's manager records
the date and a note once the audit is submitted. What they record is stored as the audit's
answers (so reports count it like any answer) and in the activity history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from portal.activity import record
from portal.audits.answers import FieldError, after_submission_errors, flatten
from portal.audits.definition import FILLED_AFTER_BY, FormDefinition, Section
from portal.audits.locking import lock_for_saving
from portal.extensions import db
from portal.models import ActivityEntry, Audit, AuditAnswer, AuditRevision, AuditStatus, User
from portal.notify import notify

#: The verb of the activity history's entry for each recording.
RECORDED = "recorded after submission"


def after_sections(form: FormDefinition) -> tuple[Section, ...]:
    """The sections of *form* filled after submission."""
    return tuple(section for section in form.sections if section.filled_after_by is not None)


def filler_name(section: Section) -> str:
    """Who fills *section* after submission, as the pages say it."""
    return FILLED_AFTER_BY.get(section.filled_after_by or "", "someone named by the process")


def filler_ids(audit: Audit, section: Section) -> set[int]:
    """The ids of the people who may fill *section* of *audit* after submission (read from
    the case, its worker and its team: no person is loaded)."""
    if section.filled_after_by != "case_manager":
        return set()
    worker = audit.case.allocated_worker
    ids = {worker.line_manager_id if worker else None, audit.case.team.manager_id}
    return {person_id for person_id in ids if person_id is not None}


def fillers(audit: Audit, section: Section) -> list[User]:
    """The active people who may fill *section* of *audit* after submission."""
    people = (db.session.get(User, person_id) for person_id in sorted(filler_ids(audit, section)))
    return [person for person in people if person is not None and person.active]


def may_fill(user: User, audit: Audit, section: Section) -> bool:
    """True when *user* may record *section* of *audit* now: it is submitted (and not
    cancelled), the section is filled after submission, and *user* is the one it names."""
    return (
        section.filled_after_by is not None
        and audit.submitted_at is not None
        and audit.status != AuditStatus.CANCELLED.value
        and user.id in filler_ids(audit, section)
    )


def record_after(
    audit: Audit, section: Section, incoming: Mapping[str, str], user: User, today: date
) -> list[FieldError]:
    """Store *incoming* (flat answers to *section*) as recorded by *user*; the problems
    instead when there are any, and then nothing is changed. The caller commits."""
    errors = after_submission_errors(section, incoming, today)
    if errors:
        return errors
    lock_for_saving(audit)  # a recording at the same moment waits for this one
    stored = flatten(audit.answers())
    changed = {key: value for key, value in incoming.items() if stored.get(key, "") != value}
    if not changed:
        return []
    rows = {(row.section_key, row.field_key): row for row in audit.answer_rows}
    for key, value in changed.items():
        section_key, _, field_key = key.partition(".")
        row = rows.get((section_key, field_key))
        if row is None:
            audit.answer_rows.append(
                AuditAnswer(section_key=section_key, field_key=field_key, value=value)
            )
        else:
            row.value = value
    audit.revision += 1
    db.session.add(
        AuditRevision(audit_id=audit.id, revision=audit.revision, user_id=user.id, changes=changed)
    )
    record(
        RECORDED,
        "audit",
        audit.id,
        actor_id=user.id,
        summary=section.title,
        before={key: stored.get(key, "") for key in changed},
        after=changed,
    )
    notify(
        [person for person in audit.auditors if person.id != user.id],
        f"{section.title}: {audit.case.reference}",
        f"{user.name} recorded “{section.title}” on the audit of {audit.case.reference}.",
        f"/audits/{audit.id}#view-{section.key}",
    )
    return []


def history(audit: Audit) -> list[tuple[ActivityEntry, str]]:
    """Every recording made after submission on *audit*, with who made it, oldest first
    (one statement)."""
    return [
        (entry, name or "Someone")
        for entry, name in db.session.execute(
            select(ActivityEntry, User.name)
            .outerjoin(User, User.id == ActivityEntry.actor_id)
            .where(
                ActivityEntry.object_type == "audit",
                ActivityEntry.object_id == str(audit.id),
                ActivityEntry.verb == RECORDED,
            )
            .order_by(ActivityEntry.id)
        )
    ]
