"""The whole path of a CSC audit, as the people would walk it in a browser.

An auditor opens an allocated audit, fills it (autosave seen), meets the error summary
when a Requires improvement section has no action, adds one and submits; the worker
completes the action; their line manager signs it off; the QA lead moderates it; the
audit closes, and the QA lead finds it in the month's learning report.
"""

import re
from datetime import date

from playwright.sync_api import expect

from portal.audits.service import allocate
from portal.extensions import db
from portal.models import Audit, AuditStatus, Case, User

GRADES = {f"standard_{n}": "good" for n in range(1, 11)} | {
    "standard_3": "requires_improvement",
    "impact": "good",
}


def allocate_csc_audit(app, world) -> int:
    with app.app_context():
        host = app.extensions["portal.plugins"]
        host.set_enabled("csc_audit", True, actor_id=None)
        audit = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            host.process("csc_audit"),
            [db.session.get(User, world.users["tm_b"])],
            allocated_by=None,
            allocated_on=date.today(),
        )
        db.session.commit()
        return audit.id


def sign_out(page, axe_check):
    page.get_by_role("button", name="Sign out").click()
    axe_check()


def test_an_audit_from_allocation_to_closure(page, live_server, app, world, sign_in, axe_check):
    audit_id = allocate_csc_audit(app, world)

    # The auditor finds the audit on their home page and starts it.
    sign_in("tm_b")
    page.get_by_role("link", name="CS-1001").click()
    axe_check()
    page.get_by_role("link", name="Start the audit").click()
    axe_check()
    expect(page.get_by_role("heading", name="Standard 1: Assessment", exact=True)).to_be_visible()

    # Typing saves by itself.
    page.locator("#standard_1-evidence").fill("The assessment is current and child-centred.")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=10_000)

    for section, grade in GRADES.items():
        page.locator(f"#{section}-evidence").fill(f"Evidence for {section}.")
        page.locator(f"input[name='{section}-grade'][value='{grade}']").check()
    page.locator("#impact-intended").fill("Keep the child safe at home.")
    page.locator("#impact-changed").fill("School attendance is up; no new incidents.")
    page.locator("#overall-summary").fill("Solid work; the plan needs updating with the parents.")
    expect(page.locator("#judgement")).to_contain_text("Requires improvement", timeout=10_000)

    # Submitting without the action the RI section needs: the error summary says so.
    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Add an action with an owner and a due date to Standard 3")
    axe_check("the audit with the error summary")

    # The auditor adds the action (the case holder is the default owner) and submits.
    actions = page.locator("#standard_3-actions")
    # the section that needs an action opens its "Add an action" form by itself
    expect(actions.get_by_label("What needs to be done")).to_be_visible()
    actions.get_by_label("What needs to be done").fill("Share the plan with both parents.")
    actions.get_by_label("Day").fill("15")
    actions.get_by_label("Month").fill("1")
    actions.get_by_label("Year").fill(str(date.today().year + 1))
    actions.get_by_role("button", name=re.compile("Add action")).click()
    expect(page.locator("#standard_3-actions")).to_contain_text("Share the plan with both parents.")
    expect(page.locator("#judgement")).not_to_contain_text("need at least one action")
    axe_check("the audit after adding an action")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text("Your audit has been submitted.")).to_be_visible()
    axe_check()
    sign_out(page, axe_check)

    # The worker reads the findings and completes the action.
    sign_in("sw_a")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Actions").click()
    axe_check()
    page.get_by_label("What was done (your evidence)").fill(
        "Met both parents on 3 December; plan shared."
    )
    page.get_by_role("button", name=re.compile("Mark as complete")).click()
    expect(page.get_by_role("cell", name="Completed", exact=True)).to_be_visible()
    axe_check("my actions after completing")
    sign_out(page, axe_check)

    # Their line manager signs it off; the audit still waits for its moderation.
    sign_in("tm_a")
    page.goto(f"{live_server}/actions/sign-off")
    axe_check()
    expect(page.get_by_text("Met both parents on 3 December; plan shared.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Sign off")).click()
    axe_check("sign-off after signing off")
    with app.app_context():
        assert db.session.get(Audit, audit_id).lifecycle == AuditStatus.SUBMITTED
    sign_out(page, axe_check)

    # The QA lead moderates it from the queue, changing the grade with a rationale.
    sign_in("qa_lead")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Moderation").click()
    axe_check()
    page.get_by_role("link", name=re.compile("CS-1001")).click()
    axe_check()
    page.locator("input[name='grade'][value='requires_improvement']").check()
    page.get_by_label("Rationale for a changed judgement").fill(
        "The parents were not part of the plan: that is more than a detail."
    )
    page.get_by_label("Feedback to the auditor").fill("Clear evidence; name the sources.")
    page.get_by_role("checkbox", name="Supervision").check()
    page.get_by_role("button", name="Record the moderation").click()
    axe_check()
    expect(page.get_by_text(re.compile("is moderated"))).to_be_visible()

    # Moderated and every action signed off: the audit is closed.
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.lifecycle == AuditStatus.CLOSED
        assert (audit.overall_grade, audit.record_grade) == ("good", "requires_improvement")
    page.goto(f"{live_server}/audits/{audit_id}")
    axe_check()
    facts = page.locator(".govuk-summary-list").first
    expect(facts).to_contain_text("Closed")
    expect(facts).to_contain_text("Judgement of record")

    # The QA lead opens this month's learning report: the moderated grade is counted.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Reports").click()
    axe_check()
    page.get_by_role("textbox", name="Month").fill(date.today().strftime("%Y-%m"))
    page.get_by_role("button", name="Show the report").click()
    axe_check("this month's learning report")
    expect(page.get_by_role("heading", level=1)).to_contain_text(date.today().strftime("%B %Y"))
    expect(page.locator("svg[role='img']").first).to_be_visible()
    month_grades = page.locator(
        "table", has=page.locator("caption", has_text="Grades of the audits")
    )
    record = month_grades.locator("tr", has=page.locator("th", has_text="Requires improvement"))
    expect(record.locator("td").first).to_have_text("1")  # the moderated grade, not "Good"


def test_text_typed_just_before_a_reload_is_not_lost(
    page, live_server, app, world, sign_in, axe_check
):
    """Issue 12, point 10: typed, then the page reloaded at once (before the autosave's
    one-second pause): the text is still in the form, and it reaches the server."""
    audit_id = allocate_csc_audit(app, world)
    sign_in("tm_b")
    page.goto(f"{live_server}/audits/{audit_id}/edit")
    axe_check()
    typed = "Seen at school on Monday; the plan was reviewed with both parents."
    page.locator("#standard_1-evidence").fill(typed)
    page.reload()
    axe_check("the audit form after a reload")
    expect(page.locator("#standard_1-evidence")).to_have_value(typed)
    page.wait_for_load_state("networkidle")
    with app.app_context():
        answers = db.session.get(Audit, audit_id).answers()
        assert answers["standard_1"]["evidence"] == typed
