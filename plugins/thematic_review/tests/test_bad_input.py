"""Bad input on the reviews' forms: a form posted empty, or with nonsense in it (letters in
dates and numbers, choices that are not offered, text far too long, boxes missing or extra),
answers with the GOV.UK error summary and changes nothing; no POST of the plugin fails."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from plugins.thematic_review.inputs import LONG_TEXT_LIMIT
from plugins.thematic_review.models import Conversation, PlanItem, Question, Review, ReviewCase
from plugins.thematic_review.tests.family_world import add_conversation, add_plan_item
from plugins.thematic_review.tests.review_helpers import add_cases, make_review, review_of
from portal.plugin_api import db
from portal.plugin_api.testing import CSRF_META, login


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


#: Every field name the plugin's forms read (WTForms forms and the forms read by hand).
FIELDS = [
    "theme",
    "first_day",
    "second_day",
    "venue",
    "lead_id",
    "qa_lead_id",
    "member_ids",
    "case_types",
    "service_codes",
    "team_ids",
    "count",
    "seed",
    "reference",
    "reason",
    "first",
    "second",
    "findings",
    "recommendations",
    "family_voice",
    "action",
    "owner_id",
    "measure",
    "due_on",
    "progress",
    "done",
    "text",
    "direction",
    "attended",
    "notes",
    "client_key",
    "consent",
    "consent_by",
    "consent_how",
    "participants",
    "child_age_band",
    "views_of_service",
    "what_helped",
    "what_did_not_help",
    "ideas",
    "wants_reply",
    "concern",
    "concern_description",
    "plan_item",
    "body",
    "sent-day",
    "sent-month",
    "sent-year",
]

#: Nonsense for every field: letters where numbers or dates go, choices nobody offers,
#: text far too long, and numbers that are not numbers to Python or too big for a database.
NONSENSE = {
    "letters": lambda: dict.fromkeys(FIELDS, "abc"),
    "overlong": lambda: dict.fromkeys(FIELDS, "x" * (LONG_TEXT_LIMIT + 1)),
    "numbers": lambda: {key: ["99999999999999999999", "²", "-1", "0"] for key in FIELDS},
}


def summary_of(response) -> list[str]:
    """The problems the page's GOV.UK error summary lists."""
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page, page[:2000]
    block = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", block)]


