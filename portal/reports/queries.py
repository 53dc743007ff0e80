"""The aggregate queries behind the learning reports.

Each function runs one SQL statement that counts or sums in the database (GROUP BY,
COUNT, SUM): none loads audits or actions row by row, so a report costs the same few
statements however many audits there are. Times are naive UTC and ranges half-open
(``start <= moment < end``). An audit counts in the month its ``submitted_at`` falls in;
its grade is the grade of record (the moderator's where moderated). Draft actions never
count.

:func:`submitted_audits` and :func:`section_grades` are for plugins' report sections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    distinct,
    extract,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from portal.audits.definition import INADEQUATE
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    Audit,
    AuditAnswer,
    AuditLearning,
    Case,
    Moderation,
    Priority,
    Service,
    Team,
)


def submitted_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """The condition: the audit was submitted in ``[start, end)``."""
    return and_(Audit.submitted_at >= start, Audit.submitted_at < end)


def service_names() -> list[str]:
    """Every service's name, in alphabetical order."""
    return list(db.session.scalars(select(Service.name).order_by(Service.name)))


@dataclass(frozen=True)
class AuditCount:
    """How many audits of one service got one grade, submitted in one month."""

    year: int
    month: int
    service: str
    grade: str | None
    count: int


def audit_counts(start: datetime, end: datetime) -> list[AuditCount]:
    """Audits submitted in ``[start, end)`` counted by month, service and grade of record."""
    year = extract("year", Audit.submitted_at)
    month = extract("month", Audit.submitted_at)
    rows = db.session.execute(
        select(year, month, Service.name, Audit.record_grade, func.count(Audit.id))
        .join(Case, Audit.case_id == Case.id)
        .join(Team, Case.team_id == Team.id)
        .join(Service, Team.service_id == Service.id)
        .where(submitted_between(start, end))
        .group_by(year, month, Service.name, Audit.record_grade)
    )
    return [
        AuditCount(int(y), int(m), service, grade, count) for y, m, service, grade, count in rows
    ]


_LIVE = Action.status != ActionStatus.DRAFT.value
_WEIGHT = case({p.value: p.weight for p in Priority}, value=Action.priority, else_=0)
#: What the action counts record, and the moment each is measured by.
ACTION_EVENTS = {
    "created": Action.created_at,
    "completed": Action.completed_at,
    "signed_off": Action.signed_off_at,
}


