"""The practice_observation plugin's section of the monthly learning report: grades by
section, the families' views of the visits, and the practitioners' reflections."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, select

from plugins.practice_observation.grading import VIEW_GIVEN
from plugins.practice_observation.models import Reflection
from plugins.practice_observation.process import PRACTICE_OBSERVATION, VIEW_CHOICES
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


def family_views(start: datetime, end: datetime) -> dict[str, int]:
    """How many observations submitted in ``[start, end)`` gave each answer to "did the
    family give their view of the visit?" (every answer, zeros included)."""
    rows = db.session.execute(
        select(AuditAnswer.value, func.count(Audit.id))
        .join(
            AuditAnswer,
            and_(
                AuditAnswer.audit_id == Audit.id,
                AuditAnswer.section_key == VIEW_GIVEN[0],
                AuditAnswer.field_key == VIEW_GIVEN[1],
            ),
        )
        .where(Audit.process_key == PRACTICE_OBSERVATION.key, submitted_between(start, end))
        .group_by(AuditAnswer.value)
    ).all()
    found = {value: int(number) for value, number in rows}
    return {value: found.get(value, 0) for value, _ in VIEW_CHOICES}


def observations_and_reflections(start: datetime, end: datetime) -> tuple[int, int]:
    """The observations submitted in ``[start, end)``, and how many of them the
    practitioner has reflected on (so far)."""
    observations, reflected = db.session.execute(
        select(func.count(Audit.id), func.count(Reflection.id))
        .outerjoin(Reflection, Reflection.audit_id == Audit.id)
        .where(Audit.process_key == PRACTICE_OBSERVATION.key, submitted_between(start, end))
    ).one()
    return int(observations), int(reflected)


def report_section(month: date, start: datetime, end: datetime) -> ReportSection:
    """Grades by section, the families' views and the practitioners' reflections, for the
    observations of practice submitted in ``[start, end)``."""
    graded = PRACTICE_OBSERVATION.form.graded_sections
    counts = grades_by_section(
        (s.key for s in graded), section_grades(PRACTICE_OBSERVATION.key, start, end)
    )
    views = family_views(start, end)
    observations, reflected = observations_and_reflections(start, end)
    plural = "" if observations == 1 else "s"
    return ReportSection(
        key=PRACTICE_OBSERVATION.key,
        title="Observations of practice",
        summary=(
            f"{observations} observation{plural} of practice submitted in {month:%B %Y}; the "
            f"family gave their view of the visit in {views['yes']}, and the practitioner "
            f"has reflected on {reflected}."
        ),
        tables=(
            grade_table(
                f"Grades by section, {month:%B %Y}", ((s.key, s.title) for s in graded), counts
            ),
            ReportTable(
                title="The family's view of the visit",
                head=("Did the family give their view?", "Observations"),
                rows=tuple((label, views[value]) for value, label in VIEW_CHOICES),
            ),
            ReportTable(
                title="The practitioners' reflections",
                head=("Observations", "Count"),
                rows=(
                    ("Submitted", observations),
                    ("With the practitioner's reflection", reflected),
                ),
            ),
        ),
        data={
            "observations": observations,
            "family_views": views,
            "reflections": reflected,
            "grades_by_section": counts,
        },
    )