def counts(app) -> tuple[int, ...]:
    """How many reviews, review cases, plan items and conversations there are."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Review, ReviewCase, PlanItem, Conversation)
        )


# The three set-up pages ----------------------------------------------------------------------


@pytest.mark.parametrize("body", ["empty", *NONSENSE])
def test_a_bad_review_form_shows_the_problems_and_changes_nothing(
    app, client, world, login_as, body
):
    review_id = make_review(app, world, theme="Neglect")
    login_as("qa_lead")
    before = counts(app)
    data = NONSENSE[body]() if body in NONSENSE else {}
    for url in ("/thematic_review/new", f"/thematic_review/{review_id}/edit"):
        response = client.post_form(url, data)
        assert response.status_code == 400, url
        problems = summary_of(response)
        assert any("first day" in problem or "real date" in problem for problem in problems)
        if body != "overlong":
            assert {
                "Choose at least two members: cases are reviewed in pairs",
                "Choose the members from the list",
            } & set(problems)
    assert counts(app) == before
    with app.app_context():
        assert review_of(review_id).theme == "Neglect"


@pytest.mark.parametrize("body", ["empty", *NONSENSE])
def test_a_bad_action_shows_the_problems_and_adds_nothing(app, client, world, login_as, body):
    review_id = make_review(app, world)
    login_as("qa_lead")
    before = counts(app)
    data = NONSENSE[body]() if body in NONSENSE else {}
    response = client.post_form(f"/thematic_review/{review_id}/plan/new", data)
    assert response.status_code == 400
    problems = summary_of(response)
    assert "Choose who owns the action" in problems
    assert any(
        problem in problems
        for problem in ("Enter the due date", "Enter a real date, for example 3 2 2027")
    )
    assert counts(app) == before


def test_a_date_sent_with_a_box_missing_is_shown_again_in_three_boxes(app, client, world, login_as):
    review_id = make_review(app, world)
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{review_id}/plan/new", {"due_on": ["3", "2"]})
    assert response.status_code == 400
    assert "Enter a real date, for example 3 2 2027" in summary_of(response)
    page = response.get_data(as_text=True)
    assert all(f'id="due_on-{box}"' in page for box in ("day", "month", "year"))


def test_a_draw_with_nonsense_ticked_names_each_list_and_draws_nothing(
    app, client, world, login_as
):
    review_id = make_review(app, world)
    login_as("qa_lead")
    before = counts(app)
    response = client.post_form(
        f"/thematic_review/{review_id}/cases/draw",
        {
            "case_types": "NOT-A-TYPE",
            "service_codes": "NOT-A-SERVICE",
            "team_ids": ["abc", "99999999999999999999"],
            "count": "lots",
        },
    )
    assert response.status_code == 400
    assert summary_of(response) == [
        "Choose the case types from the list",
        "Choose the services from the list",
        "Choose the teams from the list",
        "Enter a whole number of cases from 1 to 40",
    ]
    assert "NOT-A-TYPE" not in response.get_data(as_text=True)
    assert counts(app) == before


# A case whose family has been spoken to ------------------------------------------------------


def test_a_case_whose_family_was_spoken_to_cannot_be_removed(app, client, world, login_as):
    references = add_cases(app, world, 2)
    review_id = make_review(app, world, references)
    with app.app_context():
        spoken_to, other = (rc.id for rc in review_of(review_id).cases)
    add_conversation(app, world, spoken_to, person="sm")
    login_as("qa_lead")
    before = counts(app)
    response = client.post_form(f"/thematic_review/{review_id}/cases/{spoken_to}/remove")
    assert response.status_code == 400
    assert any(
        "cannot be removed: a family conversation has been recorded for it" in problem
        for problem in summary_of(response)
    )
    assert counts(app) == before
    response = client.post_form(f"/thematic_review/{review_id}/cases/{other}/remove")
    assert response.status_code == 302
    with app.app_context():
        assert [rc.id for rc in review_of(review_id).cases] == [spoken_to]


# Every POST of the plugin ----------------------------------------------------------------------


def test_no_post_of_the_plugin_fails_on_an_empty_or_nonsense_form(app, world):
    planning = make_review(app, world, add_cases(app, world, 2, prefix="PL"))
    started = make_review(app, world, add_cases(app, world, 12), pair=("sm", "hos"), start=True)
    ids = {}
    with app.app_context():
        for name, review_id in (("planning", planning), ("started", started)):
            review = review_of(review_id)
            ids[name] = {
                "review_id": review_id,
                "review_case_id": review.cases[0].id,
                "question_id": db.session.scalar(
                    select(Question.id).where(Question.review_id == review_id)
                ),
            }
    for name in ids:
        ids[name]["item_id"] = add_plan_item(app, world, ids[name]["review_id"], "Check plans")
        ids[name]["conversation_id"] = add_conversation(
            app, world, ids[name]["review_case_id"], person="sm"
        )
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("thematic_review.") and "POST" in rule.methods
    ]
    assert len(rules) >= 15
    failures = []
    for person in ("qa_lead", "sm", "sgu", "hos"):
        client = app.test_client()
        assert login(client, world.emails[person]).status_code == 302
        token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
        for name, values in ids.items():
            for rule in rules:
                url = rule.build({key: values[key] for key in rule.arguments})[1]
                for body, make in (("empty", dict), *NONSENSE.items()):
                    try:
                        status = client.post(url, data={**make(), "csrf_token": token}).status_code
                    except Exception as error:  # the test app lets a view's error through
                        status = f"{type(error).__name__}: {error}"[:200]
                    if not isinstance(status, int) or status >= 500:
                        failures.append((person, name, url, body, status))
    assert failures == []
