"""Equality of access: the learning report's breakdown of grades, outcomes and family
participation by the child's age band, sex, ethnicity and disability.

The framework promises to take equality and diversity into account and to use the
results to promote equality of access. The figures cover the twelve months up to the
report's month (a month alone gives numbers too small to show). Small numbers are
withheld so that no child can be recognised (:func:`suppress`): a count from 1 to 4 shows
as "fewer than 5", and enough other cells are withheld that it cannot be worked out from
the totals. The counts are made in SQL, two statements whatever the number of audits;
only the withheld tables are kept in the report (and so in its snapshot and exports).

Each audit process says what its "outcome" and its "family participation" are with the
``outcome`` and ``family_participation`` attributes of its
:class:`~portal.audits.definition.AuditProcess` (an :class:`AnswerMeasure`): an answer of
its form that counts as a yes or a no.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select

from portal.audits.definition import OFSTED_GRADES, AnswerMeasure, AuditProcess
from portal.extensions import db
from portal.models import Audit, AuditAnswer, Case
from portal.models.characteristics import AGE_BANDS, DISABILITIES, ETHNICITIES, SEXES
from portal.reports.queries import submitted_between
from portal.reports.sections import Cell, ReportSection, ReportTable

#: Counts below this (and above 0) are withheld.
THRESHOLD = 5
#: What a withheld small number shows, and what a cell withheld to protect it shows.
FEWER = f"fewer than {THRESHOLD}"
WITHHELD = "withheld"
#: The characteristics, in the order the section shows them: column, title, codes.
CHARACTERISTICS = (
    ("age_band", "Age band", AGE_BANDS),
    ("sex", "Sex", SEXES),
    ("ethnicity", "Ethnicity", ETHNICITIES),
    ("disability", "Disability", DISABILITIES),
)
NOT_RECORDED = "Not recorded"
NOT_GRADED = "not_graded"
#: The measures a process may name, with the table's words for a yes and a no.
MEASURES = {
    "outcome": ("Outcomes", "Positive outcome", "Other outcome"),
    "participation": ("Family participation", "Family took part", "Did not take part"),
}


# Suppression ---------------------------------------------------------------------------


def suppress(rows: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> list[list[Cell]]:
    """The table *rows* with its small numbers withheld.

    *rows* is a table of counts whose last column holds each row's total and whose last
    row holds each column's total. A count from 1 to ``threshold - 1`` shows as
    :data:`FEWER`; so does every cell of a row whose total is that small (the group is
    too small to show at all). Then, while a row or a column (with its total) has
    exactly one withheld cell, which its total would give away, another of its cells is
    withheld too, as :data:`WITHHELD`: its smallest non-zero count, else its total, else
    a zero (a line whose total is 0 needs nothing more: its cells are all 0). Zeros are
    shown: they name no child.
    """
    table = [list(row) for row in rows]
    if not table:
        return []
    height, width = len(table), len(table[0])
    hidden: dict[tuple[int, int], str] = {}
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                hidden[i, j] = FEWER
        if i < height - 1 and 0 < row[-1] < threshold:
            hidden.update(((i, j), FEWER) for j in range(width))
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            total = table[line[-1][0]][line[-1][1]]
            if total == 0 or sum(cell in hidden for cell in line) != 1:
                continue  # a total of 0 says every cell is 0 anyway
            shown = [cell for cell in line if cell not in hidden]
            if not shown:
                continue

            def rank(cell: tuple[int, int], total: tuple[int, int] = line[-1]) -> tuple:
                value = table[cell[0]][cell[1]]
                # a withheld zero protects nothing when the zeros around it show
                return (2 if value == 0 else 1 if cell == total else 0, value)

            hidden[min(shown, key=rank)] = WITHHELD
            changed = True
    return [
        [hidden.get((i, j), value) for j, value in enumerate(row)] for i, row in enumerate(table)
    ]


# Counting ------------------------------------------------------------------------------

_GROUPS = (Case.age_band, Case.sex, Case.ethnicity, Case.disability)


@dataclass(frozen=True)
class _Count:
    """How many audits of children with these characteristics had this result."""

    groups: tuple[str | None, ...]  # age band, sex, ethnicity, disability
    result: str
    count: int


def _grade_counts(start: datetime, end: datetime) -> list[_Count]:
    """Audits submitted in ``[start, end)`` by the child's characteristics and grade."""
    rows = db.session.execute(
        select(*_GROUPS, Audit.record_grade, func.count(Audit.id))
        .join(Case, Audit.case_id == Case.id)
        .where(submitted_between(start, end))
        .group_by(*_GROUPS, Audit.record_grade)
    )
    return [_Count(tuple(row[:4]), row[4] or NOT_GRADED, row[5]) for row in rows]


