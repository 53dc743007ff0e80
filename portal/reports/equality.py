"""Equality of access: the learning report's breakdown of grades, outcomes and family
participation by the child's age band, sex, ethnicity and disability.

The framework promises to take equality and diversity into account and to use the
results to promote equality of access. The figures cover the twelve months up to the
report's month (a month alone gives numbers too small to show). Small numbers are
withheld so that no child can be recognised (:func:`suppress`): a count from 1 to 4 shows
as "fewer than 5", and enough other cells are withheld that no withheld count can be
worked out from the totals and the counts shown; a measure's tables share their "All
audits" row, withheld alike (:func:`suppress_together`). The counts are made in SQL, two
statements whatever the number of audits; only the withheld tables are kept in the report
(and so in its snapshot and exports).

Each audit process says what its "outcome" and its "family participation" are with the
``outcome`` and ``family_participation`` attributes of its
:class:`~portal.audits.definition.AuditProcess` (an :class:`AnswerMeasure`): an answer of
its form that counts as a yes or a no.
"""

from __future__ import annotations

import heapq
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
#
# A table with its totals is a circulation: each row and each column (totals included) is
# a node, each cell an arc between its row and its column, and each line balances like
# the flow into and out of a node. A cell of the body runs from its row to its column, a
# total the other way (the grand total as the body does), so that every line's total
# balances the cells it adds up. Two tables that agree on everything shown differ by a
# circulation on the withheld cells, which splits into cycles, each of which could be
# added on its own without leaving any cell's range. So a withheld cell could hold
# another value if, and only if, it lies on a cycle of withheld cells along which 1 can
# be added: forwards through a cell that can be 1 more, backwards through one that can be
# 1 less. A cell's range is what a reader knows of it: 0 or more; and, from its words,
# 1 to 4 for "fewer than 5" (0 to 4 in a group withheld whole), 5 or more for "withheld"
# (zeros are never withheld to protect another cell).

Position = tuple[int, int]
Node = tuple[str, int]  # ("row", i) or ("column", j)


@dataclass
class _Withholding:
    """A table of counts being withheld: its counts and its withheld cells' words."""

    counts: list[list[int]]
    threshold: int
    hidden: dict[Position, str]

    def ends(self, cell: Position) -> tuple[Node, Node]:
        """The nodes the cell runs from and to (see above)."""
        (i, j), last = cell, (len(self.counts) - 1, len(self.counts[0]) - 1)
        row, column = ("row", i), ("column", j)
        return (row, column) if (i == last[0]) == (j == last[1]) else (column, row)

    def moves(self, node: Node):
        """The cells out of *node*: (cell, the node it leads to, whether it goes backwards)."""
        kind, index = node
        if kind == "row":
            line = [(index, j) for j in range(len(self.counts[0]))]
        else:
            line = [(i, index) for i in range(len(self.counts))]
        for cell in line:
            tail, head = self.ends(cell)
            yield (cell, head, False) if tail == node else (cell, tail, True)

    def room(self, cell: Position, words: bool) -> tuple[bool, bool]:
        """Whether the cell, withheld (as :data:`WITHHELD` unless it is), could be 1 more
        and 1 less: for any count of 0 or more, or, with *words*, in the range its words
        say."""
        i, j = cell
        value = self.counts[i][j]
        if not words:
            return True, value > 0
        if self.hidden.get(cell, WITHHELD) == WITHHELD:
            return True, value > self.threshold
        whole_row = i < len(self.counts) - 1 and 0 < self.counts[i][-1] < self.threshold
        low = 0 if whole_row and j < len(self.counts[0]) - 1 else 1
        return value < self.threshold - 1, value > low

    def path(
        self, skip: Position, start: Node, goal: Node, words: bool
    ) -> tuple[int, list[Position]] | None:
        """The cheapest way from *start* to *goal* not through *skip*: the sum of the
        shown counts it withholds, and their cells; None if there is none. Withheld cells
        cost nothing, a shown count costs its value, a shown zero is never taken."""
        heap: list[tuple[int, Node, tuple[Position, ...]]] = [(0, start, ())]
        done: set[Node] = set()
        while heap:
            cost, node, cells = heapq.heappop(heap)
            if node == goal:
                return cost, list(cells)
            if node in done:
                continue
            done.add(node)
            for cell, after, backwards in self.moves(node):
                value = self.counts[cell[0]][cell[1]]
                if cell == skip or after in done or not self.room(cell, words)[backwards]:
                    continue
                if cell in self.hidden:
                    heapq.heappush(heap, (cost, after, cells))
                elif value > 0:
                    heapq.heappush(heap, (cost + value, after, (*cells, cell)))
        return None

    def cover(self, cell: Position) -> list[Position]:
        """The shown cells to withhold (the cheapest; none if none is needed) for the
        withheld *cell* to lie on a cycle along which it could change within the range
        its words say, or, where no cells withheld could give that, within 0 or more."""
        tail, head = self.ends(cell)
        for words in (True, False):
            more, less = self.room(cell, words)
            found = [
                more and self.path(cell, head, tail, words),  # 1 more, back to its tail
                less and self.path(cell, tail, head, words),  # 1 less, on to its head
            ]
            paths = [path for path in found if path]
            if paths:
                return min(paths)[1]
        # withholding every count of the lines that are not 0 would always do
        raise RuntimeError(f"no way to protect the cell {cell}")


