"""In a browser: the observer fills in and submits an observation of practice; the
practitioner finds it on their home page and adds their reflection, after a first try with
nothing in it shows the error summary. Every page passes axe-core's accessibility checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.tests.helpers import OBSERVER, PRACTITIONER, observation
from portal.plugin_api import Audit, db

pytestmark = pytest.mark.browser

GRADED = ("preparation", "relationship", "child_focus", "analysis", "next_steps")


def test_the_observer_submits_and_the_practitioner_reflects(
    page, live_server, app, world, sign_in, axe_check, enable_plugins
):
    enable_plugins("practice_observation")
    audit_id = observation(app, world, submitted=False)

    sign_in(OBSERVER)
    page.goto(f"{live_server}/audits/{audit_id}/edit")
    axe_check()
    visit = date.today() - timedelta(days=2)
    page.locator("#visit-visit_date-day").fill(str(visit.day))
    page.locator("#visit-visit_date-month").fill(str(visit.month))
    page.locator("#visit-visit_date-year").fill(str(visit.year))
    page.get_by_role("group", name="What kind of visit was it?").get_by_label(
        "A visit to the child at home"
    ).check()
    for section in GRADED:
        page.locator(f"#{section}-evidence").fill(f"Observed: {section.replace('_', ' ')}.")
        page.locator(f"input[name='{section}-grade'][value='good']").check()
    page.get_by_role("group", name="Did the family give their view of the visit?").get_by_label(
        "Yes", exact=True
    ).check()
    page.locator("#family_view-family_words").fill("Mum said she felt listened to.")
    page.locator("#feedback-strengths").fill("Warm, clear, saw the children alone.")
    page.locator("#feedback-development").fill("Check the plan's next steps are understood.")
    page.locator("#overall-summary").fill("A good visit that kept the children at its centre.")
    expect(page.locator("#judgement")).to_contain_text("Good", timeout=10_000)
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text("Your audit has been submitted.")).to_be_visible()
    axe_check("the submitted observation")

    page.context.clear_cookies()
    sign_in(PRACTITIONER)  # the home page lists the observation of their practice
    expect(page.get_by_text("Observations of your practice")).to_be_visible()
    page.get_by_role("link", name="Add your reflection").click()
    axe_check()
    page.get_by_role("button", name="Save your reflection").click()
    axe_check("the reflection with its error summary")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what went well in the visit"
    )
    page.get_by_label("What went well in the visit").fill("I saw the children on their own.")
    page.get_by_label("What you would do differently next time").fill("Slow down at the end.")
    page.get_by_role("button", name="Save your reflection").click()
    axe_check()
    expect(page.get_by_text("Your reflection is saved.")).to_be_visible()

    with app.app_context():
        assert db.session.get(Audit, audit_id).submitted_at is not None
        (reflection,) = db.session.scalars(db.select(Reflection)).all()
        assert reflection.went_well == "I saw the children on their own."
