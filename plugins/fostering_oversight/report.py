"""The fostering_oversight section of the monthly learning report: the households reviewed,
how many had an unannounced visit in the year, a current safer caring policy and completed
training, and the grades by section.

Two aggregate queries, whatever the number of reviews: the core's ``section_grades`` and
one ``GROUP BY`` over the answers to the three questions counted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, tuple_

from plugins.fostering_oversight.grading import SAFER_CARING, UNANNOUNCED
from plugins.fostering_oversight.process import FOSTERING_OVERSIGHT
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

KEY = FOSTERING_OVERSIGHT.key
#: The answers counted: (data key, section, question, the answer counted, the row's label).
COUNTED = (
    (
        "unannounced_visit",
        UNANNOUNCED,
        "in_last_year",
        "yes",
        "An unannounced visit in the last 12 months",
    ),
    (
        "safer_caring_current",
        SAFER_CARING,
        "plan_current",
        "yes",
        "A current safer caring policy",
    ),
    (
        "training_completed",
        "training",
        "tsd_standards",
        "completed",
        "Training, Support and Development Standards completed",
    ),
)


def answers_counted(start: datetime, end: datetime) -> dict[str, int]:
    """How many reviews submitted in ``[start, end)`` gave each answer of :data:`COUNTED`,
    by its data key."""
    wanted = [(section, question, value) for _, section, question, value, _ in COUNTED]
    rows = db.session.execute(
        select(AuditAnswer.section_key, AuditAnswer.field_key, AuditAnswer.value, func.count())
        .join(Audit, Audit.id == AuditAnswer.audit_id)
        .where(
            Audit.process_key == KEY,
            submitted_between(start, end),
            tuple_(AuditAnswer.section_key, AuditAnswer.field_key, AuditAnswer.value).in_(wanted),
        )
        .group_by(AuditAnswer.section_key, AuditAnswer.field_key, AuditAnswer.value)
    )
    found = {(section, question, value): number for section, question, value, number in rows}
    return {
        data_key: found.get((section, question, value), 0)
        for data_key, section, question, value, _ in COUNTED
    }


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The fostering households reviewed in ``[start, end)``."""
    audits = submitted_audits(KEY, start, end)
    counted = answers_counted(start, end)
    graded = FOSTERING_OVERSIGHT.form.graded_sections
    counts = grades_by_section((section.key for section in graded), section_grades(KEY, start, end))
    summary = f"{audits} fostering household{'' if audits == 1 else 's'} reviewed in {month:%B %Y}"
    if audits:
        summary += (
            f"; {counted['unannounced_visit']} had an unannounced visit in the last 12 months"
        )
    return ReportSection(
        key=KEY,
        title="Fostering management oversight",
        summary=summary + ".",
        tables=(
            ReportTable(
                title="What the reviews found",
                head=("Finding", "Households"),
                rows=(
                    ("Reviewed", audits),
                    *((label, counted[data_key]) for data_key, *_, label in COUNTED),
                ),
            ),
            grade_table(
                f"Grades by section, {month:%B %Y}",
                ((section.key, section.title) for section in graded),
                counts,
            ),
        ),
        data={"audits": audits, **counted, "grades_by_section": counts},
    )
