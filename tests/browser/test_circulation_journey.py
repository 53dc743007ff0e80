"""The monthly report's circulation in Chromium: the QA lead writes the commentary and a
distribution list, the assistant director approves, the QA lead emails the report (to a
real SMTP server); axe-core on every page."""

from datetime import date

from playwright.sync_api import expect

from portal.reports.monthly import add_months, month_key
from portal.testing.smtp import use_smtp


def sign_out(page, axe_check):
    page.get_by_role("button", name="Sign out").click()
    axe_check()


def test_qa_lead_writes_director_approves_qa_lead_circulates(
    page, live_server, app, sign_in, axe_check, smtp_server
):
    port, inbox = smtp_server()
    use_smtp(app, port)
    month = add_months(date.today(), -1)
    sign_in("qa_lead")
    page.goto(f"{live_server}/reports/monthly?month={month_key(month)}")
    axe_check()
    page.get_by_role("link", name="Commentary, approval and circulation").click()
    axe_check()
    page.get_by_label("Key messages").fill("Audits were completed on time.")
    page.get_by_label("Learning").fill("Plans rarely say what will change for the child.")
    page.get_by_label("Recommendations").fill("Use the reflective supervision template.")
    page.get_by_role("button", name="Save the draft").click()
    axe_check()
    expect(page.get_by_text("Draft, last saved by Quinn Lead")).to_be_visible()
    page.get_by_role("link", name="Manage the distribution lists").click()
    axe_check()
    page.get_by_role("button", name="Add a distribution list").click()
    axe_check()
    page.get_by_label("Name of the list").fill("Heads of service")
    page.get_by_label("Email addresses").fill("not an address")
    page.get_by_role("button", name="Save the list").click()
    axe_check("the list form with an error")
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct format")
    page.get_by_label("Email addresses").fill("hos.csc@example.org\nhos.eh@example.org")
    page.get_by_role("button", name="Save the list").click()
    axe_check()
    expect(page.get_by_role("link", name="Heads of service")).to_be_visible()
    circulation = f"{live_server}/circulation/report/monthly/{month_key(month)}"
    sign_out(page, axe_check)

    sign_in("ad")
    page.goto(circulation)
    axe_check()
    expect(page.get_by_text("Plans rarely say what will change for the child.")).to_be_visible()
    page.get_by_role("button", name="Approve the commentary").click()
    axe_check()
    expect(page.locator("#commentary-status")).to_contain_text("Approved by Alex Director on")
    sign_out(page, axe_check)

    sign_in("qa_lead")
    page.goto(circulation)
    axe_check()
    page.get_by_label("Heads of service").check()
    page.get_by_role("button", name="Email the report").click()
    axe_check()
    expect(
        page.get_by_text("The report was emailed to Heads of service: 2 recipients.")
    ).to_be_visible()
    expect(page.locator("#circulation-history")).to_contain_text("Quinn Lead")
    assert sorted(message["To"] for message in inbox.messages) == [
        "hos.csc@example.org",
        "hos.eh@example.org",
    ]
