"""The supervision_quality plugin's section of the monthly learning report: grades by
section, and how often supervision met the policy's frequency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, select

from plugins.supervision_quality.grading import MET_POLICY
from plugins.supervision_quality.process import MET_POLICY_CHOICES, SUPERVISION_QUALITY_AUDIT
from portal.plugin_api import (
    Audit,
    AuditAnswer,
    ReportSection,
    ReportTable,
    db,
    grade_table,
    grades_by_section,
    section_grades,
    submitted_between,
)


def frequency_counts(start: datetime, end: datetime) -> dict[str, int]:
    """How many audits submitted in ``[start, end)`` gave each answer to "did supervision
    take place as often as the policy requires?" (every answer, zeros included)."""
    rows = db.session.execute(
        select(AuditAnswer.value, func.count(Audit.id))
        .join(
            AuditAnswer,
            and_(
                AuditAnswer.audit_id == Audit.id,
                AuditAnswer.section_key == MET_POLICY[0],
                AuditAnswer.field_key == MET_POLICY[1],
            ),
        )
        .where(Audit.process_key == SUPERVISION_QUALITY_AUDIT.key, submitted_between(start, end))
        .group_by(AuditAnswer.value)
    ).all()
    found = {value: int(number) for value, number in rows}
    return {value: found.get(value, 0) for value, _ in MET_POLICY_CHOICES}


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Grades by section, and supervision against the policy's frequency, for the quality
    of supervision audits submitted in ``[start, end)``."""
    graded = SUPERVISION_QUALITY_AUDIT.form.graded_sections
    counts = grades_by_section(
        (s.key for s in graded), section_grades(SUPERVISION_QUALITY_AUDIT.key, start, end)
    )
    frequency = frequency_counts(start, end)
    audits = sum(frequency.values())
    met = frequency["yes"]
    share = round(met / audits, 4) if audits else 0.0
    return ReportSection(
        key=SUPERVISION_QUALITY_AUDIT.key,
        title="Quality of supervision audits",
        summary=(
            f"{audits} quality of supervision audit{'' if audits == 1 else 's'} submitted in "
            f"{month:%B %Y}; in {met} of them supervision took place as often as the policy "
            f"requires ({round(share * 100)}%)."
        ),
        tables=(
            grade_table(
                f"Grades by section, {month:%B %Y}", ((s.key, s.title) for s in graded), counts
            ),
            ReportTable(
                title="Supervision against the policy's frequency",
                head=("Over the last six months", "Audits"),
                rows=tuple((label, frequency[value]) for value, label in MET_POLICY_CHOICES),
            ),
        ),
        data={
            "audits": audits,
            "frequency": frequency,
            "met_policy_share": share,
            "grades_by_section": counts,
        },
    )
