"""What a section of a learning report is, and the sections the enabled plugins add.

A section is plain data: a title, a one-sentence summary, tables (shown on the page and
exported to PDF, CSV and Excel) and a JSON-ready dict (exported under ``sections[key]``
in the JSON). Plugins return one through the ``portal_report_section`` hook; the core's
own sections are built the same way, so every export treats them alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from flask import current_app

from portal.audits.definition import OFSTED_GRADES, Grade
from portal.extensions import db
from portal.hooktypes import Cell, ReportSection, ReportTable
from portal.plugins import plugin_host

# The section types live with the hooks (portal.hooktypes); they are re-exported here.
__all__ = [
    "Cell",
    "ReportSection",
    "ReportTable",
    "grade_table",
    "grades_by_section",
    "plugin_sections",
    "problems_with_section",
]

HOOK = "portal_report_section"


def problems_with_section(section: object, key: str) -> list[str]:
    """Everything wrong with a section plugin *key* returned from the hook; empty when sound.

    The section's key is the plugin's key, or (one section of several, one per audit
    process defined at run time, say) the plugin's key, a dot and a name.
    """
    if not isinstance(section, ReportSection):
        return [f"returned {type(section).__name__}, not ReportSection"]
    problems = []
    if not isinstance(section.key, str) or (
        section.key != key and not (section.key.startswith(key + ".") and section.key != key + ".")
    ):
        problems.append(f"the section's key is {section.key!r}")
    for name in ("title", "summary"):
        if not isinstance(getattr(section, name), str) or not getattr(section, name).strip():
            problems.append(f"the section has no {name}")
    if not isinstance(section.tables, tuple):
        problems.append("tables must be a tuple of ReportTable")
    else:
        for table in section.tables:
            problems.extend(_table_problems(table))
    if not isinstance(section.data, dict):
        problems.append("data must be a dict")
    else:
        try:
            json.dumps(section.data)
        except (TypeError, ValueError) as error:
            problems.append(f"data cannot be written as JSON: {error}")
    return problems


def _table_problems(table: object) -> list[str]:
    if not isinstance(table, ReportTable):
        return [f"a table is {type(table).__name__}, not ReportTable"]
    if not isinstance(table.head, tuple) or not all(isinstance(h, str) for h in table.head):
        return [f"table {table.title!r}: the head must be a tuple of strings"]
    if not isinstance(table.rows, tuple):
        return [f"table {table.title!r}: the rows must be a tuple of tuples"]
    for row in table.rows:
        if not isinstance(row, tuple) or len(row) != len(table.head):
            return [f"table {table.title!r}: every row must be a tuple as long as the head"]
        if not all(cell is None or isinstance(cell, str | int | float) for cell in row):
            return [f"table {table.title!r}: a cell is neither text nor a number"]
    return []


def plugin_sections(month: date, start: datetime, end: datetime) -> list[ReportSection]:
    """The sections the enabled plugins add to the report of *month*, in key order."""
    return sections_from(HOOK, month=month, start=start, end=end)


def sections_from(hook: str, **arguments: Any) -> list[ReportSection]:
    """What the enabled plugins return from the section hook *hook* (called with
    *arguments*), in plugin key order: a plugin may return one section or a list of them
    (one per audit process it defines at run time, say), kept in the plugin's order.

    Each plugin is called on its own, so that one plugin's failure or malformed result
    leaves out its sections only (a malformed section of a list, or one whose key another
    section has, leaves out that section): the problem is logged with the plugin's key,
    and the report goes on without it.
    """
    sections: list[ReportSection] = []
    for key, call in plugin_host().implementations(hook):
        try:
            result = call(**arguments)
        except Exception:
            db.session.rollback()  # a failed query must not poison the next plugin's
            current_app.logger.exception(
                "plugin %r: %s failed; its report section is left out", key, hook
            )
            continue
        for section in result if isinstance(result, list) else [] if result is None else [result]:
            problems = problems_with_section(section, key)
            if not problems and any(kept.key == section.key for kept in sections):
                problems = [f"two sections have the key {section.key!r}"]
            if problems:
                current_app.logger.error(
                    "plugin %r: %s %s; its report section is left out",
                    key,
                    hook,
                    "; ".join(problems),
                )
                continue
            sections.append(section)
    return sections


def grade_table(
    title: str,
    sections: Iterable[tuple[str, str]],
    counts: Mapping[str, Mapping[str, int]],
    grades: tuple[Grade, ...] = OFSTED_GRADES,
) -> ReportTable:
    """A table of how often each grade was given to each section.

    *sections* are ``(key, title)`` pairs in the order to show them; *counts* is
    ``{section key: {grade key: count}}`` as :func:`portal.reports.queries.section_grades`
    returns it.
    """
    rows = []
    for key, section_title in sections:
        given = counts.get(key, {})
        cells = [given.get(grade.key, 0) for grade in grades]
        rows.append((section_title, *cells, sum(cells)))
    return ReportTable(
        title=title,
        head=("Section", *(grade.label for grade in grades), "Graded"),
        rows=tuple(rows),
    )


def grades_by_section(
    section_keys: Iterable[str],
    counts: Mapping[str, Mapping[str, int]],
    grades: tuple[Grade, ...] = OFSTED_GRADES,
) -> dict[str, dict[str, int]]:
    """``{section key: {grade key: count}}`` with every section and grade, zeros included."""
    return {
        key: {grade.key: counts.get(key, {}).get(grade.key, 0) for grade in grades}
        for key in section_keys
    }