def _primary(table: list[list[int]], threshold: int) -> dict[Position, str]:
    """The cells the primary rule withholds: counts from 1 to ``threshold - 1``, and every
    cell of a row (not the totals' row) whose total is that small."""
    hidden: dict[Position, str] = {}
    for i, row in enumerate(table):
        hidden.update(((i, j), FEWER) for j, value in enumerate(row) if 0 < value < threshold)
        if i < len(table) - 1 and 0 < row[-1] < threshold:
            hidden.update(((i, j), FEWER) for j in range(len(row)))
    return hidden


def suppress(
    rows: Sequence[Sequence[int]],
    threshold: int = THRESHOLD,
    withhold: Iterable[Position] = (),
) -> list[list[Cell]]:
    """The table *rows* with its small numbers withheld.

    *rows* is a table of counts whose last column holds each row's total and whose last
    row holds each column's total. A count from 1 to ``threshold - 1`` shows as
    :data:`FEWER`; so does every cell of a row whose total is that small (the group is
    too small to show at all). The cells *withhold* (row, column) are withheld too,
    unless they are 0.

    Then enough other counts show as :data:`WITHHELD` that no withheld cell's value can
    be worked out from what is shown. For every withheld cell, a zero in a row or column
    whose total shows as 0 excepted (every count of that line is 0), there is another
    table of whole numbers, none below 0, agreeing with every count and total shown, in
    which that cell is 1 more or 1 less; and that table agrees with the words shown too
    (see :meth:`_Withholding.room`) unless no choice of withheld cells could give one.
    Each withheld cell in turn gets the further counts it needs that are the cheapest by
    their sum, so small counts go before large ones and before totals. Zeros are never
    withheld for it (they protect nothing), and otherwise show: they name no child.
    """
    table = [list(row) for row in rows]
    if not table:
        return []
    height, width = len(table), len(table[0])
    hidden = _primary(table, threshold)
    hidden.update((c, WITHHELD) for c in withhold if c not in hidden and table[c[0]][c[1]])
    withholding = _Withholding(table, threshold, hidden)
    waiting = sorted(hidden)
    while waiting:
        i, j = waiting.pop(0)
        if table[i][-1] and table[-1][j]:  # else a line of zeros: nothing to protect
            more = withholding.cover((i, j))
            hidden.update((cell, WITHHELD) for cell in more)
            waiting += more
    return [[hidden.get((i, j), table[i][j]) for j in range(width)] for i in range(height)]


def suppress_together(tables: Sequence[Sequence[Sequence[int]]]) -> list[list[list[Cell]]]:
    """*tables* (each as :func:`suppress` takes it) with their small numbers withheld,
    where the tables share their last row (one measure by each characteristic, with its
    "All audits" row): a cell of that row withheld in any of them is withheld in all of
    them, since one table showing a total that another withholds would give the other
    away. Each table is withheld again with the shared row's cells until none adds any."""
    shared: set[int] = set()
    while True:
        shown = [
            suppress(table, withhold=[(len(table) - 1, j) for j in shared]) for table in tables
        ]
        withheld = {
            j for rows in shown for j, cell in enumerate(rows[-1]) if cell in (FEWER, WITHHELD)
        }
        if withheld == shared:
            return shown
        shared = withheld


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
) -> tuple[list[str], list[list[int]]]:
    """The labels of the groups shown and the table of counts of one characteristic (at
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
    return labels, [*body, totals]


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
        if not counts:
            continue  # no audit counted: nothing to show
        results = results or _grade_results(counts)
        counted = [
            _table(counts, position, codes, results)
            for position, (_, _, codes) in enumerate(CHARACTERISTICS)
        ]
        withheld = suppress_together([table for _, table in counted])
        for (characteristic, title, _), (labels, _), rows in zip(
            CHARACTERISTICS, counted, withheld, strict=True
        ):
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
