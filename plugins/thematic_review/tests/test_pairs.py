"""Pairs for every case of a review on one page (issue 12, point 5): the QA lead chooses
two members for each case and saves them together; a row that breaks the rules is named in
the error summary and nothing is saved."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from plugins.thematic_review.tests.review_helpers import add_cases, make_review, review_of
from portal.plugin_api import Audit, db


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


@pytest.fixture
def planned(app, world):
    """A review of TR-001 to TR-003, none paired; Tara Manager manages their team and
    Sophie Worker holds them, both members."""
    add_cases(app, world, 3)
    review_id = make_review(
        app, world, ["TR-001", "TR-002", "TR-003"], members=("sm", "hos", "ad", "tm_a", "sw_a")
    )
    with app.app_context():
        ids = [review_case.id for review_case in review_of(review_id).cases]
    return review_id, ids


def audits(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Audit.id)))


def chosen(world, rows: dict[int, tuple[str | None, str | None]]) -> dict[str, str]:
    form = {}
    for review_case, (first, second) in rows.items():
        form[f"first-{review_case}"] = str(world.users[first]) if first else ""
        form[f"second-{review_case}"] = str(world.users[second]) if second else ""
    return form


def test_every_case_is_paired_from_one_page(app, client, world, login_as, planned):
    review_id, (one, two, three) = planned
    login_as("qa_lead")
    url = f"/thematic_review/{review_id}/pairs"
    page = client.get(url).get_data(as_text=True)
    assert "3 cases to pair" in page
    for review_case in (one, two, three):
        assert f'id="first-{review_case}"' in page and f'id="second-{review_case}"' in page
    assert 'for="first-' in page  # every select has its label
    response = client.post_form(
        url, chosen(world, {one: ("sm", "hos"), two: ("hos", "ad"), three: (None, None)})
    )
    assert response.status_code == 302
    with app.app_context():
        pairs = {
            rc.case.reference: sorted(person.name for person in rc.audit.auditors)
            for rc in review_of(review_id).cases
            if rc.audit
        }
    assert pairs == {
        "TR-001": ["Hana Head", "Sam Service"],
        "TR-002": ["Alex Director", "Hana Head"],
    }
    page = client.get(url).get_data(as_text=True)
    assert "1 case to pair" in page and f'id="first-{three}"' in page
    assert f'id="first-{one}"' not in page


@pytest.mark.parametrize(
    ("rows", "message", "field"),
    [
        ({0: ("sm", None)}, "TR-001: Choose the second auditor", ("second", 0)),
        ({1: ("sm", "sm")}, "TR-002: Choose two different people", ("second", 1)),
        ({2: ("sm", "tm_a")}, "TR-003: Tara Manager manages the team", ("second", 2)),
        ({0: ("sw_a", "sm")}, "TR-001: Sophie Worker holds case TR-001", ("first", 0)),
        ({}, "Choose the two auditors of at least one case", None),
    ],
    ids=["one auditor", "the same person", "their manager", "their worker", "nothing"],
)
def test_a_row_that_breaks_the_rules_saves_nothing(
    app, client, world, login_as, planned, rows, message, field
):
    review_id, ids = planned
    login_as("qa_lead")
    good = {ids[2] if 2 not in rows else ids[0]: ("sm", "hos")} if rows else {}
    form = chosen(world, {**good, **{ids[index]: pair for index, pair in rows.items()}})
    response = client.post_form(f"/thematic_review/{review_id}/pairs", form)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "There is a problem" in page and message in page
    field_id = f"{field[0]}-{ids[field[1]]}" if field else "cases-to-pair"
    assert f'href="#{field_id}"' in page and f'id="{field_id}"' in page
    assert audits(app) == 0  # the good row is not saved either
    if good:
        assert f'<option value="{world.users["sm"]}" selected>' in page  # choices kept


def test_only_the_qa_lead_pairs_and_only_while_planning(app, client, world, login_as, planned):
    review_id, _ = planned
    login_as("sm")
    assert client.get(f"/thematic_review/{review_id}/pairs").status_code == 403
    assert client.post_form(f"/thematic_review/{review_id}/pairs", {}).status_code == 403
    add_cases(app, world, 12, prefix="UW")
    started = make_review(
        app, world, [f"UW-{n:03d}" for n in range(1, 13)], pair=("sm", "hos"), start=True
    )
    client.post_form("/logout")
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{started}/pairs").status_code == 409
