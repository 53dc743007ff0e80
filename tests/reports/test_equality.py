"""Equality of access in the learning report: small numbers withheld (and what would give
them away), the counts by the child's characteristics, and every output carrying them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from fractions import Fraction
from itertools import product

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import portal.reports.export
from portal.extensions import db
from portal.models import Case
from portal.reports.equality import FEWER, WITHHELD, suppress, suppress_together
from portal.reports.export import to_csv, to_json, to_pdf, to_xlsx
from portal.reports.monthly import build_monthly_report, report_sections
from portal.testing.statements import counted
from tests.reports.conftest import OCTOBER, TODAY, pdf_objects

# Suppression ------------------------------------------------------------------------------


def test_a_cell_of_3_shows_fewer_than_5_and_its_complements_are_withheld():
    table = [
        [3, 10, 13],
        [7, 8, 15],
        [10, 18, 28],
    ]
    assert suppress(table) == [
        [FEWER, WITHHELD, 13],
        [WITHHELD, WITHHELD, 15],
        [10, 18, 28],
    ]


def test_a_table_without_small_numbers_is_shown_whole_zeros_included():
    table = [[0, 12, 12], [6, 0, 6], [6, 12, 18]]
    assert suppress(table) == table


def test_a_group_too_small_to_show_is_withheld_whole_and_the_totals_protect_it():
    table = [
        [0, 3, 0, 3],  # three children of one group, all graded alike
        [5, 9, 6, 20],
        [5, 12, 6, 23],
    ]
    shown = suppress(table)
    assert shown[0] == [FEWER, FEWER, FEWER, FEWER]
    # withholding the other group's 5 would not do: "withheld" is 5 or more, so the
    # column's total of 5 would still say the small group's first count is 0; the
    # totals go instead, and the other group shows
    assert shown[1] == [5, 9, 6, 20]
    assert shown[2] == [WITHHELD, WITHHELD, WITHHELD, WITHHELD]
    assert determined(table, shown) == [] and not pinned(table, shown)


counts = st.integers(min_value=0, max_value=12)


@given(st.lists(st.lists(counts, min_size=2, max_size=4), min_size=1, max_size=5))
def test_no_withheld_cell_is_alone_in_its_row_or_column(body):
    width = min(len(row) for row in body)
    rows = [[*row[:width], sum(row[:width])] for row in body]
    table = [*rows, [sum(column) for column in zip(*rows, strict=True)]]
    shown = suppress(table)
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if 0 < value < 5:
                assert shown[i][j] == FEWER
            elif shown[i][j] not in (FEWER, WITHHELD):
                assert shown[i][j] == value
    lines = [*zip(shown, table, strict=True)]
    lines += [*zip(zip(*shown, strict=True), zip(*table, strict=True), strict=True)]
    for line, values in lines:
        if values[-1]:  # a total of 0 gives nothing away: every cell is 0
            assert sum(cell in (FEWER, WITHHELD) for cell in line) != 1


def test_no_withheld_cell_of_the_audit_example_can_be_worked_out():
    # Yes / No / Not recorded by Outstanding, Good, Requires improvement, Inadequate
    table = [
        [2, 0, 12, 12, 26],
        [1, 1, 6, 0, 8],
        [12, 2, 6, 2, 22],
        [15, 3, 24, 14, 56],
    ]
    # what was published before: "No, Good" (1) followed from the totals
    before = [
        [FEWER, 0, WITHHELD, 12, 26],
        [FEWER, FEWER, WITHHELD, 0, 8],
        [12, FEWER, 6, FEWER, 22],
        [15, FEWER, 24, WITHHELD, 56],
    ]
    assert (1, 1) in determined(table, before)
    shown = suppress(table)
    assert determined(table, shown) == []
    assert not pinned(table, shown)  # nor with the words: two "fewer than 5" no longer make 2


def test_the_words_are_taken_into_account():
    # a 1 beside a 5 in a row of 6: "withheld" is 5 or more, so withholding the 5 alone
    # (with the rest of its rectangle) would leave the 1 worked out
    table = [[1, 5, 6], [5, 20, 25], [6, 25, 31]]
    shown = suppress(table)
    assert shown == [[FEWER, 5, WITHHELD], [5, 20, 25], [WITHHELD, 25, WITHHELD]]
    assert not pinned(table, shown)


def test_a_measures_tables_withhold_their_all_audits_row_alike():
    # one measure by two characteristics: the same audits, so the same last row
    by_sex = [[3, 10, 13], [7, 8, 15], [10, 18, 28]]
    by_age = [[10, 1, 11], [0, 17, 17], [10, 18, 28]]
    alone = suppress(by_age)
    assert alone[-1][:2] == [WITHHELD, WITHHELD]
    # tables withheld one by one: the sex table prints the totals the age table withholds,
    # and with them the age table's 1 is worked out
    assert suppress(by_sex)[-1] == [10, 18, 28]
    assert (0, 1) in determined(by_age, [*alone[:-1], suppress(by_sex)[-1]])

    shown = suppress_together([by_sex, by_age])
    assert shown[0][-1] == shown[1][-1] == [WITHHELD, WITHHELD, 28]
    for table, rows in zip([by_sex, by_age], shown, strict=True):
        assert determined(table, rows) == [] and not pinned(table, rows)


def table_of_counts(body: list[list[int]]) -> list[list[int]]:
    """*body* with each row's total and the totals' row."""
    width = min(len(row) for row in body)
    rows = [[*row[:width], sum(row[:width])] for row in body]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


small_or_not = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(small_or_not, min_size=2, max_size=5), min_size=1, max_size=6))
@example([[2, 0, 12, 12], [1, 1, 6, 0], [12, 2, 6, 2]])  # the audit's example
def test_no_withheld_count_is_fixed_by_the_totals_and_the_counts_shown(body):
    table = table_of_counts(body)
    shown = suppress(table)
    for row, counts in zip(shown, table, strict=True):
        for cell, value in zip(row, counts, strict=True):
            assert cell == value or cell in (FEWER, WITHHELD)
            assert cell == FEWER or not 0 < value < 5
    assert determined(table, shown) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(small_or_not, min_size=2, max_size=3), min_size=1, max_size=2))
def test_no_withheld_count_is_pinned_by_its_range_either(body):
    table = table_of_counts(body)
    shown = suppress(table)
    everything = [  # every count that could be withheld, withheld: the most anyone can do
        [WITHHELD if cell not in (FEWER, WITHHELD) and cell else cell for cell in row]
        for row in shown
    ]
    assert not pinned(table, shown, words=False)
    assert not set(pinned(table, shown)) - set(pinned(table, everything))


# Checks of our own (not the module's way): linear algebra, and trying the tables ----------


def _rank(matrix: list[list[int]]) -> int:
    """The rank of *matrix*, by Gaussian elimination in fractions."""
    rows = [[Fraction(value) for value in row] for row in matrix]
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r, row in enumerate(rows):
            if r != rank and row[column]:
                factor = row[column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(row, rows[rank], strict=True)]
        rank += 1
    return rank


def _withheld(shown: list[list]) -> list[tuple[int, int]]:
    """The withheld cells of *shown*, but for those of a line whose total shows as 0 (they
    are 0: no count is below 0)."""
    return [
        (i, j)
        for i, row in enumerate(shown)
        for j, cell in enumerate(row)
        if cell in (FEWER, WITHHELD) and shown[i][-1] != 0 and shown[-1][j] != 0
    ]


def determined(table: list[list[int]], shown: list[list]) -> list[tuple[int, int]]:
    """The withheld cells of *shown* whose value the equations of its totals fix: a cell is
    fixed when its unit vector lies in the row space of the equations' matrix over the
    withheld cells, that is when adding it as an equation leaves the rank as it was."""
    height, width = len(table), len(table[0])
    unknown = _withheld(shown)
    rows = [[(1 if c < width - 1 else -1) * (r == i) for r, c in unknown] for i in range(height)]
    columns = [[(1 if r < height - 1 else -1) * (c == j) for r, c in unknown] for j in range(width)]
    equations = rows + columns
    rank = _rank(equations)
    return [
        cell
        for k, cell in enumerate(unknown)
        if _rank([*equations, [int(m == k) for m in range(len(unknown))]]) == rank
    ]


def _agrees(value: int, cell, whole_row: bool, words: bool) -> bool:
    """Whether a count could be what a reader sees: the number shown, or, withheld, any
    count of 0 or more; with *words*, "fewer than 5" is 1 to 4 (0 to 4 in a group withheld
    whole) and "withheld" 5 or more."""
    if cell not in (FEWER, WITHHELD):
        return value == cell
    if not words:
        return value >= 0
    if cell == WITHHELD:
        return value >= 5
    return (0 if whole_row else 1) <= value <= 4


def pinned(table: list[list[int]], shown: list[list], words: bool = True) -> list:
    """The withheld cells of *shown* that no table agreeing with what it shows puts at
    another value, trying every body within 1 of the true counts (a withheld cell that
    could differ can differ by 1 along a cycle of withheld cells)."""
    height, width = len(table), len(table[0])
    free = [
        (i, j) for i in range(height - 1) for j in range(width - 1) if shown[i][j] != table[i][j]
    ]
    unknown = _withheld(shown)
    differ: set[tuple[int, int]] = set()
    for values in product(*(range(max(0, table[i][j] - 1), table[i][j] + 2) for i, j in free)):
        body = [row[:-1] for row in table[:-1]]
        for (i, j), value in zip(free, values, strict=True):
            body[i][j] = value
        other = table_of_counts(body)
        if all(
            _agrees(
                other[i][j],
                shown[i][j],
                i < height - 1 and j < width - 1 and shown[i][-1] == FEWER,
                words,
            )
            for i in range(height)
            for j in range(width)
        ):
            differ.update(
                cell for cell in unknown if other[cell[0]][cell[1]] != table[cell[0]][cell[1]]
            )
    return [cell for cell in unknown if cell not in differ]


# The counts --------------------------------------------------------------------------------


def children(app, world, details):
    """Give the world's cases (by reference) the child's characteristics."""
    with app.app_context():
        for reference, values in details.items():
            case = db.session.get(Case, world.cases[reference])
            for name, value in values.items():
                setattr(case, name, value)
        db.session.commit()


def table_of(report, title):
    [table] = [t for t in report["equality"]["tables"] if t["title"] == title]
    return table


def test_grades_and_outcomes_by_sex_with_small_numbers_withheld(app, world, build):
    children(
        app,
        world,
        {
            "CS-1001": {"sex": "M", "ethnicity": "WBRI", "disability": "NO"},
            "CS-1002": {"sex": "F", "ethnicity": "WBRI", "disability": "NO"},
        },
    )
    impact = {("impact", "grade"): "good"}
    for day in range(1, 9):
        build.audit("CS-1001", datetime(2026, 10, day, 9), "good", answers=impact)
    for day in range(1, 4):
        build.audit("CS-1002", datetime(2026, 10, day, 9), "good", answers=impact)
    for day in range(10, 16):
        build.audit("CS-1001", datetime(2026, 10, day, 9), "requires_improvement")

    with app.app_context():
        report = build_monthly_report(OCTOBER, TODAY)

    by_sex = table_of(report, "Grades by sex")
    assert by_sex["head"] == [
        "Sex",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Audits",
    ]
    assert by_sex["rows"] == [
        # two groups: the other one's counts would give the small one away
        ["Male", 0, WITHHELD, WITHHELD, 0, WITHHELD],
        ["Female", FEWER, FEWER, FEWER, FEWER, FEWER],
        ["All audits", 0, 11, 6, 0, 17],
    ]
    outcome = table_of(report, "Outcomes by ethnicity")
    assert outcome["head"] == ["Ethnicity", "Positive outcome", "Other outcome", "Audits"]
    assert outcome["rows"] == [["White British", 11, 0, 11], ["All audits", 11, 0, 11]]
    for measure in ("grades", "outcome"):  # one "All audits" row, withheld alike
        tables = [t for t in report["equality"]["tables"] if t["measure"] == measure]
        assert len(tables) == 4 and len({json.dumps(t["rows"][-1]) for t in tables}) == 1
    assert report["equality"]["from"] == "2025-11" and report["equality"]["to"] == "2026-10"
    # no child's characteristic recorded for EH-2001 and none of its audits: no row for it
    assert [row[0] for row in table_of(report, "Grades by age band")["rows"]] == [
        "Not recorded",
        "All audits",
    ]


def test_the_counts_take_the_same_statements_however_many_audits(app, world, build):
    children(app, world, {"CS-1001": {"sex": "M", "age_band": "5-9"}})
    build.audit("CS-1001", datetime(2026, 10, 2), "good", answers={("impact", "grade"): "good"})
    with app.app_context(), counted(app) as few:
        build_monthly_report(OCTOBER, TODAY)
    for day in range(3, 25):
        build.audit("CS-1002", datetime(2026, 10, day), "good", answers={("impact", "grade"): "x"})
    with app.app_context(), counted(app) as many:
        build_monthly_report(OCTOBER, TODAY)
    assert len(many) == len(few)


# Every output --------------------------------------------------------------------------------


def test_every_output_carries_the_section(
    app, world, build, october, enable_plugins, login_as, monkeypatch
):
    enable_plugins()
    printed = []  # the HTML the PDF is made from (its text is not searchable in the PDF)
    real = portal.reports.export.html_to_pdf
    monkeypatch.setattr(
        portal.reports.export, "html_to_pdf", lambda html: printed.append(html) or real(html)
    )
    children(app, world, {"CS-1001": {"sex": "F", "ethnicity": "BAFR"}})
    with app.test_request_context():
        report = build_monthly_report(OCTOBER, TODAY)
        titles = [section.title for section in report_sections(report)]
        assert titles[4:7] == ["Learning themes", "Learning followed up", "Equality of access"]

        document = json.loads(to_json(report))
        assert table_of(document, "Grades by ethnicity")["rows"][0] == [
            "Black African",
            FEWER,
            FEWER,
            FEWER,
            FEWER,
            FEWER,
        ]
        lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
        assert ["Equality of access", "Grades by ethnicity", "Black African", FEWER] in [
            line[:4] for line in lines
        ]
        workbook = load_workbook(io.BytesIO(to_xlsx(report)))
        assert "Equality of access" in workbook.sheetnames
        cells = [c.value for row in workbook["Equality of access"].iter_rows() for c in row]
        assert "Grades by ethnicity" in cells and FEWER in cells
        pdf = pdf_objects(to_pdf(report))
        assert b"/Title (Equality of access)" in pdf  # the PDF's outline: one per heading
        [html] = printed
        [section] = re.findall(r'id="section-equality-of-access">.*?</section>', html, re.S)
        assert "Black African" in section and FEWER in section and WITHHELD in section
        assert "Grades by ethnicity" in section

    client = login_as("qa_lead")
    page = client.get("/reports/monthly?month=2026-10").get_data(as_text=True)
    assert ">Equality of access</h2>" in page and FEWER in page