def _measure_counts(
    processes: Iterable[AuditProcess], start: datetime, end: datetime
) -> dict[str, list[_Count]]:
    """The answers the processes name as their outcome and family participation, counted
    as yes or no by the child's characteristics: one statement for both measures."""
    named: list[tuple[str, AuditProcess, AnswerMeasure]] = [
        (measure, process, answer)
        for process in processes
        for measure, answer in (
            ("outcome", process.outcome),
            ("participation", process.family_participation),
        )
        if answer is not None
    ]
    if not named:
        return {}

    def answers(process: AuditProcess, answer: AnswerMeasure):
        return and_(
            Audit.process_key == process.key,
            AuditAnswer.section_key == answer.section_key,
            AuditAnswer.field_key == answer.field_key,
        )

    outcome = or_(*(answers(p, a) for m, p, a in named if m == "outcome"), false())
    yes = or_(*(and_(answers(p, a), AuditAnswer.value.in_(a.yes_values)) for _, p, a in named))
    rows = (
        select(
            *_GROUPS,
            case((outcome, "outcome"), else_="participation").label("measure"),
            case((yes, "yes"), else_="no").label("result"),
        )
        .join(Case, Audit.case_id == Case.id)
        .join(AuditAnswer, AuditAnswer.audit_id == Audit.id)
        .where(submitted_between(start, end), AuditAnswer.value != "")
        .where(or_(*(answers(p, a) for _, p, a in named)))
        .subquery()
    )
    columns = (rows.c.age_band, rows.c.sex, rows.c.ethnicity, rows.c.disability)
    counts: dict[str, list[_Count]] = defaultdict(list)
    for *groups, measure, result, count in db.session.execute(
        select(*columns, rows.c.measure, rows.c.result, func.count()).group_by(
            *columns, rows.c.measure, rows.c.result
        )
    ):
        counts[measure].append(_Count(tuple(groups), result, count))
    return counts


# The tables ------------------------------------------------------------------------------


def _table(
    counts: list[_Count],
    position: int,
    codes: dict[str, str],
    results: Sequence[tuple[str, str]],
) -> tuple[list[str], list[list[Cell]]]:
    """The labels of the groups shown and the withheld table of one characteristic (at
    *position* of a count's groups) by *results* (key, heading), totals last."""
    by_group: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for count in counts:
        by_group[count.groups[position]][count.result] += count.count
    order = [code for code in codes if code in by_group]
    order += [code for code in by_group if code is not None and code not in codes]
    if None in by_group:
        order.append(None)
    labels = [NOT_RECORDED if code is None else codes.get(code, code) for code in order]
    body = []
    for code in order:
        cells = [by_group[code][key] for key, _ in results]
        body.append([*cells, sum(cells)])
    totals = [sum(row[j] for row in body) for j in range(len(results) + 1)]
    return labels, suppress([*body, totals]) if body else []


def _grade_results(counts: list[_Count]) -> list[tuple[str, str]]:
    results = [(grade.key, grade.label) for grade in OFSTED_GRADES]
    known = {key for key, _ in results}
    extra = sorted({count.result for count in counts} - known)
    return results + [(key, "Not graded" if key == NOT_GRADED else key) for key in extra]


def build_equality(
    processes: Iterable[AuditProcess], month: str, first: str, start: datetime, end: datetime
) -> dict[str, Any]:
    """The report's ``equality`` part: for the audits submitted in ``[start, end)`` (the
    months *first* to *month*, ``YYYY-MM``), one withheld table of each measure by each
    characteristic, JSON-ready."""
    measures = _measure_counts(processes, start, end)
    sources = [("grades", "Grades", _grade_counts(start, end), None)]
    for key, (title, yes, no) in MEASURES.items():
        if key in measures:
            sources.append((key, title, measures[key], [("yes", yes), ("no", no)]))
    tables = []
    for measure, measure_title, counts, results in sources:
        results = results or _grade_results(counts)
        for position, (characteristic, title, codes) in enumerate(CHARACTERISTICS):
            labels, rows = _table(counts, position, codes, results)
            if not rows:
                continue  # no audit counted: nothing to show
            tables.append(
                {
                    "measure": measure,
                    "characteristic": characteristic,
                    "title": f"{measure_title} by {title.lower()}",
                    "head": [title, *(heading for _, heading in results), "Audits"],
                    "rows": [
                        [label, *row]
                        for label, row in zip([*labels, "All audits"], rows, strict=True)
                    ],
                }
            )
    return {"from": first, "to": month, "threshold": THRESHOLD, "tables": tables}


def equality_section(equality: dict[str, Any], period: str) -> ReportSection:
    """The report's equality section, from its ``equality`` part; *period* names the
    months it covers ("the 12 months to October 2026")."""
    withheld = any(
        cell in (FEWER, WITHHELD)
        for table in equality["tables"]
        for row in table["rows"]
        for cell in row[1:]
    )
    if not equality["tables"]:
        return ReportSection(
            key="equality-of-access",
            title="Equality of access",
            summary=f"No audit was completed in {period}.",
        )
    summary = (
        f"Grades, outcomes and family participation of the audits completed in {period}, by "
        "the child's age band, sex, ethnicity and disability."
    )
    if withheld:
        summary += (
            f" Numbers from 1 to {THRESHOLD - 1} show as “{FEWER}”, and cells that would "
            f"give them away as “{WITHHELD}”, so that no child can be recognised."
        )
    return ReportSection(
        key="equality-of-access",
        title="Equality of access",
        summary=summary,
        tables=tuple(
            ReportTable(
                title=table["title"],
                head=tuple(table["head"]),
                rows=tuple(tuple(row) for row in table["rows"]),
            )
            for table in equality["tables"]
        ),
    )
