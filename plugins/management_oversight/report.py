"""The management_oversight section of the monthly learning report: the dip samples
submitted, their judgements by case type, whether the visits were within the timescale,
unchallenged drift, and the grades by section.

Four aggregate queries, whatever the number of dip samples.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from plugins.management_oversight.grading import DRIFT, UNCHALLENGED_DRIFT, VISITS, VISITS_IN_TIME
from plugins.management_oversight.process import MANAGEMENT_OVERSIGHT, VISITS_SECTION
from portal.plugin_api import (
    OFSTED_GRADES,
    Audit,
    AuditAnswer,
    Case,
    CaseType,
    ReportSection,
    ReportTable,
    db,
    grade_table,
    grades_by_section,
    section_grades,
    submitted_audits,
    submitted_between,
)

KEY = MANAGEMENT_OVERSIGHT.key
#: The choices of "Were the visits within the timescale?".
VISIT_CHOICES = next(q for q in VISITS_SECTION.questions if q.key == "in_timescale").choices


def answer_counts(section: str, question: str, start: datetime, end: datetime) -> dict[str, int]:
    """How the dip samples submitted in ``[start, end)`` answered *question* of *section*:
    ``{answer: dip samples}``."""
    rows = db.session.execute(
        select(AuditAnswer.value, func.count())
        .join(Audit, Audit.id == AuditAnswer.audit_id)
        .where(
            Audit.process_key == KEY,
            submitted_between(start, end),
            AuditAnswer.section_key == section,
            AuditAnswer.field_key == question,
        )
        .group_by(AuditAnswer.value)
    )
    return dict(rows.all())


def judgements_by_case_type(start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """The grade of record of the dip samples submitted in ``[start, end)``, by the case
    type: ``{case type: {grade: dip samples}}``, every case type and grade present."""
    counts = {
        case_type: {grade.key: 0 for grade in OFSTED_GRADES}
        for case_type in MANAGEMENT_OVERSIGHT.case_types
    }
    rows = db.session.execute(
        select(Case.case_type, Audit.record_grade, func.count())
        .join(Case, Case.id == Audit.case_id)
        .where(Audit.process_key == KEY, submitted_between(start, end))
        .group_by(Case.case_type, Audit.record_grade)
    )
    for case_type, grade, number in rows:
        if case_type in counts and grade in counts[case_type]:
            counts[case_type][grade] = number
    return counts


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """The dip samples submitted in ``[start, end)``."""
    audits = submitted_audits(KEY, start, end)
    visits = answer_counts(VISITS, "in_timescale", start, end)
    drift = answer_counts(DRIFT, "drift_found", start, end).get(UNCHALLENGED_DRIFT, 0)
    by_type = judgements_by_case_type(start, end)
    graded = MANAGEMENT_OVERSIGHT.form.graded_sections
    counts = grades_by_section((section.key for section in graded), section_grades(KEY, start, end))
    summary = (
        f"{audits} management oversight dip sample{'' if audits == 1 else 's'} submitted in "
        f"{month:%B %Y}"
    )
    if audits:
        summary += (
            f"; the visits were within the timescale in {visits.get(VISITS_IN_TIME, 0)}, "
            f"and {drift} found drift nobody had challenged"
        )
    return ReportSection(
        key=KEY,
        title="Management oversight dip samples",
        summary=summary + ".",
        tables=(
            ReportTable(
                title="Judgements by case type",
                head=("Case type", *(grade.label for grade in OFSTED_GRADES), "Total"),
                rows=tuple(
                    (
                        CaseType(case_type).label,
                        *(grades[grade.key] for grade in OFSTED_GRADES),
                        sum(grades.values()),
                    )
                    for case_type, grades in by_type.items()
                ),
            ),
            ReportTable(
                title="Were the visits within the timescale?",
                head=("Answer", "Dip samples"),
                rows=tuple((label, visits.get(value, 0)) for value, label in VISIT_CHOICES),
            ),
            grade_table(
                f"Grades by section, {month:%B %Y}",
                ((section.key, section.title) for section in graded),
                counts,
            ),
        ),
        data={
            "audits": audits,
            "judgements_by_case_type": by_type,
            "visits_in_timescale": {value: visits.get(value, 0) for value, _ in VISIT_CHOICES},
            "unchallenged_drift": drift,
            "grades_by_section": counts,
        },
    )
