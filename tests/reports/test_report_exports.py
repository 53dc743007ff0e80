"""The report's exports (JSON, CSV, Excel, PDF), its charts, and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import Service
from portal.reports.charts import report_charts
from portal.reports.export import FORMATS, sheet_name, to_csv, to_json, to_pdf, to_xlsx
from portal.reports.monthly import JSON_KEYS, build_monthly_report, report_sections
from tests.reports.conftest import OCTOBER, TODAY, pdf_objects, pdf_pages

SVG = "{http://www.w3.org/2000/svg}"


def report_of(app) -> dict:
    with app.app_context():
        return build_monthly_report(OCTOBER, TODAY)


def test_the_json_has_every_key_and_the_plugins_data(app, october, enable_plugins):
    enable_plugins()
    document = json.loads(to_json(report_of(app)))
    assert list(document) == list(JSON_KEYS)
    assert {
        "month",
        "audits_completed",
        "grade_distribution",
        "actions",
        "outstanding_examples",
        "learning_themes",
        "sections",
        "trend",
    } <= set(document)
    assert document["month"] == "2026-10"
    assert document["audits_completed"]["Children's Social Care"] == 3
    assert document["grade_distribution"]["requires_improvement"] == 1
    assert set(document["actions"]) == {
        "created",
        "completed",
        "signed_off",
        "overdue",
        "weighted_progress",
    }
    assert 0 <= document["actions"]["weighted_progress"] <= 1
    assert document["learning_themes"]["supervision"] == 2
    assert set(document["sections"]) == {
        "csc_audit",
        "early_help",
        "fostering_oversight",
        "management_oversight",
        "mash",
        "practice_observation",
        "s47_audit",
        "supervision_quality",
        "thematic_review",
    }
    assert len(document["trend"]) == 12
    assert document["outstanding_examples"][0]["case_reference"] == "CS-1001"


def test_the_csv_holds_every_table_one_after_another(app, october):
    report = report_of(app)
    text = to_csv(report).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    sections = report_sections(report)
    tables = [(s.title, t) for s in sections for t in s.tables]
    assert sum(1 for line in lines if not line) == len(tables)  # one blank line after each
    blocks, block = [], []
    for line in lines:
        if line:
            block.append(line)
        else:
            blocks.append(block)
            block = []
    assert len(blocks) == len(tables)
    for (section_title, table), block in zip(tables, blocks, strict=True):
        assert all(line[:2] == [section_title, table.title] for line in block)
        assert block[0][2:] == list(table.head)
        assert len(block) == 1 + len(table.rows)
    assert [
        "Audits completed",
        "Audits completed in October 2026, by service",
        "Children's Social Care",
        "3",
    ] in lines
    assert ["Grades", "Grades each month", "October 2026", "1", "1", "1", "1", "4"] in lines


def test_the_excel_workbook_has_one_sheet_per_section(app, october, enable_plugins):
    enable_plugins()
    report = report_of(app)
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames == [
        "Audits completed",
        "Grades",
        "Actions",
        "Outstanding practice",
        "Learning themes",
        "Learning followed up",
        "Equality of access",
        "Re-audits of cases graded Inade",
        "Children's Social Care case fil",  # 31 characters at most
        "Early Help deep-dive audits",
        "Fostering management oversight",
        "Management oversight dip sample",  # 31 characters at most
        "MASH audits",
        "Observations of practice",
        "Section 47 enquiry audits",
        "Quality of supervision audits",
        "Thematic practice reviews",
    ]
    assert len(workbook.sheetnames) == len(report_sections(report))
    sheet = workbook["Audits completed"]
    assert sheet["A1"].value == "Monthly learning report: October 2026: Audits completed"
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert ("Children's Social Care", 3) in [row[:2] for row in rows]  # a number, not text
    mash = [tuple(c.value for c in row) for row in workbook["MASH audits"].iter_rows()]
    assert ("Police", 0, "No") in [row[:3] for row in mash]


def test_sheet_names_are_what_excel_accepts():
    taken: set[str] = set()
    assert sheet_name("Grades", taken) == "Grades"
    assert sheet_name("grades", taken) == "grades (2)"
    assert sheet_name("What: [this]? a/b\\c*", taken) == "What   this   a b c"
    long = sheet_name("A very long section title that goes on and on", taken)
    assert long == "A very long section title that "
    assert sheet_name("A very long section title that goes on and on", taken) == (
        "A very long section title t (2)"
    )
    assert all(len(name) <= 31 for name in taken)


def test_text_that_looks_like_a_formula_stays_text(app, build):
    build.audit(
        "CS-1001", datetime(2026, 10, 5), "outstanding", summary='=HYPERLINK("http://x","y")'
    )
    report = report_of(app)
    lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    assert any('\'=HYPERLINK("http://x","y")' in line for line in lines)
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))["Outstanding practice"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    formula = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"


def test_the_pdf_is_an_a4_document_of_several_pages(app, october, enable_plugins):
    enable_plugins()
    report = report_of(app)
    with app.test_request_context():
        document = to_pdf(report)
    assert document.startswith(b"%PDF")
    assert pdf_pages(document) >= 5
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 841\.\d+\]", pdf_objects(document))  # A4


def test_every_format_is_offered():
    assert list(FORMATS) == ["pdf", "csv", "xlsx", "json"]


# Charts ------------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_a_title_a_description_and_no_script(app, october):
    report = report_of(app)
    charts = report_charts(report)
    assert set(charts) == {"grades", "actions", "progress"}
    for name, chart in charts.items():
        root = ET.fromstring(str(chart))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert description is not None and description.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
        assert root.find(f".//{SVG}script") is None
        assert all("style" not in element.attrib for element in root.iter())
        assert f"chart-{name}" == root.get("id")
    grades = ET.fromstring(str(charts["grades"]))
    assert grades.find(f"{SVG}title").text == "Grades over time"
    assert (
        "October 2026: 4 audits (1 Outstanding, 1 Good, 1 Requires improvement, 1 Inadequate)"
        in (grades.find(f"{SVG}desc").text)
    )
    tooltips = [element.text for element in grades.iter(f"{SVG}title")]
    assert "Oct 2026, Requires improvement: 1" in tooltips
    progress = ET.fromstring(str(charts["progress"]))
    assert "33% of the actions created" in progress.find(f"{SVG}desc").text


def test_chart_text_is_escaped(app, world, build):
    with app.app_context():
        db.session.get(Service, world.services["EH"]).name = "Help & <Support>"
        db.session.commit()
    build.audit("EH-2001", datetime(2026, 10, 5), "good", process_key="early_help")
    report = report_of(app)
    assert report["audits_completed"]["Help & <Support>"] == 1
    for chart in report_charts(report).values():
        ET.fromstring(str(chart))  # still well-formed


# Command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["json", "csv", "xlsx", "pdf"])
def test_the_command_line_writes_each_format(app, october, runner, tmp_path, extension):
    output = tmp_path / f"report.{extension}"
    result = runner.invoke(
        args=[
            "report",
            "monthly",
            "--month",
            "2026-10",
            "--format",
            extension,
            "--output",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote the learning report for October 2026" in result.output
    content = output.read_bytes()
    if extension == "json":
        assert json.loads(content)["audits_completed"]["Early Help"] == 1
    elif extension == "csv":
        assert content.decode("utf-8-sig").startswith("Audits completed,")
    elif extension == "xlsx":
        assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Audits completed"
    else:
        assert content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("month", "message"),
    [("2026/10", "Enter the month as YYYY-MM"), ("2999-01", "is in the future")],
)
def test_the_command_line_refuses_a_bad_month(app, world, runner, tmp_path, month, message):
    output = tmp_path / "report.json"
    result = runner.invoke(
        args=["report", "monthly", "--month", month, "--format", "json", "--output", str(output)]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert not output.exists()


def test_the_command_line_refuses_an_unknown_format(app, world, runner, tmp_path):
    result = runner.invoke(
        args=["report", "monthly", "--format", "docx", "--output", str(tmp_path / "x")]
    )
    assert result.exit_code != 0
    assert "docx" in result.output
