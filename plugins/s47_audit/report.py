"""The s47_audit section of the monthly learning report: how many S.47 enquiry audits were
submitted, whether the child was seen within the timescale, the outcomes, and the grades by
section.

Three aggregate queries, whatever the number of audits: the core's ``section_grades`` and
one ``GROUP BY`` over the answers to each of the two questions counted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from plugins.s47_audit.grading import OUTCOME, SEEING_CHILD, SEEN_IN_TIME
from plugins.s47_audit.process import OUTCOME_AND_PLAN, S47_AUDIT, THE_CHILD
from portal.plugin_api import (
    Audit,
    AuditAnswer,
    Question,
    ReportSection,
    ReportTable,
    db,
    grade_table,
    grades_by_section,
    section_grades,
    submitted_audits,
    submitted_between,
)


def _question(section, key: str) -> Question:
    return next(question for question in section.questions if question.key == key)


#: The choices of "Was the child seen within the timescale?", as the form offers them.
CHILD_SEEN = _question(THE_CHILD, "child_seen").choices
#: The choices of "What was the outcome of the enquiry?".
OUTCOMES = _question(OUTCOME_AND_PLAN, "outcome").choices


def answer_counts(
    section: str, question: str, choices, start: datetime, end: datetime
) -> dict[str, int]:
    """How the S.47 audits submitted in ``[start, end)`` answered the choice *question* of
    *section*: ``{choice: audits}``, every choice present, in the form's order."""
    rows = db.session.execute(
        select(AuditAnswer.value, func.count())
        .join(Audit, Audit.id == AuditAnswer.audit_id)
        .where(
            Audit.process_key == S47_AUDIT.key,
            submitted_between(start, end),
            AuditAnswer.section_key == section,
            AuditAnswer.field_key == question,
        )
        .group_by(AuditAnswer.value)
    )
    counts = {value: 0 for value, _ in choices}
    for value, number in rows:
        if value in counts:
            counts[value] = number
    return counts


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The S.47 enquiry audits submitted in ``[start, end)``."""
    audits = submitted_audits(S47_AUDIT.key, start, end)
    seen = answer_counts(SEEING_CHILD, "child_seen", CHILD_SEEN, start, end)
    outcomes = answer_counts(OUTCOME, "outcome", OUTCOMES, start, end)
    graded = S47_AUDIT.form.graded_sections
    counts = grades_by_section(
        (section.key for section in graded), section_grades(S47_AUDIT.key, start, end)
    )
    summary = f"{audits} S.47 enquiry audit{'' if audits == 1 else 's'} submitted in {month:%B %Y}"
    if audits:
        summary += f"; in {seen[SEEN_IN_TIME]} the child was seen within the timescale"
    return ReportSection(
        key=S47_AUDIT.key,
        title="Section 47 enquiry audits",
        summary=summary + ".",
        tables=(
            ReportTable(
                title="Was the child seen within the timescale?",
                head=("Answer", "Audits"),
                rows=tuple((label, seen[value]) for value, label in CHILD_SEEN),
            ),
            ReportTable(
                title="Outcome of the enquiry",
                head=("Outcome", "Audits"),
                rows=tuple((label, outcomes[value]) for value, label in OUTCOMES),
            ),
            grade_table(
                f"Grades by section, {month:%B %Y}",
                ((section.key, section.title) for section in graded),
                counts,
            ),
        ),
        data={
            "audits": audits,
            "child_seen": seen,
            "outcomes": outcomes,
            "grades_by_section": counts,
        },
    )
