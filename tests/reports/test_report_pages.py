"""The report page and its downloads: who may see them, what they show, bad months."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry
from portal.reports.monthly import add_months
from tests.reports.conftest import pdf_pages

URL = "/reports/monthly?month=2026-10"
NAV_ITEM = re.compile(r'href="/reports/monthly">\s*Reports\s*</a>')
REPORT_READERS = ["qa_lead", "qa_admin", "sgu", "hos", "mash_hos", "sm", "ad"]


class Tables(HTMLParser):
    """Every table of a page: its caption and its rows of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self.tables[self._caption.strip()] = self._rows

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def test_the_page_shows_each_section_with_charts_and_the_same_numbers_in_tables(
    app, october, login_as, enable_plugins
):
    enable_plugins()
    page = login_as("qa_lead").get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Monthly learning report: October 2026</h1>' in html
    for heading in (
        "Audits completed",
        "Grades",
        "Actions",
        "Outstanding practice",
        "Learning themes",
        "Re-audits of cases graded Inadequate",
        "Children&#39;s Social Care case file audits",
        "Early Help deep-dive audits",
        "MASH audits",
    ):
        assert f">{heading}</h2>" in html
    # the charts: accessible SVG with a title
    for chart, title in (
        ("chart-grades", "Grades over time"),
        ("chart-actions", "Action progress each month"),
        ("chart-progress", "Actions signed off, weighted by priority"),
    ):
        assert re.search(rf'<svg [^>]*role="img"[^>]*id="{chart}"', html)
        assert f'<title id="{chart}-title">{title}</title>' in html
    # ... and beside each, a table with the same numbers
    tables = Tables(html).tables
    grades = tables["Grades each month"]
    assert grades[0] == [
        "Month",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Total",
    ]
    assert ["October 2026", "1", "1", "1", "1", "4"] in grades
    assert ["November 2025", "0", "0", "0", "1", "1"] in grades
    assert len(grades) == 1 + 12
    actions = tables["Actions each month"]
    assert ["October 2026", "2", "3", "1"] in actions
    assert ["September 2026", "2", "0", "0"] in actions
    summary = tables["Actions in October 2026"]
    assert ["Overdue on 31 October 2026", "1", "1"] in summary
    assert ["Signed off, weighted by priority (%)", "33.3", "33.3"] in summary
    by_service = tables["Audits completed in October 2026, by service"]
    assert ["Children's Social Care", "3"] in by_service
    assert ["Early Help", "1"] in by_service
    themes = tables["Audits linked to each learning area"]
    assert ["Supervision", "2", "2"] in themes
    assert ["Training", "1", "2"] in themes
    assert ["Safeguarding board priorities", "1", "1"] in themes


def test_the_page_links_each_outstanding_example_to_its_audit(app, october, login_as):
    html = login_as("qa_lead").get(URL).get_data(as_text=True)
    assert f'href="/audits/{october["outstanding"]}">Case CS-1001: Children&#39;s Social Care' in (
        html
    )
    assert "Exemplary direct work: the child&#39;s voice shapes every plan." in html


def test_a_disabled_plugin_has_no_section_on_the_page(app, october, login_as, enable_plugins):
    enable_plugins("mash")
    html = login_as("qa_lead").get(URL).get_data(as_text=True)
    assert ">MASH audits</h2>" in html
    assert "case file audits</h2>" not in html
    assert "Early Help deep-dive audits" not in html


def test_the_page_offers_every_download(app, october, login_as):
    html = login_as("qa_lead").get(URL).get_data(as_text=True)
    for extension in ("pdf", "csv", "xlsx", "json"):
        assert f'href="/reports/monthly.{extension}?month=2026-10"' in html


def test_the_default_month_is_the_last_complete_one(app, world, login_as):
    last = add_months(date.today(), -1)
    html = login_as("qa_lead").get("/reports/monthly").get_data(as_text=True)
    assert f"Monthly learning report: {last:%B %Y}" in html


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "Enter the month as YYYY-MM"),
        ("last month", "Enter the month as YYYY-MM"),
        ("2999-01", "January 2999 is in the future"),
    ],
)
def test_a_bad_month_is_explained_on_the_page(app, world, login_as, month, message):
    client = login_as("qa_lead")
    for url in ("/reports/monthly", "/reports/monthly.json"):
        response = client.get(url, query_string={"month": month})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html
        assert "There is a problem" in html
        assert message in html
        assert 'href="#month"' in html
        assert "<title>Error: " in html


@pytest.mark.parametrize("who", REPORT_READERS)
def test_the_qa_team_and_senior_managers_may_read_the_report(app, world, login_as, who):
    client = login_as(who)
    assert client.get(URL).status_code == 200
    assert NAV_ITEM.search(client.get("/").get_data(as_text=True))


@pytest.mark.parametrize("who", ["sw_a", "tm_a", "eh_w", "police", "admin"])
def test_others_may_not(app, world, login_as, who):
    client = login_as(who)
    assert client.get(URL).status_code == 403
    assert client.get("/reports/monthly.csv?month=2026-10").status_code == 403
    assert not NAV_ITEM.search(client.get("/").get_data(as_text=True))


def test_someone_signed_out_is_sent_to_sign_in(client, world):
    for url in (URL, "/reports/monthly.pdf?month=2026-10"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_each_download_is_a_file_of_its_format_and_is_recorded(app, october, login_as):
    client = login_as("hos")
    files = {}
    for extension, mimetype in (
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ):
        response = client.get(f"/reports/monthly.{extension}?month=2026-10")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="learning-report-2026-10.{extension}"'
        )
        files[extension] = response.data
    assert json.loads(files["json"])["grade_distribution"]["outstanding"] == 1
    assert files["csv"].decode("utf-8-sig").startswith("Audits completed,")
    assert load_workbook(io.BytesIO(files["xlsx"])).sheetnames[:2] == ["Audits completed", "Grades"]
    assert files["pdf"].startswith(b"%PDF")
    assert pdf_pages(files["pdf"]) >= 3
    with app.app_context():
        entries = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "report")
        ).all()
    assert [(e.verb, e.object_id, e.summary) for e in entries] == [
        ("downloaded", "monthly-2026-10", f"Monthly learning report: October 2026 ({label})")
        for label in ("JSON", "CSV", "Excel", "PDF")
    ]


def test_an_unknown_format_is_not_found(app, world, login_as):
    assert login_as("qa_lead").get("/reports/monthly.docx?month=2026-10").status_code == 404


def test_the_page_links_to_the_months_either_side_within_range(app, world, login_as):
    client = login_as("qa_lead")
    html = client.get(URL).get_data(as_text=True)
    assert 'href="/reports/monthly?month=2026-09"' in html
    assert 'href="/reports/monthly?month=2026-11"' in html
    first = client.get("/reports/monthly?month=2000-01")
    assert first.status_code == 200
    assert "month=1999-12" not in first.get_data(as_text=True)