def _month_starts(start: datetime, end: datetime) -> list[datetime]:
    """The first moment of each month from *start*'s to *end* (a month's first moment)."""
    months = [start]
    while months[-1] < end:
        last = months[-1]
        months.append(last.replace(year=last.year + last.month // 12, month=last.month % 12 + 1))
    return months


def action_counts(start: datetime, end: datetime) -> dict[tuple[str, int, int], int]:
    """Actions created, completed and signed off in ``[start, end)`` (the first moments of
    two months), by month.

    The keys are ``(event, year, month)`` with the event one of :data:`ACTION_EVENTS`;
    months without any are left out. Each event and month is a range count on the
    event's date index, which reads no row of the table; the draft actions (created but
    never issued, so never completed or signed off) are counted apart and taken off the
    created ones.
    """
    bounds = _month_starts(start, end)
    parts = [
        select(
            literal_column(f"'{event}'"),
            literal_column(str(first.year)),
            literal_column(str(first.month)),
            func.count(),
        ).where(moment >= first, moment < following)
        for event, moment in ACTION_EVENTS.items()
        for first, following in pairwise(bounds)
    ]
    year, month = extract("year", Action.created_at), extract("month", Action.created_at)
    parts.append(
        select(literal_column("'draft'"), year, month, func.count())
        .where(
            Action.status == ActionStatus.DRAFT.value,
            Action.created_at >= start,
            Action.created_at < end,
        )
        .group_by(year, month)
    )
    counts: dict[tuple[str, int, int], int] = defaultdict(int)
    for event, year, month, count in db.session.execute(union_all(*parts)):
        if event == "draft":
            counts["created", int(year), int(month)] -= count
        else:
            counts[event, int(year), int(month)] += count
    return {key: count for key, count in counts.items() if count}


@dataclass(frozen=True)
class ActionPosition:
    """Where the actions stood at the end of a month.

    *overdue*: raised by then, due before the report date, and neither completed nor
    signed off by then (one its owner completed that awaits sign-off is not overdue, as in
    the actions lists).
    The weights (high 3, medium 2, low 1) are of the actions raised by the end of the month
    (*raised*) and of those of them signed off by then (*signed_off*), in all and among
    those raised since the start of the window (*window_...*).
    """

    overdue: int
    signed_off: int
    raised: int
    window_signed_off: int
    window_raised: int


def action_position(window_start: datetime, end: datetime, as_of: date) -> ActionPosition:
    """The overdue actions and the weighted progress at *end*, overdue judged on *as_of*."""
    raised = and_(_LIVE, Action.created_at < end)
    signed = and_(raised, Action.signed_off_at < end)
    in_window = Action.created_at >= window_start
    overdue = and_(
        raised,
        Action.due_on < as_of,
        or_(Action.completed_at.is_(None), Action.completed_at >= end),
        or_(Action.signed_off_at.is_(None), Action.signed_off_at >= end),
    )

    def total(condition: ColumnElement[bool], value=_WEIGHT):
        """The sum of *value* (the weight, by default) over the actions meeting *condition*."""
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    row = db.session.execute(
        select(
            total(overdue, 1),
            total(signed),
            total(raised),
            total(and_(signed, in_window)),
            total(and_(raised, in_window)),
        )
    ).one()
    return ActionPosition(*(int(value) for value in row))


def learning_counts(
    window_start: datetime, start: datetime, end: datetime
) -> dict[str, tuple[int, int]]:
    """For each learning area: how many audits were tagged with it, submitted in the month
    ``[start, end)`` and in the window ``[window_start, end)``, as ``(month, window)``.

    An audit tagged with an area by both the auditor and the moderator counts once.
    """
    in_month = Audit.submitted_at >= start
    rows = db.session.execute(
        select(
            AuditLearning.area,
            func.count(distinct(case((in_month, AuditLearning.audit_id)))),
            func.count(distinct(AuditLearning.audit_id)),
        )
        .join(Audit, Audit.id == AuditLearning.audit_id)
        .where(submitted_between(window_start, end))
        .group_by(AuditLearning.area)
    )
    return {area: (month, window) for area, month, window in rows}


@dataclass(frozen=True)
class OutstandingExample:
    """An audit graded Outstanding, with the auditor's summary, and whether the QA lead
    cleared that summary for sharing (anonymised) at moderation."""

    audit_id: int
    process_key: str
    case_reference: str
    service: str
    submitted_at: datetime
    summary: str
    cleared_for_sharing: bool


def outstanding_examples(start: datetime, end: datetime, limit: int) -> list[OutstandingExample]:
    """The first *limit* audits submitted in ``[start, end)`` whose grade of record is
    Outstanding, oldest first, with the auditor's summary and its clearance for sharing."""
    summary = aliased(AuditAnswer)
    rows = db.session.execute(
        select(
            Audit.id,
            Audit.process_key,
            Case.reference,
            Service.name,
            Audit.submitted_at,
            func.coalesce(summary.value, ""),
            func.coalesce(Moderation.cleared_for_sharing, False),
        )
        .join(Case, Audit.case_id == Case.id)
        .join(Team, Case.team_id == Team.id)
        .join(Service, Team.service_id == Service.id)
        .outerjoin(
            summary,
            and_(
                summary.audit_id == Audit.id,
                summary.section_key == "overall",
                summary.field_key == "summary",
            ),
        )
        .outerjoin(Moderation, Moderation.audit_id == Audit.id)
        .where(Audit.record_grade == "outstanding", submitted_between(start, end))
        .order_by(Audit.submitted_at, Audit.id)
        .limit(limit)
    )
    return [OutstandingExample(*row[:-1], bool(row[-1])) for row in rows]


def submitted_audits(process_key: str, start: datetime, end: datetime) -> int:
    """How many audits of the process *process_key* were submitted in ``[start, end)``."""
    return db.session.scalar(
        select(func.count(Audit.id)).where(
            Audit.process_key == process_key, submitted_between(start, end)
        )
    )


def section_grades(process_key: str, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """How often each grade was given to each section of the process *process_key*, in
    the audits submitted in ``[start, end)``: ``{section key: {grade key: count}}``."""
    rows = db.session.execute(
        select(AuditAnswer.section_key, AuditAnswer.value, func.count())
        .join(Audit, Audit.id == AuditAnswer.audit_id)
        .where(
            Audit.process_key == process_key,
            submitted_between(start, end),
            AuditAnswer.field_key == "grade",
            AuditAnswer.value != "",
        )
        .group_by(AuditAnswer.section_key, AuditAnswer.value)
    )
    counts: dict[str, dict[str, int]] = {}
    for section, grade, count in rows:
        counts.setdefault(section, {})[grade] = count
    return counts


@dataclass(frozen=True)
class ReauditCount:
    """How many audits of a process submitted in a month followed an Inadequate audit of
    the same case under that process, by their own grade of record (None: not graded)."""

    process_key: str
    grade: str | None
    audits: int


def reaudit_counts(start: datetime, end: datetime) -> list[ReauditCount]:
    """The audits submitted in ``[start, end)`` whose case's previous submitted audit of
    the same process had the grade of record Inadequate, counted by process and grade.

    One statement: each submitted audit is paired with the one before it (same case,
    same process) by a window function, then those of the range are counted.
    """
    window = {
        "partition_by": (Audit.case_id, Audit.process_key),
        "order_by": (Audit.submitted_at, Audit.id),
    }
    paired = (
        select(
            Audit.id,
            Audit.process_key,
            Audit.record_grade,
            Audit.submitted_at,
            func.lag(Audit.record_grade).over(**window).label("previous_grade"),
        )
        .where(Audit.submitted_at.is_not(None), Audit.submitted_at < end)
        .subquery()
    )
    rows = db.session.execute(
        select(paired.c.process_key, paired.c.record_grade, func.count(paired.c.id))
        .where(paired.c.submitted_at >= start, paired.c.previous_grade == INADEQUATE.key)
        .group_by(paired.c.process_key, paired.c.record_grade)
        .order_by(paired.c.process_key, paired.c.record_grade)
    )
    return [ReauditCount(*row) for row in rows]
