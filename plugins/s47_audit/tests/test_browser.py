"""In a browser: a service manager fills in and submits an S.47 enquiry audit; the error
summary stops a submission whose consent reason is missing. Every page passes axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from plugins.s47_audit.process import S47_AUDIT
from portal.plugin_api import Audit, Case, User, allocate, db

pytestmark = pytest.mark.browser

CHOICES = {
    "strategy-attendance": "csc_police_health",
    "timeliness-in_timescale": "yes",
    "seeing_child-child_seen": "within_timescale",
    "seeing_child-seen_alone": "yes",
    "multi_agency-agencies": "all",
    "multi_agency-consent": "not_sought",
    "outcome-outcome": "cin",
}
TEXTS = {
    "seeing_child-child_words": "'I want my mum to stop shouting.'",
    "outcome-family_told": "The social worker, at home",
    "oversight-decision": "A child in need plan: the risk is reduced.",
    "overall-summary": "A timely, child-centred enquiry.",
}


def fill_date(page, html_id: str, day: date) -> None:
    page.locator(f"#{html_id}-day").fill(str(day.day))
    page.locator(f"#{html_id}-month").fill(str(day.month))
    page.locator(f"#{html_id}-year").fill(str(day.year))


def test_a_service_manager_fills_and_submits_an_s47_audit(
    page, live_server, app, world, sign_in, axe_check, enable_plugins
):
    enable_plugins("s47_audit")
    with app.app_context():
        case = Case(
            reference="S47-3001",
            case_type="S47",
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2026, 11, 2),
        )
        db.session.add(case)
        audit = allocate(
            case,
            S47_AUDIT,
            [db.session.get(User, world.users["sm"])],
            allocated_by=None,
            allocated_on=date.today(),
        )
        db.session.commit()
        audit_id = audit.id

    sign_in("sm")
    page.get_by_role("link", name="S47-3001").click()
    axe_check()
    page.get_by_role("link", name="Start the audit").click()
    axe_check()
    expect(page.get_by_role("heading", name="Seeing the child", exact=True)).to_be_visible()
    fill_date(page, "strategy-held_on", date(2026, 11, 3))
    fill_date(page, "seeing_child-seen_on", date(2026, 11, 4))
    for name, value in CHOICES.items():
        page.locator(f"input[name='{name}'][value='{value}']").check()
    for html_id, text in TEXTS.items():
        page.locator(f"#{html_id}").fill(text)
    for section in S47_AUDIT.form.graded_sections:
        page.locator(f"#{section.key}-evidence").fill("Seen on the file.")
        page.locator(f"input[name='{section.key}-grade'][value='good']").check()
    expect(page.locator("#judgement")).to_contain_text("Good", timeout=10_000)

    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the parents' consent was not sought", timeout=15_000)
    axe_check("the form with the error summary")
    summary.get_by_role("link", name="Enter why the parents' consent was not sought").click()
    expect(page.locator("#multi_agency-consent_not_sought_why")).to_be_focused()
    page.locator("#multi_agency-consent_not_sought_why").fill("Asking would have warned him.")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_role("heading", name="Audit of case S47-3001")).to_be_visible(timeout=15_000)
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Submitted")
    axe_check("the submitted S.47 audit")

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.overall_grade == "good"
        assert audit.answers()["seeing_child"]["seen_on"] == "2026-11-04"
