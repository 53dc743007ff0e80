"""A builder tool's life through the pages and the portal's engine: built, previewed and
published; drawn and allocated; filled in, submitted and graded by its rule; a version 2
published while the version 1 audit still shows version 1's questions and answers; its
section in the monthly report; retired, no longer drawn, its audit still readable."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from plugins.tool_builder.models import Tool
from portal.plugin_api import Audit, Case, User, allocate, db, run_draw
from portal.plugin_api.testing import login

SLUG = "home_dip"
KEY = f"tool_builder.{SLUG}"


def tool_file(label: str = "When was the child last seen at home?") -> dict:
    """The tool the QA lead writes: two graded sections, one choice, one date question."""
    return {
        "slug": SLUG,
        "title": "Home visits dip sample",
        "sections": [
            {
                "key": "visits",
                "title": "Visits at home",
                "guidance": "The child is seen at home as often as the plan says.",
                "evidence_prompt": "The dates of the last visits.",
                "questions": [
                    {"key": "last_seen", "label": label, "kind": "date"},
                    {
                        "key": "seen_alone",
                        "label": "Was the child seen alone?",
                        "kind": "choice",
                        "options": [
                            {"value": "yes", "label": "Yes"},
                            {"value": "no", "label": "No"},
                        ],
                    },
                ],
            },
            {"key": "voice", "title": "The child's voice", "graded": True},
        ],
        "judgement": {"rule": "majority"},
        "due_working_days": 10,
        "quotas": [
            {"name": "Each team manager, one a month", "auditor_roles": ["team_manager"],
             "per_auditor": 1}
        ],
        "moderation_share": 1,
        "services": ["CSC"],
        "case_types": ["CIN", "CP"],
        "report_figures": ["grade_distribution", "needing_action", "sections_graded_low"],
    }  # fmt: skip


def build_and_publish(client, document: dict) -> str:
    """As the QA lead: start the tool, write its draft, preview it, publish it; its path."""
    response = client.post_form("/tool_builder/new", {"slug": SLUG, "title": document["title"]})
    assert response.status_code == 302
    tool_path = response.headers["Location"].removesuffix("/edit")
    response = client.post_form(f"{tool_path}/edit", {"definition": json.dumps(document)})
    assert response.status_code == 302
    preview = client.get(f"{tool_path}/preview").get_data(as_text=True)
    assert document["sections"][0]["questions"][0]["label"] in preview
    assert 'name="visits-seen_alone"' in preview and 'name="voice-grade"' in preview
    assert client.post_form(f"{tool_path}/publish", {}).status_code == 302
    return tool_path


def signed_in(app, world, person: str):
    """A client of its own, signed in as *person* (one of the world's short names)."""
    client = app.test_client()
    assert login(client, world.emails[person]).status_code == 302
    return client


def revision(client, audit_id: int) -> str:
    """The revision the audit's edit page carries now."""
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    return re.search(r'name="revision" id="revision" value="(\d+)"', page).group(1)


@pytest.fixture
def qa_lead(app, world, client, login_as, enable_plugins):
    """The tool builder enabled, and the client signed in as the QA lead."""
    enable_plugins("tool_builder")
    return login_as("qa_lead")


def test_a_tool_is_built_published_drawn_filled_versioned_reported_and_retired(
    app, world, client, qa_lead
):
    tool_path = build_and_publish(client, tool_file())
    today = date.today()
    month = today.replace(day=1)
    with app.app_context():
        process = app.extensions["portal.plugins"].process(KEY)
        assert process.version == "1"
        drawn = run_draw(month, 7, today)
        assert {a["process"] for a in drawn["allocations"]} == {KEY}
        assert {a["process_title"] for a in drawn["allocations"]} == {"Home visits dip sample"}
        audit_id = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            process,
            [db.session.get(User, world.users["tm_b"])],
            allocated_by=None,
            allocated_on=today,
        ).id
        db.session.commit()

    auditor = signed_in(app, world, "tm_b")
    answers = {
        "visits-last_seen-day": "2",
        "visits-last_seen-month": str(today.month),
        "visits-last_seen-year": str(today.year),
        "visits-seen_alone": "no",
        "visits-evidence": "Seen twice this month, with mother present.",
        "visits-grade": "requires_improvement",
        "voice-evidence": "Her words are recorded.",
        "voice-grade": "good",
        "overall-summary": "Visits on time, child not seen alone.",
        "revision": "0",
        "intent": "save",
    }
    assert auditor.post_form(f"/audits/{audit_id}/edit", answers).status_code == 302
    response = auditor.post_form(  # Requires improvement needs an action, as the scale says
        f"/audits/{audit_id}/actions?section=visits",
        {
            "new-visits-description": "See the child alone at the next visit.",
            "new-visits-priority": "high",
            "new-visits-owner": str(world.users["sw_a"]),
            "new-visits-due-day": "8",
            "new-visits-due-month": "1",
            "new-visits-due-year": str(today.year + 1),
        },
    )
    assert response.status_code in (200, 302)
    answers.update(revision=revision(auditor, audit_id), intent="submit")
    answers["overall-grade"] = "requires_improvement"
    response = auditor.post_form(f"/audits/{audit_id}/edit", answers)
    assert response.status_code == 302, re.findall(
        r"govuk-error-summary__list.*?</ul>", response.get_data(as_text=True), re.S
    )
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.submitted_at is not None
        # majority: of Requires improvement and Good, the best grade more than half reach
        assert audit.suggested_grade == "requires_improvement"
        assert audit.process_version == "1"

    # the QA lead changes the question and publishes version 2
    response = client.post_form(
        f"{tool_path}/edit", {"definition": json.dumps(tool_file("Date of the last home visit"))}
    )
    assert response.status_code == 302
    assert client.post_form(f"{tool_path}/publish", {}).status_code == 302
    with app.app_context():
        assert app.extensions["portal.plugins"].process(KEY).version == "2"

    page = auditor.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "When was the child last seen at home?" in page
    assert "Date of the last home visit" not in page
    assert "Seen twice this month, with mother present." in page

    report = client.get(f"/reports/monthly?month={month:%Y-%m}").get_data(as_text=True)
    assert "Home visits dip sample" in report
    assert "1 Home visits dip sample audit submitted" in report
    assert "1 of them (100%) had a section graded for an action" in report
    assert "Sections most often graded for an action" in report

    page = client.post_form(f"{tool_path}/retire", {"confirm": "yes"})
    assert page.status_code == 302
    with app.app_context():
        assert db.session.query(Tool).one().retired_at is not None
        retired = app.extensions["portal.plugins"].process(KEY)
        assert (retired.title, retired.retired) == ("Home visits dip sample (retired)", True)
        drawn = run_draw(month.replace(year=month.year + 1), 7, today)
        assert KEY not in {a["process"] for a in drawn["allocations"]}
        audits_before = db.session.query(Audit).count()
    # nor is it offered, or taken, when a case is chosen by hand
    assert KEY not in client.get("/schedule/allocate").get_data(as_text=True)
    response = client.post_form(
        "/schedule/allocate",
        {
            "case_reference": "CS-1002",
            "process_key": KEY,
            "auditor_id": str(world.users["tm_b"]),
            "reason": "A dip sample asked for by the head of service",
        },
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Audit).count() == audits_before
    page = auditor.get(f"/audits/{audit_id}")
    assert page.status_code == 200
    assert "Seen twice this month, with mother present." in page.get_data(as_text=True)


