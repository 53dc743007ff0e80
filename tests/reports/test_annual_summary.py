"""The annual summary of quality assurance activity (Appendix 2): a financial year's audits
by tool and service, grades, moderation, actions, learning followed up and the plugins'
parts, on a page and as a PDF."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import render_template
from sqlalchemy import select

from plugins.thematic_review.models import Conversation
from plugins.thematic_review.tests.family_world import add_conversation, make_review
from portal.extensions import db
from portal.models import LearningArea, LearningFollowUp, Moderation
from portal.reports.annual import (
    AnnualYearError,
    FinancialYear,
    annual_sections,
    build_annual_summary,
    parse_year,
    year_of,
)
from portal.reports.views import annual_context
from portal.testing.statements import counted

YEAR = FinancialYear(2026)  # April 2026 to March 2027
TODAY = date(2027, 5, 10)


def table(section, title):
    [found] = [t for t in section.tables if t.title == title]
    return found.rows


@pytest.fixture
def year_data(app, world, build):
    """Audits either side of the year's edges, two moderated, actions and follow-ups."""
    build.audit("CS-1001", datetime(2026, 3, 31, 23, 59), "good")  # the year before
    build.audit("CS-1001", datetime(2026, 4, 1, 0, 0), "outstanding")
    moderated = build.audit("CS-1002", datetime(2026, 9, 1), "good")
    changed = build.audit("CS-1002", datetime(2027, 3, 31, 23, 0), "inadequate")
    build.audit("EH-2001", datetime(2026, 12, 1), "requires_improvement", process_key="early_help")
    build.audit("CS-1002", datetime(2027, 4, 1, 0, 0), "good")  # the year after
    action = build.action(
        moderated,
        "high",
        "signed_off",
        datetime(2026, 9, 2),
        completed_at=datetime(2026, 10, 1),
        signed_off_at=datetime(2026, 10, 2),
    )
    build.action(moderated, "low", "open", datetime(2026, 3, 1))  # created the year before
    with app.app_context():
        lead = world.users["qa_lead"]
        db.session.add_all(
            [
                Moderation(
                    audit_id=moderated,
                    moderator_id=lead,
                    auditor_grade="good",
                    moderated_grade="good",
                    moderated_at=datetime(2026, 9, 5),
                ),
                Moderation(
                    audit_id=changed,
                    moderator_id=lead,
                    auditor_grade="good",
                    moderated_grade="inadequate",
                    moderated_at=datetime(2027, 3, 31, 23, 30),
                ),
                LearningFollowUp(
                    month=date(2026, 6, 1),
                    area=LearningArea.TRAINING.value,
                    owner_id=world.users["hos"],
                    learning="Chronologies",
                    created_by_id=lead,
                    created_at=datetime(2026, 7, 1),
                    closed_at=datetime(2026, 11, 1),
                ),
                LearningFollowUp(
                    month=date(2027, 2, 1),
                    area=LearningArea.SUPERVISION.value,
                    owner_id=world.users["sm"],
                    learning="Reflection",
                    created_by_id=lead,
                    created_at=datetime(2027, 3, 1),
                ),
            ]
        )
        db.session.commit()
    return action


def summary_of(app, year=YEAR, today=TODAY):
    with app.app_context():
        summary = build_annual_summary(year, today)
        return summary, annual_sections(summary)


def test_the_years_figures_by_tool_and_service(app, year_data):
    summary, sections = summary_of(app)
    audits, moderation, actions = sections[:3]
    assert summary["services"] == ["Children's Social Care", "Early Help"]
    by_tool = table(audits, "Audits completed, by audit tool and service")
    assert [row[0] for row in by_tool] == [
        summary["audits"]["csc_audit"]["title"],
        summary["audits"]["early_help"]["title"],
    ]
    assert [row[1:] for row in by_tool] == [(3, 0, 3), (0, 1, 1)]
    grades = table(audits, "Grades, by audit tool")
    assert grades[0][1:] == (1, 1, 0, 1)  # outstanding, good, requires improvement, inadequate
    assert grades[1][1:] == (0, 0, 1, 0)
    assert (
        audits.summary == "4 audits completed with 2 audit tools; 50% graded Good or Outstanding."
    )
    assert table(moderation, "Moderation") == (
        ("Moderated", 2),
        ("Grade agreed", 1),
        ("Grade changed", 1),
    )
    assert table(actions, "Actions") == (("Created", 1), ("Completed", 1), ("Signed off", 1))
    assert table(actions, "Learning followed up") == (("Given an owner", 2), ("Closed", 1))


