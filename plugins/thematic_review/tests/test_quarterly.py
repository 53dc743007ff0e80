"""The quarterly report of the thematic reviews: the quarter's rules, what the report shows
(counts, and the endorsed reviews' text without case references), its page and PDF, and its
commentary, approval and circulation through the portal's service with a real SMTP server."""

from __future__ import annotations

import re
from datetime import date

import pytest

import plugins.thematic_review.views.quarterly as quarterly_views
from plugins.thematic_review import quarterly
from plugins.thematic_review.tests.review_helpers import add_cases, make_review, review_of
from portal.plugin_api import db
from portal.plugin_api.testing import login, use_smtp

QUARTER = "2026-Q3"
PAGE = f"/thematic_review/quarterly?quarter={QUARTER}"
CIRCULATION = f"/circulation/report/thematic_review.quarterly/{QUARTER}"
COMMENTARY = {
    "key_messages": "Neglect is recognised early but plans drift after six months.",
    "learning": "Workers valued the discussion; families want fewer changes of worker.",
    "recommendations": "Workshops in January on chronologies and cumulative harm.",
}


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2026-Q3", date(2026, 12, 5), "2026-Q3"),
        (" 2026-q1 ", date(2026, 12, 5), "2026-Q1"),
        ("2026-Q4", date(2026, 10, 1), "2026-Q4"),
    ],
)
def test_a_quarter_is_read(text, today, expected):
    assert quarterly.parse_quarter(text, today) == expected


@pytest.mark.parametrize("text", ["2026-Q5", "2026-3", "Q3 2026", "1999-Q1", "2027-Q1"])
def test_a_bad_or_future_quarter_is_refused(text):
    with pytest.raises(quarterly.QuarterError):
        quarterly.parse_quarter(text, date(2026, 12, 5))


def test_quarters_in_words_and_in_time():
    assert quarterly.title_of("2026-Q3") == "July to September 2026"
    assert quarterly.bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert quarterly.last_complete_quarter(date(2027, 2, 1)) == "2026-Q4"
    assert quarterly.neighbour("2026-Q1", -1) == "2025-Q4"
    assert not quarterly.is_over("2026-Q3", date(2026, 9, 30))
    assert quarterly.is_over("2026-Q3", date(2026, 10, 1))


@pytest.fixture
def third_quarter(app, world, enable_plugins):
    """Two reviews in July to September 2026: one endorsed (its findings name a case), one
    under way; and one in October, outside the quarter."""
    enable_plugins("thematic_review")
    references = add_cases(app, world, 3)
    endorsed = make_review(app, world, references, theme="Neglect")
    under_way = make_review(app, world, theme="Exploitation")
    later = make_review(app, world, theme="Domestic abuse")
    with app.app_context():
        days = {endorsed: date(2026, 8, 12), under_way: date(2026, 9, 20), later: date(2026, 10, 9)}
        for review_id, day in days.items():
            review_of(review_id).first_day = day
        review = review_of(endorsed)
        review.status = "endorsed"
        review.findings = "Chronologies were thin; TR-001 showed drift."
        review.recommendations = "Use the chronology tool."
        review.family_voice = "Families want one worker."
        review.cases[0].worker_attended = True
        db.session.commit()
    return references


def test_the_report_counts_the_quarter_s_reviews_and_hides_case_references(app, third_quarter):
    with app.app_context():
        report = quarterly.build(QUARTER)
    assert [review.theme for review in report.reviews] == ["Neglect", "Exploitation"]
    neglect, exploitation = report.reviews
    assert (neglect.cases, neglect.discussions_held, neglect.endorsed) == (3, 1, True)
    assert neglect.findings == "Chronologies were thin; [a case] showed drift."
    assert (exploitation.endorsed, exploitation.findings) == (False, "")


def test_the_page_and_the_pdf(app, world, third_quarter):
    client = app.test_client()
    login(client, world.emails["hos"])
    page = client.get(PAGE).get_data(as_text=True)
    assert "July to September 2026" in page and "Use the chronology tool." in page
    assert "TR-001" not in page and "Domestic abuse" not in page
    pdf = client.get(f"/thematic_review/quarterly/{QUARTER}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/thematic_review/quarterly/2099-Q1.pdf").status_code == 404
    bad = client.get("/thematic_review/quarterly?quarter=2026-Q9")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.get_data(as_text=True)


@pytest.mark.parametrize("short", ["sw_a", "tm_a", "police", "admin"])
def test_practitioners_do_not_read_the_quarterly_report(app, world, third_quarter, short):
    client = app.test_client()
    login(client, world.emails[short])
    assert client.get(PAGE).status_code == 403
    assert client.get(CIRCULATION).status_code == 403


def test_hook_portal_circulated_reports_adds_the_quarterly_report_while_enabled(
    app, world, enable_plugins
):
    client = app.test_client()
    login(client, world.emails["qa_lead"])
    assert client.get(CIRCULATION).status_code == 404
    enable_plugins("thematic_review")
    page = client.get(CIRCULATION)
    assert page.status_code == 200
    assert "Quarterly thematic review report: July to September 2026" in page.get_data(as_text=True)


def test_the_quarterly_report_is_written_approved_and_circulated(
    app, world, third_quarter, smtp_server, monkeypatch
):
    port, inbox = smtp_server()
    use_smtp(app, port)
    rendered = []
    real = quarterly_views.html_to_pdf
    monkeypatch.setattr(
        quarterly_views, "html_to_pdf", lambda html: rendered.append(html) or real(html)
    )
    qa, director = app.test_client(), app.test_client()
    login(qa, world.emails["qa_lead"])
    login(director, world.emails["ad"])
    assert qa.post_form(f"{CIRCULATION}/commentary", COMMENTARY).status_code == 302
    assert director.post_form(f"{CIRCULATION}/approve").status_code == 302
    addresses = "workshops@example.org\nlearning.lead@example.org"
    workshops = {"name": "Staff development workshops", "addresses": addresses}
    assert qa.post_form("/circulation/lists/new", workshops).status_code == 302
    [list_id] = re.findall(r"/circulation/lists/(\d+)", qa.get("/circulation/lists").text)
    response = qa.post_form(f"{CIRCULATION}/circulate", {"list_id": str(list_id)})
    assert response.status_code == 302
    assert sorted(m["To"] for m in inbox.messages) == sorted(addresses.split())
    [attachment] = list(inbox.messages[0].iter_attachments())
    assert attachment.get_filename() == (
        "quarterly-thematic-review-report-july-to-september-2026.pdf"
    )
    assert attachment.get_payload(decode=True).startswith(b"%PDF")
    [html] = rendered
    assert COMMENTARY["recommendations"] in html and "Neglect" in html
    assert not any(reference in html for reference in third_quarter)
    history = qa.get(CIRCULATION).get_data(as_text=True)
    assert re.search(r"Staff development workshops</td>\s*<td[^>]*>2</td>", history)
    page = qa.get(PAGE).get_data(as_text=True)
    assert "Approved by Alex Director" in page
