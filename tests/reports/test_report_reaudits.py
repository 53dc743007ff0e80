"""The report's section "Re-audits of cases graded Inadequate": before and after, for the
re-audits submitted in the month, alike in the page and every export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.reports.export import to_csv, to_json, to_xlsx
from portal.reports.monthly import build_monthly_report, report_sections
from tests.api.conftest import bearer, issue  # noqa: F401 (issue: a fixture)
from tests.reports.conftest import OCTOBER, TODAY

TITLE = "Re-audits of cases graded Inadequate"
CSC = "Children's Social Care case file audit"
ROWS = [[CSC, "Inadequate", "Good", 1], [CSC, "Inadequate", "Inadequate", 1]]


@pytest.fixture
def reaudited(build):
    """CS-1001: graded Inadequate in March, re-audited in October (Good). CS-1002: graded
    Good, then Inadequate in October (no re-audit), then Inadequate again later in October
    (a re-audit); EH-2001: an Inadequate of another process before an audit of this one
    (no re-audit)."""
    build.audit("CS-1001", datetime(2026, 3, 10, 11), "inadequate")
    build.audit("CS-1001", datetime(2026, 10, 5, 11), "good")
    build.audit("CS-1002", datetime(2026, 4, 1, 11), "good")
    build.audit("CS-1002", datetime(2026, 10, 6, 11), "inadequate")
    build.audit("CS-1002", datetime(2026, 10, 20, 11), "inadequate")
    build.audit("EH-2001", datetime(2026, 5, 1, 11), "inadequate", process_key="early_help")
    build.audit("EH-2001", datetime(2026, 10, 7, 11), "requires_improvement")


def report_of(app, month=OCTOBER):
    with app.app_context():
        return build_monthly_report(month, TODAY)


def section_of(report):
    return next(section for section in report_sections(report) if section.key == "reaudits")


def test_the_json_counts_the_reaudits_by_tool_and_judgement(app, reaudited):
    report = report_of(app)
    assert report["reaudits"] == [
        {
            "process_key": "csc_audit",
            "process_title": CSC,
            "previous_grade": "inadequate",
            "grade": grade,
            "audits": 1,
        }
        for grade in ("good", "inadequate")
    ]
    assert json.loads(to_json(report))["reaudits"] == report["reaudits"]


def test_the_section_says_how_many_were_graded_better(app, reaudited):
    section = section_of(report_of(app))
    assert section.title == TITLE
    assert section.summary == (
        "2 audits completed in October 2026 re-audited a case whose previous audit was "
        "graded Inadequate; 1 of them was graded better this time."
    )
    (table,) = section.tables
    assert table.head == ("Audit", "Previous judgement", "New judgement", "Audits")
    assert [list(row) for row in table.rows] == ROWS


def test_a_report_stored_with_each_reaudit_listed_shows_them_counted(app, reaudited):
    report = report_of(app)
    listed = {"process_key": "csc_audit", "process_title": CSC, "previous_grade": "inadequate"}
    report["reaudits"] = [  # as reports stored before 5 December 2026 hold them
        {**listed, "grade": "requires_improvement", "submitted_on": "2026-10-05"},
        {**listed, "grade": "outstanding", "submitted_on": "2026-10-09"},
        {**listed, "grade": "requires_improvement", "submitted_on": "2026-10-12"},
    ]
    section = section_of(report)
    assert section.summary.startswith("3 audits completed in October 2026")
    assert section.summary.endswith("3 of them were graded better this time.")
    assert [list(row) for row in section.tables[0].rows] == [
        [CSC, "Inadequate", "Outstanding", 1],
        [CSC, "Inadequate", "Requires improvement", 2],
    ]


def test_a_month_without_reaudits_says_so(app, reaudited):
    section = section_of(report_of(app, OCTOBER.replace(month=9)))
    assert (
        section.summary
        == "No audit completed in September 2026 re-audited a case graded Inadequate."
    )
    assert section.tables[0].rows == ()


def test_the_csv_and_the_workbook_carry_the_section(app, reaudited):
    report = report_of(app)
    lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    rows = [line[:1] + line[-4:] for line in lines if line]
    assert [TITLE, *map(str, ROWS[0])] in rows and [TITLE, *map(str, ROWS[1])] in rows
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    sheet = workbook["Re-audits of cases graded Inade"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ROWS[0] in values and ROWS[1] in values


def test_the_page_shows_the_section(reaudited, login_as):
    html = login_as("qa_lead").get("/reports/monthly?month=2026-10").get_data(as_text=True)
    assert f">{TITLE}</h2>" in html
    assert "2 audits completed in October 2026 re-audited a case" in html


def test_the_api_carries_the_reaudits(client, reaudited, issue):  # noqa: F811
    response = client.get("/api/v1/reports/monthly?month=2026-10", headers=bearer(issue("qa_lead")))
    assert response.status_code == 200
    assert [(item["grade"], item["audits"]) for item in response.json["reaudits"]] == [
        ("good", 1),
        ("inadequate", 1),
    ]