def test_a_draft_with_problems_is_not_saved_and_the_summary_says_where(app, client, qa_lead):
    response = client.post_form("/tool_builder/new", {"slug": SLUG, "title": "Home visits"})
    tool_path = response.headers["Location"].removesuffix("/edit")
    broken = tool_file()
    broken["sections"][0]["questions"][1]["kind"] = "checkbox"
    response = client.post_form(f"{tool_path}/edit", {"definition": json.dumps(broken)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "$.sections[0].questions[1].kind: &#39;checkbox&#39; is not one of" in page
    with app.app_context():
        (version,) = db.session.query(Tool).one().versions
        assert version.definition["title"] == "Home visits"  # the starter, unchanged


def test_new_tool_refuses_a_bad_or_taken_short_name(app, client, qa_lead):
    response = client.post_form("/tool_builder/new", {"slug": "Bad Name", "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a short name of up to 27 characters" in page
    assert "Enter the tool&#39;s title" in page
    assert client.post_form("/tool_builder/new", {"slug": SLUG, "title": "A"}).status_code == 302
    response = client.post_form("/tool_builder/new", {"slug": SLUG, "title": "B"})
    assert "Another tool has this short name" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Tool).count() == 1


@pytest.mark.parametrize(
    ("person", "status"),
    [("qa_lead", 200), ("admin", 403), ("qa_admin", 403), ("sm", 403), ("sgu", 403)],
)
def test_only_the_qa_lead_builds_tools(
    app, world, client, login_as, enable_plugins, person, status
):
    enable_plugins("tool_builder")
    login_as(person)
    for path in ("/tool_builder/", "/tool_builder/new", "/tool_builder/import"):
        assert client.get(path).status_code == status
    assert client.post_form("/tool_builder/import", {}).status_code == (
        400 if status == 200 else 403
    )


def test_the_pages_answer_404_while_the_plugin_is_disabled(app, world, client, login_as):
    login_as("qa_lead")
    assert client.get("/tool_builder/").status_code == 404
