"""The QA administrator draws next month's selection, checks it and confirms it; an
auditor then finds the new audit on their home page."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from portal.extensions import db

NEXT_MONTH = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)


def test_preview_confirm_and_the_auditor_sees_it(page, live_server, app, world, sign_in, axe_check):
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("csc_audit", True, actor_id=None)
        db.session.commit()

    sign_in("qa_admin")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Schedule").click()
    axe_check()
    page.get_by_role("link", name=f"Selection for {NEXT_MONTH:%B %Y}").click()
    axe_check()
    page.get_by_label("Seed (optional)").fill("2027")
    page.get_by_role("button", name="Draw the selection").click()
    axe_check()
    expect(page.get_by_text("Seed 2027:")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("CS-1001")
    expect(table).to_contain_text("Tom Manager")  # tm_b audits the other team's case
    # nobody is left for the service manager and head of service: said, with numbers
    expect(page.get_by_text("Some quotas could not be filled.")).to_be_visible()
    page.get_by_role("button", name="Confirm and allocate the audits").click()
    axe_check()
    expect(page.get_by_text(re.compile(r"\d+ audits are allocated"))).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and allocate the audits")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    axe_check()

    sign_in("tm_b")
    panel = page.locator("section", has=page.get_by_role("heading", name="Audits to complete"))
    expect(panel.get_by_role("link", name="CS-1001")).to_be_visible()
    expect(panel).to_contain_text("Children's Social Care case file audit")
