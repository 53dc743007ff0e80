"""Retention: erasing what the portal holds about a child once the council's period after the
case closed has run (``RETENTION_YEARS_AFTER_CLOSURE``, 25 years unless the council sets
another).

A case falls due on the anniversary of its closing date that many years on. Erasing a case
removes what identifies the child or records the family's and professionals' words, and
keeps what the reports count, so the monthly report, the annual summary and the equality
figures of every past period stay as they were:

- erased: the answers given as free text (text and one-line questions, evidence, the
  overall reason and summary), the audit's save history (it holds the same text), the
  comments, the free text of the audit (allocation, override and cancellation reasons), of
  its moderation (rationale, feedback) and of its actions (description, evidence, reasons
  for return), the safeguarding concerns' description and response, the family's name and
  address, and each plugin's own records through ``portal_erase_case_records``;
- kept: the audits with their dates, statuses and grades, the answers that are grades,
  choices or dates, the learning tags, the actions' priority, status and dates, the case's
  type, team, dates and characteristics; the reference becomes ``Erased <case id>``.

The erasure is one line of the activity history, with counts only. The rules take *today*
as an argument; only the commands and the page read the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Select, String, and_, cast, delete, func, literal, not_, or_, select, update

from portal.activity import record
from portal.audits.answers import field_specs, section_specs
from portal.audits.definition import FormDefinition
from portal.extensions import db
from portal.models import (
    Action,
    Audit,
    AuditAnswer,
    AuditComment,
    AuditForm,
    AuditRevision,
    Case,
    SafeguardingConcern,
)
from portal.models.moderation import Moderation
from portal.plugins import plugin_host

#: Answers of these kinds are counted by the reports and say nothing in anyone's words.
KEPT_KINDS = frozenset({"grade", "choice", "many", "date"})
ERASED_ACTION = "Erased under the records retention rule"
#: Cases erased in one statement each (keeps the ``IN`` lists of a large run bounded).
BATCH = 500


def closed_on_or_before(today: date, years: int) -> date:
    """The latest closing date due on *today*: the same day *years* years back (29 February
    falls back to 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_cases(today: date, years: int) -> Select:
    """The cases due for erasure on *today*, not yet erased, longest closed first."""
    return (
        select(Case)
        .where(
            Case.closed_on.is_not(None),
            Case.closed_on <= closed_on_or_before(today, years),
            Case.erased_at.is_(None),
        )
        .order_by(Case.closed_on, Case.id)
    )


def due_count(today: date, years: int) -> int:
    """How many cases are due for erasure on *today*."""
    query = due_cases(today, years).order_by(None).with_only_columns(func.count(Case.id))
    return db.session.scalar(query)


def _kept_fields(definition: dict | None, process_key: str) -> list[tuple[str, str]]:
    """The (section, field) pairs of a stored form whose answers are kept; an audit with no
    stored form is read with its process's form as it is now."""
    if definition is not None:
        form = FormDefinition.from_json(definition)
    elif (process := plugin_host().process(process_key)) is not None:
        form = process.form
    else:
        return []
    specs = list(field_specs(form))
    for section in form.sections:
        if section.filled_after_by is not None:
            specs.extend(section_specs(section))
    return sorted({(spec.section, spec.field) for spec in specs if spec.kind in KEPT_KINDS})


def _erase_answers(audit_ids: list[int]) -> int:
    """Delete the free-text answers of *audit_ids*, form by form (a grade is always kept);
    the number deleted."""
    forms = db.session.execute(
        select(Audit.form_id, Audit.process_key).where(Audit.id.in_(audit_ids)).distinct()
    ).all()
    form_ids = {form_id for form_id, _ in forms if form_id is not None}
    definitions = dict(
        db.session.execute(
            select(AuditForm.id, AuditForm.definition).where(AuditForm.id.in_(form_ids))
        ).all()
    )
    erased = 0
    for form_id, process_key in forms:
        definition = definitions.get(form_id)
        same_form = (
            Audit.form_id == form_id
            if form_id is not None
            else and_(Audit.form_id.is_(None), Audit.process_key == process_key)
        )
        of_form = select(Audit.id).where(Audit.id.in_(audit_ids), same_form)
        keep = or_(
            AuditAnswer.field_key == "grade",
            *(
                and_(AuditAnswer.section_key == s, AuditAnswer.field_key == f)
                for s, f in _kept_fields(definition, process_key)
            ),
        )
        result = db.session.execute(
            delete(AuditAnswer).where(AuditAnswer.audit_id.in_(of_form), not_(keep))
        )
        erased += result.rowcount
    return erased


def _erase_batch(case_ids: list[int], now: datetime) -> dict[str, int]:
    audit_ids = list(db.session.scalars(select(Audit.id).where(Audit.case_id.in_(case_ids))))
    counts = {"cases": len(case_ids), "audits": len(audit_ids)}
    if audit_ids:
        counts["answers"] = _erase_answers(audit_ids)
        counts["comments"] = db.session.execute(
            delete(AuditComment).where(AuditComment.audit_id.in_(audit_ids))
        ).rowcount
        db.session.execute(delete(AuditRevision).where(AuditRevision.audit_id.in_(audit_ids)))
        db.session.execute(
            update(Audit)
            .where(Audit.id.in_(audit_ids))
            .values(allocation_reason="", override_reason="", cancel_reason="")
        )
        db.session.execute(
            update(Moderation)
            .where(Moderation.audit_id.in_(audit_ids))
            .values(rationale="", feedback="")
        )
        counts["actions"] = db.session.execute(
            update(Action)
            .where(Action.audit_id.in_(audit_ids))
            .values(description=ERASED_ACTION, evidence="", returned_reason="")
        ).rowcount
    counts["concerns"] = db.session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.case_id.in_(case_ids))
        .values(description="", response="")
    ).rowcount
    db.session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(
            reference=literal("Erased ") + cast(Case.id, String),
            family_name=None,
            family_address=None,
            erased_at=now,
        ),
        execution_options={"synchronize_session": False},
    )
    for answer in plugin_host().manager.hook.portal_erase_case_records(case_ids=case_ids):
        for what, count in (answer or {}).items():
            counts[what] = count
    return counts


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for what, count in part.items():
        total[what] = total.get(what, 0) + count


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def erase_due(today: date, years: int, now: datetime, actor_id: int | None) -> dict[str, int]:
    """Erase every case due on *today* (see the module's docstring) and record it in the
    activity history with the counts; the counts, in one transaction the caller commits."""
    case_ids = list(db.session.scalars(due_cases(today, years).with_only_columns(Case.id)))
    total: dict[str, int] = {}
    for batch in _batches(case_ids, BATCH):
        _add(total, _erase_batch(batch, now))
    if case_ids:
        record(
            "erased",
            "retention",
            today.isoformat(),
            actor_id=actor_id,
            summary=f"Erased the records of {len(case_ids)} cases closed {years} years or more",
            after=total,
        )
    return total
