"""A review's pages send as many SQL statements for a review of four cases (four pairs,
four conversations, four plan owners) as for a review of one: the rows' people, cases and
audits are loaded with the review, not one by one."""

from __future__ import annotations

from datetime import date

import pytest

from plugins.thematic_review import cases
from plugins.thematic_review.models import PlanItem, Review
from plugins.thematic_review.tests.family_world import add_conversation, add_plan_item
from plugins.thematic_review.tests.review_helpers import add_cases, make_review
from portal.plugin_api import User, db
from portal.plugin_api.testing import counted

#: Each case's pair of reviewers, and each plan item's owner: all different people.
PAIRS = [("sm", "hos"), ("ad", "sgu"), ("qa_lead", "sm"), ("hos", "ad")]
PAGES = [
    "/thematic_review/{review}",
    "/thematic_review/{review}/cases",
    "/thematic_review/{review}/cases/{review_case}",
    "/thematic_review/{review}/report",
    "/thematic_review/{review}/questions",
    "/thematic_review/{review}/edit",
    "/thematic_review/{review}/plan/new",
    "/thematic_review/plan",
    "/thematic_review/cases/{review_case}/feedback",
    "/thematic_review/cases/{review_case}/conversation",
    "/thematic_review/conversations/{conversation}/reply",
]


def review_of(app, world, size: int) -> dict[str, int]:
    """A review of *size* cases, each with its own pair and plan item owner; the first case
    has *size* conversations, each recorded by someone else."""
    references = add_cases(app, world, size, prefix=f"R{size}")
    review_id = make_review(app, world, references)
    with app.app_context():
        qa_lead = db.session.get(User, world.users["qa_lead"])
        review = db.session.get(Review, review_id)
        review_cases = [review_case.id for review_case in review.cases]
        for review_case, (first, second) in zip(review.cases, PAIRS, strict=False):
            cases.pair_auditors(
                review_case,
                db.session.get(User, world.users[first]),
                db.session.get(User, world.users[second]),
                qa_lead,
                date.today(),
            )
        db.session.commit()
    conversations = [
        add_conversation(app, world, review_cases[0], person=first) for first, _ in PAIRS[:size]
    ]
    items = [add_plan_item(app, world, review_id, f"Action {n}") for n in range(size)]
    with app.app_context():
        for item, (_, owner) in zip(items, PAIRS, strict=False):
            db.session.get(PlanItem, item).owner_id = world.users[owner]
        db.session.commit()
    return {"review": review_id, "review_case": review_cases[0], "conversation": conversations[0]}


@pytest.fixture
def reviews(app, world, enable_plugins):
    """A review of one case and a review of four."""
    enable_plugins("thematic_review")
    return review_of(app, world, 1), review_of(app, world, 4)


@pytest.mark.parametrize("page", PAGES)
def test_a_review_page_sends_as_many_statements_for_four_cases_as_for_one(
    app, reviews, login_as, page
):
    one, four = (page.format(**ids) for ids in reviews)
    client = login_as("qa_lead")
    client.get(one)  # the first request warms per-process caches

    counts = []
    for url in (one, four):
        with counted(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(statements))
    assert counts[0] == counts[1], (
        f"{page}: {counts[0]} statements for one case, {counts[1]} for four"
    )
