"""In a browser (issue 7, "Done when"): the QA lead sets up a review with 12 cases and pairs
through the pages, starts it and writes the report; the safeguarding unit endorses it; the
report's PDF opens. Then the other pages of a review as their people use them: the question
framework, the notice and the discussion with the social worker, and the action plan. Every
page passes axe-core's accessibility checks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plugins.thematic_review.tests.review_helpers import (
    REVIEW_DAY,
    add_cases,
    make_ready,
    make_review,
)

pytestmark = pytest.mark.browser


def test_the_qa_lead_sets_up_a_review_with_12_cases_and_pairs(
    page, live_server, app, world, sign_in, axe_check, enable_plugins
):
    enable_plugins("thematic_review")
    add_cases(app, world, 12)

    sign_in("qa_lead")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Thematic reviews"
    ).click()
    axe_check()
    page.get_by_role("button", name="Set up a review").click()
    axe_check()
    page.get_by_label("Theme").fill("Neglect")
    page.locator("#first_day-day").fill(str(REVIEW_DAY.day))
    page.locator("#first_day-month").fill(str(REVIEW_DAY.month))
    page.locator("#first_day-year").fill(str(REVIEW_DAY.year))
    page.get_by_label("Venue").fill("Council offices, room 2")
    page.get_by_label("Lead (safeguarding unit)").select_option(label="Saffron Unit")
    # the members, found with the search as the QA lead types (htmx), 10 at a time
    find = page.get_by_label("Find people to add as members")
    find.fill("sam serv")
    page.locator("#people-results").get_by_label("Sam Service").check()
    axe_check("a person found")
    find.fill("hana")
    expect(page.locator("#members-chosen").get_by_label("Sam Service")).to_be_checked()
    page.locator("#people-results").get_by_label("Hana Head").check()
    page.get_by_role("button", name="Save the review").click()
    axe_check()
    expect(page.get_by_role("heading", name="Cases of the review")).to_be_visible()

    # starting a review without its cases is refused, with the error summary
    page.get_by_role("link", name="Neglect").click()
    axe_check()
    page.get_by_role("button", name="Start the review").click()
    axe_check()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A review needs at least 12 cases: this one has 0"
    )

    page.get_by_role("link", name="Add or remove cases").click()
    axe_check()
    page.get_by_label("Child in need").check()
    page.get_by_label("Assessment Team").check()
    page.get_by_label("Seed (optional)").fill("2027")
    page.get_by_role("button", name="Draw the cases").click()
    axe_check()
    expect(page.get_by_text("12 cases drawn with the seed 2027.")).to_be_visible()
    page.get_by_role("link", name="Back to the review, to pair the auditors").click()
    axe_check()

    page.get_by_role("link", name="Pair the auditors of every case on one page").click()
    axe_check()
    for row in page.get_by_role("row").filter(has=page.get_by_role("combobox")).all():
        row.get_by_label(re.compile("^First auditor of ")).select_option(label="Sam Service")
        row.get_by_label(re.compile("^Second auditor of ")).select_option(label="Hana Head")
    page.get_by_role("button", name="Save the pairs").click()
    axe_check()
    expect(page.get_by_text("12 cases are paired.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Pair the auditors of "))).to_have_count(0)
    expect(page.get_by_role("cell", name="Hana Head and Sam Service")).to_have_count(12)

    page.get_by_role("button", name="Start the review").click()
    axe_check()
    expect(page.get_by_text("Under way", exact=True)).to_be_visible()

    page.get_by_role("button", name="Write the report").click()
    axe_check()
    page.get_by_label("Findings").fill("Chronologies were missing in 7 of the 12 cases.")
    page.get_by_label("Recommendations").fill("Check the chronology in every supervision.")
    page.get_by_role("button", name="Save the report").click()
    axe_check()
    expect(page.get_by_text("Chronologies were missing in 7 of the 12 cases.")).to_be_visible()
    review_url = page.url.split("#")[0]
    page.get_by_role("button", name="Sign out").click()
    axe_check()

    sign_in("sgu")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="Thematic review reports to endorse")
    )
    panel.get_by_role("link", name="Neglect").click()
    axe_check()
    page.get_by_role("button", name="Endorse the report").click()
    axe_check()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("12 of 12 case reviews are not submitted yet")
    expect(summary).to_contain_text("12 of 12 discussions with the social worker")
    expect(summary).to_contain_text("once the review has taken place")
    summary.get_by_role("link", name=re.compile("case reviews are not submitted")).click()
    expect(page.locator("#cases")).to_be_in_viewport()
    make_ready(app, int(review_url.rstrip("/").rsplit("/", 1)[1]))
    page.get_by_role("button", name="Endorse the report").click()
    axe_check()
    expect(page.get_by_text("Endorsed by Saffron Unit")).to_be_visible()

    response = page.request.get(f"{review_url}/report.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_questions_the_discussion_and_the_action_plan_pages(
    page, live_server, app, world, sign_in, axe_check, enable_plugins
):
    enable_plugins("thematic_review")
    review_id = make_review(app, world, add_cases(app, world, 12), pair=("sm", "hos"), start=True)

    sign_in("qa_lead")
    page.goto(f"{live_server}/thematic_review/{review_id}/questions")
    axe_check()
    page.get_by_label("New question").fill("What did the family tell you?")
    page.get_by_role("button", name="Add the question").click()
    axe_check()
    page.get_by_role("button", name="Move up question 7").click()
    axe_check()
    expect(page.get_by_label("Question 6")).to_have_value("What did the family tell you?")
    page.get_by_label("Question 1").fill("")
    page.get_by_role("button", name="Save question 1").click()
    axe_check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the question")

    page.goto(f"{live_server}/thematic_review/{review_id}/plan/new")
    axe_check()
    page.get_by_label("What will be done").fill("Chronology training for every team")
    page.get_by_label("Owner").select_option(label="Hana Head")
    page.get_by_role("button", name="Add the action").click()
    axe_check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how you will measure it")
    page.get_by_label("How you will measure it").fill("Chronologies up to date in 9 of 10 cases")
    day = REVIEW_DAY
    page.locator("#due_on-day").fill(str(day.day))
    page.locator("#due_on-month").fill(str(day.month))
    page.locator("#due_on-year").fill(str(day.year))
    page.get_by_role("button", name="Add the action").click()
    axe_check()
    page.get_by_role("button", name="Sign out").click()
    axe_check()

    sign_in("sm")
    page.goto(f"{live_server}/thematic_review/{review_id}")
    axe_check()
    page.get_by_role("link", name="TR-001", exact=True).click()
    axe_check()
    page.get_by_role("button", name="Send notice to the worker and their manager").click()
    axe_check()
    expect(page.get_by_text("Notice sent to Sophie Worker and Tara Manager.")).to_be_visible()
    page.get_by_role("button", name="Save the discussion").click()
    axe_check()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say whether the social worker attended"
    )
    page.get_by_label("Yes").check()
    page.get_by_label("What were you trying to achieve for the child?").fill("A safe home.")
    page.get_by_role("button", name="Save the discussion").click()
    axe_check()
    expect(page.get_by_text("The discussion is recorded.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    axe_check()

    sign_in("hos")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="Your actions from thematic reviews")
    )
    panel.get_by_role("link", name="Chronology training for every team").click()
    axe_check()
    page.get_by_label("Progress").fill("Two teams trained.")
    page.get_by_label("This action is done").check()
    page.get_by_role("button", name="Record the progress").click()
    axe_check()
    expect(page.get_by_text("The action is done.")).to_be_visible()
    page.get_by_role("link", name="Rolling action plan").click()
    axe_check()
    expect(page.get_by_text("0 open, 0 of them overdue; 1 done.")).to_be_visible()
