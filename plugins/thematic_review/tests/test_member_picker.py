"""The review's members are chosen with a search (issue 12, point 5), not from a list of
every member of staff: with htmx the results come 10 at a time as the QA lead types; without
scripts the form's "Search" button shows them in place, keeping what was typed."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from plugins.thematic_review.models import Review
from plugins.thematic_review.tests.test_reviews import review_form
from portal.plugin_api import Role, User, db


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


def add_staff(app, count: int) -> None:
    """*count* team managers called "Reviewer 01", "Reviewer 02"..."""
    with app.app_context():
        for number in range(1, count + 1):
            person = User(
                email=f"reviewer{number:02d}@example.test",
                name=f"Reviewer {number:02d}",
                job_title="Team manager",
            )
            person.set_roles({Role.TEAM_MANAGER})
            db.session.add(person)
        db.session.commit()


def names(response) -> list[str]:
    """The people offered in the search results, in order."""
    page = html.unescape(response.get_data(as_text=True))
    results = page[page.index('id="people-results"') :]
    return [
        label.split(">", 1)[1].split("<", 1)[0].strip().split(" (")[0]
        for label in results.split('<label class="govuk-label govuk-checkboxes__label"')[1:]
    ]


def test_the_search_finds_staff_by_name_or_job_title(app, client, world, login_as):
    login_as("qa_lead")
    response = client.get("/thematic_review/people?find=sam service")
    assert response.status_code == 200
    assert names(response) == ["Sam Service"]
    assert names(client.get("/thematic_review/people?find=hana HEAD")) == ["Hana Head"]
    assert "Nobody else found for “nobody at all”" in html.unescape(
        client.get("/thematic_review/people?find=nobody at all").get_data(as_text=True)
    )
    found = names(client.get("/thematic_review/people?find="))
    assert "Alex Director" in found
    assert not {"Ada Admin", "Paula Police"} & set(found)  # no administrators, no partners


def test_the_results_come_10_at_a_time_and_leave_out_those_chosen(app, client, world, login_as):
    add_staff(app, 15)
    login_as("qa_lead")
    first = client.get("/thematic_review/people?find=reviewer")
    assert names(first) == [f"Reviewer {n:02d}" for n in range(1, 11)]
    page = html.unescape(first.get_data(as_text=True))
    assert "1–10 of 15 people found for “reviewer”" in page
    assert "More people" in page and "Previous people" not in page
    second = client.get("/thematic_review/people?find=reviewer&people_page=2")
    assert names(second) == [f"Reviewer {n:02d}" for n in range(11, 16)]
    with app.app_context():
        chosen = db.session.scalar(select(User.id).where(User.name == "Reviewer 03"))
    response = client.get(f"/thematic_review/people?find=reviewer&member_ids={chosen}")
    assert "Reviewer 03" not in names(response)
    page = response.get_data(as_text=True)
    assert 'id="members-chosen" hx-swap-oob="true"' in page  # the chosen, sent again
    assert f'value="{chosen}" checked' in page


def test_the_form_lists_only_the_members_chosen(app, client, world, login_as):
    login_as("qa_lead")
    page = client.get("/thematic_review/new").get_data(as_text=True)
    assert "Tara Manager" not in page and "Sam Service" not in page
    assert 'name="find"' in page and 'hx-get="/thematic_review/people"' in page


def test_without_scripts_the_search_shows_results_and_keeps_what_was_typed(
    app, client, world, login_as
):
    login_as("qa_lead")
    form = review_form(world, member_ids=[str(world.users["sm"])])
    form |= {"search_people": "1", "find": "head", "theme": "Missing children"}
    response = client.post_form("/thematic_review/new", form)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert 'value="Missing children"' in page
    assert f'value="{world.users["sm"]}" checked' in page  # Sam Service stays chosen
    assert "Hana Head" in names(response) and "Sam Service" not in names(response)
    assert "There is a problem" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Review.id))) == 0


def test_someone_who_may_not_be_a_member_is_refused(app, client, world, login_as):
    login_as("qa_lead")
    form = review_form(world, member_ids=[str(world.users["sm"]), str(world.users["admin"])])
    response = client.post_form("/thematic_review/new", form)
    assert response.status_code == 400
    assert "Choose the members from the list" in response.get_data(as_text=True)


def test_only_the_qa_lead_searches_for_members(app, client, world, login_as):
    login_as("sm")
    assert client.get("/thematic_review/people?find=a").status_code == 403
