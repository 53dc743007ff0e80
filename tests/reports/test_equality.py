"""Equality of access in the learning report: small numbers withheld (and what would give
them away), the counts by the child's characteristics, and every output carrying them."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import Case
from portal.reports.equality import FEWER, WITHHELD, suppress
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
    # the column of the 3 would give it away from its total: another count goes with it
    assert shown[1][1] == WITHHELD
    # and so does that row's total, rather than a zero nobody needs to hide
    assert shown[1][3] == WITHHELD
    assert shown[2] == [5, 12, 6, 23]


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


def test_every_output_carries_the_section(app, world, build, october, enable_plugins, login_as):
    enable_plugins()
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

    client = login_as("qa_lead")
    page = client.get("/reports/monthly?month=2026-10").get_data(as_text=True)
    assert ">Equality of access</h2>" in page and FEWER in page
