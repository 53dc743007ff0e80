"""The early_help plugin's section of the monthly learning report: grades by section, and
how many audits have the date they were discussed in supervision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, select

from plugins.early_help.process import EARLY_HELP_AUDIT, SUPERVISION
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

#: The answer that records when the audit was discussed in supervision.
DISCUSSED_ON = (SUPERVISION.key, "discussed_on")


def supervision_counts(start: datetime, end: datetime) -> tuple[int, int]:
    """The Early Help audits submitted in ``[start, end)``, and how many of them record the
    date they were discussed in supervision."""
    discussed = db.session.execute(
        select(
            func.count(Audit.id),
            func.coalesce(func.sum(case((AuditAnswer.value != "", 1), else_=0)), 0),
        )
        .outerjoin(
            AuditAnswer,
            and_(
                AuditAnswer.audit_id == Audit.id,
                AuditAnswer.section_key == DISCUSSED_ON[0],
                AuditAnswer.field_key == DISCUSSED_ON[1],
            ),
        )
        .where(Audit.process_key == EARLY_HELP_AUDIT.key, submitted_between(start, end))
    ).one()
    return int(discussed[0]), int(discussed[1])


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Grades by section, and the share of audits discussed in supervision, for the Early
    Help audits submitted in ``[start, end)``."""
    graded = EARLY_HELP_AUDIT.form.graded_sections
    counts = grades_by_section(
        (s.key for s in graded), section_grades(EARLY_HELP_AUDIT.key, start, end)
    )
    audits, recorded = supervision_counts(start, end)
    share = round(recorded / audits, 4) if audits else 0.0
    return ReportSection(
        key=EARLY_HELP_AUDIT.key,
        title="Early Help deep-dive audits",
        summary=(
            f"{audits} Early Help audit{'' if audits == 1 else 's'} submitted in "
            f"{month:%B %Y}; {recorded} record{'s' if recorded == 1 else ''} the date the "
            f"audit was discussed in supervision ({round(share * 100)}%)."
        ),
        tables=(
            grade_table(
                f"Grades by section, {month:%B %Y}", ((s.key, s.title) for s in graded), counts
            ),
            ReportTable(
                title="Audits discussed in supervision",
                head=("Audits", "Count"),
                rows=(
                    ("Submitted", audits),
                    ("With the date discussed in supervision", recorded),
                    ("Share with the date (%)", round(share * 100, 1)),
                ),
            ),
        ),
        data={
            "audits": audits,
            "supervision_recorded": recorded,
            "supervision_share": share,
            "grades_by_section": counts,
        },
    )
