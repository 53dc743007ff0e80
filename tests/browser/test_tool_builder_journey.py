"""The QA lead builds a tool in the browser, previews and publishes it; an auditor fills
and submits it; the QA lead changes a question and publishes version 2, the version 1
audit still shows version 1's question and answer, and the monthly report has the tool's
section."""

import json
from datetime import date

from playwright.sync_api import expect

from portal.plugin_api import Case, User, allocate, db

KEY = "tool_builder.oversight_dip"


def edit_the_question(page, axe_check, label: str) -> None:
    """On the tool's page: edit the draft's JSON so its one question reads *label*."""
    page.get_by_role("button", name="Edit").click()
    axe_check()
    editor = page.get_by_label("The tool as JSON")
    document = json.loads(editor.input_value())
    document["sections"][0]["questions"][0]["label"] = label
    editor.fill(json.dumps(document, indent=2))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    axe_check()


def test_a_qa_lead_builds_publishes_and_versions_a_tool_an_auditor_fills(
    page, live_server, app, world, sign_in, axe_check
):
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("tool_builder", True, actor_id=None)
        db.session.commit()
    sign_in("qa_lead")
    page.get_by_role("link", name="Audit tools").first.click()
    axe_check()
    page.get_by_role("button", name="Build a new tool").click()
    axe_check()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the tool's title")
    axe_check("the new tool page with errors")
    page.get_by_label("Title").fill("Management oversight dip sample")
    page.get_by_label("Short name").fill("oversight_dip")
    page.get_by_role("button", name="Create the draft").click()
    axe_check()
    page.get_by_label("The tool as JSON").fill('{"slug": "oversight_dip"}')
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "$: 'title' is a required property"
    )
    axe_check("the editor with errors")
    page.get_by_role("link", name="Management oversight dip sample").click()
    axe_check()
    edit_the_question(page, axe_check, "What oversight did the manager record?")
    page.get_by_role("link", name="Preview as the auditor sees it").click()
    expect(page.get_by_label("What oversight did the manager record?")).to_be_visible()
    axe_check("the preview")
    page.get_by_role("link", name="Back to Management oversight dip sample").click()
    axe_check()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("version 1 is published")).to_be_visible()
    axe_check()

    with app.app_context():
        audit_id = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            app.extensions["portal.plugins"].process(KEY),
            [db.session.get(User, world.users["tm_b"])],
            allocated_by=None,
            allocated_on=date.today(),
        ).id
        db.session.commit()
    page.get_by_role("button", name="Sign out").click()
    axe_check()
    sign_in("tm_b")
    page.goto(f"{live_server}/audits/{audit_id}/edit")
    axe_check()
    page.get_by_label("What oversight did the manager record?").fill("A decision every month.")
    page.locator("#practice-evidence").fill("Seen in the case notes.")
    page.locator("input[name='practice-grade'][value='good']").check()
    page.locator("#overall-summary").fill("Oversight is regular.")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text("Your audit has been submitted.")).to_be_visible()
    axe_check("the submitted builder audit")
    page.get_by_role("button", name="Sign out").click()
    axe_check()

    sign_in("qa_lead")
    page.get_by_role("link", name="Audit tools").first.click()
    axe_check()
    page.get_by_role("link", name="Management oversight dip sample").click()
    axe_check()
    edit_the_question(page, axe_check, "Which management decisions are recorded?")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("version 2 is published")).to_be_visible()
    axe_check()

    page.goto(f"{live_server}/audits/{audit_id}")
    axe_check()
    expect(page.get_by_text("What oversight did the manager record?")).to_be_visible()
    expect(page.get_by_text("A decision every month.")).to_be_visible()
    expect(page.get_by_text("Which management decisions are recorded?")).to_have_count(0)

    page.goto(f"{live_server}/reports/monthly?month={date.today():%Y-%m}")
    axe_check()
    expect(page.get_by_role("heading", name="Management oversight dip sample")).to_be_visible()
    expect(page.get_by_text("1 Management oversight dip sample audit submitted")).to_be_visible()
