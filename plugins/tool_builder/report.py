"""Each published tool's section of the monthly learning report, with the figures its
definition chose (``report_figures``): the overall grades, the share of audits with a
section graded for an action, and the sections most often graded for an action.

The sections of every tool come from three aggregate statements (and the one that reads
the published tools), however many tools and audits there are.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import and_, distinct, false, func, or_, select

from plugins.tool_builder import tools
from portal.plugin_api import (
    Audit,
    AuditAnswer,
    AuditProcess,
    ReportSection,
    ReportTable,
    db,
    grade_table,
    grades_by_section,
    submitted_between,
)

#: How many sections "most often graded for an action" lists.
LOW_SECTIONS_SHOWN = 3


def report_sections(month: date, start: datetime, end: datetime) -> list[ReportSection]:
    """One section for each published tool, for its audits submitted in ``[start, end)``
    (a retired tool's only in a month it has audits)."""
    published = tools.published_tools()
    processes = [tool.process for tool in published]
    if not processes:
        return []
    keys = [process.key for process in processes]
    in_range = and_(Audit.process_key.in_(keys), submitted_between(start, end))
    overall: dict[str, dict[str | None, int]] = defaultdict(dict)
    for key, grade, number in db.session.execute(
        select(Audit.process_key, Audit.record_grade, func.count(Audit.id))
        .where(in_range)
        .group_by(Audit.process_key, Audit.record_grade)
    ):
        overall[key][grade] = int(number)
    by_section: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    graded = and_(AuditAnswer.audit_id == Audit.id, AuditAnswer.field_key == "grade")
    for key, section, grade, number in db.session.execute(
        select(Audit.process_key, AuditAnswer.section_key, AuditAnswer.value, func.count())
        .join(AuditAnswer, graded)
        .where(in_range)
        .group_by(Audit.process_key, AuditAnswer.section_key, AuditAnswer.value)
    ):
        by_section[key][section][grade] = int(number)
    for_action = or_(
        false(),
        *(
            and_(Audit.process_key == process.key, AuditAnswer.value.in_(_action_grades(process)))
            for process in processes
        ),
    )
    needing = dict(
        db.session.execute(
            select(Audit.process_key, func.count(distinct(Audit.id)))
            .join(AuditAnswer, graded)
            .where(in_range, for_action)
            .group_by(Audit.process_key)
        ).all()
    )
    return [
        _section(tool, month, overall[tool.process.key], by_section[tool.process.key], needing)
        for tool in published
        if not tool.retired or overall[tool.process.key]
    ]


def _action_grades(process: AuditProcess) -> list[str]:
    """The keys of the process's grades that need an action."""
    return [grade.key for grade in process.grades if grade.needs_action]


def _section(
    tool: tools.PublishedTool,
    month: date,
    overall: dict[str | None, int],
    by_section: dict[str, dict[str, int]],
    needing: dict[str, int],
) -> ReportSection:
    """The report section of one tool, with the figures its definition chose."""
    process, figures = tool.process, tool.figures
    audits = sum(overall.values())
    with_action = int(needing.get(process.key, 0))
    share = round(with_action / audits, 4) if audits else 0.0
    graded = process.form.graded_sections
    counts = grades_by_section((s.key for s in graded), by_section, process.grades)
    summary = (
        f"{audits} {process.title} audit{'' if audits == 1 else 's'} submitted in {month:%B %Y}."
    )
    tables: list[ReportTable] = []
    data: dict[str, object] = {"audits": audits, "version": process.version}
    if "grade_distribution" in figures:
        distribution = {grade.key: overall.get(grade.key, 0) for grade in process.grades}
        tables.append(
            ReportTable(
                title=f"Overall grades, {month:%B %Y}",
                head=("Grade", "Audits"),
                rows=tuple((grade.label, distribution[grade.key]) for grade in process.grades),
            )
        )
        tables.append(
            grade_table(
                f"Grades by section, {month:%B %Y}",
                ((s.key, s.title) for s in graded),
                counts,
                process.grades,
            )
        )
        data["overall_grades"] = distribution
        data["grades_by_section"] = counts
    if "needing_action" in figures:
        summary += (
            f" {with_action} of them ({round(share * 100)}%) had a section graded for an action."
        )
        data["needing_action"] = with_action
        data["needing_action_share"] = share
    if "sections_graded_low" in figures:
        action_keys = _action_grades(process)
        low = sorted(
            (
                (sum(counts[s.key][k] for k in action_keys), s.title)
                for s in graded
                if any(counts[s.key][k] for k in action_keys)
            ),
            key=lambda pair: -pair[0],
        )[:LOW_SECTIONS_SHOWN]
        tables.append(
            ReportTable(
                title="Sections most often graded for an action",
                head=("Section", "Times graded for an action"),
                rows=tuple((title, number) for number, title in low),
            )
        )
        data["sections_graded_low"] = [{"section": t, "times": n} for n, t in low]
    return ReportSection(
        key=process.key, title=process.title, summary=summary, tables=tuple(tables), data=data
    )