def test_the_thematic_reviews_part_comes_from_the_plugin(app, world, enable_plugins):
    enable_plugins("thematic_review")
    review = make_review(app, world, cases=("CS-1001", "CS-1002"))  # first day 10 Nov 2026
    add_conversation(app, world, review.review_case)
    with app.app_context():
        captured = db.session.scalar(select(Conversation.captured_at))
    _, sections = summary_of(app, year_of(captured.date()), max(TODAY, captured.date()))
    [part] = [s for s in sections if s.key == "thematic_review"]
    if year_of(captured.date()) == YEAR:
        assert table(part, "Thematic reviews") == (
            ("Held", 1),
            ("Report endorsed", 0),
            ("Cases reviewed", 2),
        )
    assert table(part, "Family conversations")[0] == ("Consent given, views captured", 1)
    _, sections_before = summary_of(app, FinancialYear(2001))
    [empty] = [s for s in sections_before if s.key == "thematic_review"]
    assert table(empty, "Thematic reviews")[0] == ("Held", 0)


def test_the_summary_sends_the_same_statements_however_big_the_year(app, world, build):
    build.audit("CS-1001", datetime(2026, 5, 1), "good")
    with counted(app) as few, app.app_context():
        build_annual_summary(YEAR, TODAY)
    for day in range(1, 25):
        build.audit("CS-1002", datetime(2026, 6, day), "outstanding")
        build.audit("EH-2001", datetime(2026, 7, day), "good", process_key="early_help")
    with counted(app) as many, app.app_context():
        build_annual_summary(YEAR, TODAY)
    assert len(many) == len(few)


def test_years_are_read_and_refused_clearly():
    assert year_of(date(2027, 3, 31)) == FinancialYear(2026)
    assert year_of(date(2027, 4, 1)) == FinancialYear(2027)
    assert parse_year(" 2026 ", TODAY).label == "April 2026 to March 2027"
    for text, message in (
        ("26/27", "Enter the year the financial year starts in"),
        ("2028", "has not started"),
        ("1999", "Choose 2000 or a later year"),
    ):
        with pytest.raises(AnnualYearError, match=message):
            parse_year(text, TODAY)


def test_the_page_and_the_pdf(app, world, year_data, login_as):
    client = login_as("ad")
    page = client.get("/reports/annual?year=2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "April 2026 to March 2027" in html
    assert "4 audits completed with 2 audit tools" in html
    bad = client.get("/reports/annual?year=next")
    assert bad.status_code == 400
    assert "There is a problem" in bad.get_data(as_text=True)
    pdf = client.get("/reports/annual.pdf?year=2026")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "annual-summary-2026-2027.pdf" in pdf.headers["Content-Disposition"]


def test_the_pdf_is_made_from_the_same_sections(app, year_data):
    with app.test_request_context():
        html = render_template("reports/annual_print.html", **annual_context(YEAR, TODAY))
    assert "Annual summary of quality assurance activity: April 2026 to March 2027" in html
    assert "the moderator agreed with the auditor&#39;s grade in 50% of them" in html
    assert "The whole year." in html


def test_only_report_readers_see_it(world, login_as):
    client = login_as("sw_a")
    assert client.get("/reports/annual").status_code == 403
    assert client.get("/reports/annual.pdf").status_code == 403


def test_hook_portal_annual_summary_section_adds_an_enabled_plugins_part(app, enable_plugins):
    _, sections = summary_of(app)
    assert "thematic_review" not in {s.key for s in sections}
    enable_plugins("thematic_review")
    _, sections = summary_of(app)
    assert [s.key for s in sections][-1] == "thematic_review"
