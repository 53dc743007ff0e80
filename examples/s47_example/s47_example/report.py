"""The plugin's section of the monthly learning report: how many S.47 audits were
submitted, whether the child was seen within the timescale, and the grades by section.

Two aggregate queries, whatever the number of audits: the core's ``section_grades`` helper
and one ``GROUP BY`` on the answer to "Was the child seen within the timescale?".
"""

from __future__ import annotations

from datetime import date, datetime

from portal.plugin_api import (
    Audit,
    AuditAnswer,
    ReportSection,
    ReportTable,
    db,
    grade_table,
    grades_by_section,
    section_grades,
    submitted_audits,
    submitted_between,
)
from sqlalchemy import func, select

from s47_example.grading import ENQUIRY, SEEN_IN_TIME
from s47_example.process import S47_AUDIT, THE_ENQUIRY

#: The choices of "Was the child seen within the timescale?", as the form offers them.
CHILD_SEEN = next(q for q in THE_ENQUIRY.questions if q.key == "child_seen").choices


def child_seen_counts(start: datetime, end: datetime) -> dict[str, int]:
    """How the S.47 audits submitted in ``[start, end)`` answered "Was the child seen
    within the timescale?": ``{choice: audits}``, every choice present."""
    rows = db.session.execute(
        select(AuditAnswer.value, func.count())
        .join(Audit, Audit.id == AuditAnswer.audit_id)
        .where(
            Audit.process_key == S47_AUDIT.key,
            submitted_between(start, end),
            AuditAnswer.section_key == ENQUIRY,
            AuditAnswer.field_key == "child_seen",
        )
        .group_by(AuditAnswer.value)
    )
    counts = {value: 0 for value, _ in CHILD_SEEN}
    for value, count in rows:
        if value in counts:
            counts[value] = count
    return counts


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The S.47 audits submitted in ``[start, end)``: the child seen in time, and grades."""
    audits = submitted_audits(S47_AUDIT.key, start, end)
    seen = child_seen_counts(start, end)
    graded = S47_AUDIT.form.graded_sections
    counts = grades_by_section(
        (section.key for section in graded), section_grades(S47_AUDIT.key, start, end)
    )
    return ReportSection(
        key=S47_AUDIT.key,
        title="Section 47 enquiry audits",
        summary=(
            f"{audits} S.47 enquiry audit{'' if audits == 1 else 's'} submitted in "
            f"{month:%B %Y}; in {seen[SEEN_IN_TIME]} the child was seen within the timescale."
        ),
        tables=(
            ReportTable(
                title="Was the child seen within the timescale?",
                head=("Answer", "Audits"),
                rows=tuple((label, seen[value]) for value, label in CHILD_SEEN),
            ),
            grade_table(
                f"Grades by section, {month:%B %Y}",
                ((section.key, section.title) for section in graded),
                counts,
            ),
        ),
        data={"audits": audits, "child_seen": seen, "grades_by_section": counts},
    )
