"""The csc_audit plugin's section of the monthly learning report: grades by standard."""

from __future__ import annotations

from datetime import date, datetime

from plugins.csc_audit.process import CSC_AUDIT
from portal.plugin_api import (
    OFSTED_GRADES,
    ReportSection,
    grade_table,
    grades_by_section,
    in_words,
    section_grades,
    submitted_audits,
)

#: Grades that call for improvement: a standard with the most of them is named in the summary.
CONCERNS = tuple(grade.key for grade in OFSTED_GRADES if grade.needs_action)


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """How often each standard (and the impact section) got each grade, in the case file
    audits submitted in ``[start, end)``."""
    graded = CSC_AUDIT.form.graded_sections
    audits = submitted_audits(CSC_AUDIT.key, start, end)
    counts = grades_by_section((s.key for s in graded), section_grades(CSC_AUDIT.key, start, end))
    summary = f"{audits} case file audit{'' if audits == 1 else 's'} submitted in {month:%B %Y}."
    concerns = {s.title: sum(counts[s.key][grade] for grade in CONCERNS) for s in graded}
    worst = max(concerns.values(), default=0)
    if worst:
        names = in_words(title for title, count in concerns.items() if count == worst)
        summary += f" {names} had the most grades of Requires improvement or Inadequate ({worst})."
    return ReportSection(
        key=CSC_AUDIT.key,
        title="Children's Social Care case file audits",
        summary=summary,
        tables=(
            grade_table(
                f"Grades by practice standard, {month:%B %Y}",
                ((s.key, s.title) for s in graded),
                counts,
            ),
        ),
        data={"audits": audits, "grades_by_standard": counts},
    )
