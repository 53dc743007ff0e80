"""The report is endorsed only when it can be (issue 12, point 5): every case review
submitted, every discussion with the social worker recorded, the review held, and the
findings and recommendations written. Otherwise the review page lists what is missing in
the GOV.UK error summary, and nothing changes."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from plugins.thematic_review import review_report
from plugins.thematic_review.tests.review_helpers import (
    add_cases,
    make_ready,
    make_review,
    review_of,
)
from portal.plugin_api import ActivityEntry, User, db

TODAY = date.today()


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


@pytest.fixture
def started(app, world):
    """A review of 12 cases paired to Sam Service and Hana Head, under way, nothing done."""
    return make_review(app, world, add_cases(app, world, 12), pair=("sm", "hos"), start=True)


def write_report(app, world, review_id, findings="Plans drift.", recommendations="Review."):
    with app.app_context():
        review_report.write_report(
            review_of(review_id),
            findings,
            recommendations,
            "",
            db.session.get(User, world.users["qa_lead"]),
        )
        db.session.commit()


def problems(response) -> list[str]:
    """The error summary's items, as the page shows them."""
    summary = response.get_data(as_text=True).split("govuk-error-summary__list")[1]
    summary = summary.split("</ul>")[0]
    return [html.unescape(text).strip() for text in re.findall(r">([^<>]+)</a>", summary)]


def endorsed_entries(app, review_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(ActivityEntry.id)).where(
                ActivityEntry.verb == "endorsed", ActivityEntry.object_id == str(review_id)
            )
        )


def test_a_review_with_nothing_done_lists_everything_missing(app, client, world, login_as, started):
    login_as("sgu")
    response = client.post_form(f"/thematic_review/{started}/endorse")
    assert response.status_code == 400
    with app.app_context():
        day = review_of(started).first_day
    assert problems(response) == [
        "12 of 12 case reviews are not submitted yet: "
        "TR-001, TR-002, TR-003, TR-004, TR-005 and 7 more",
        "12 of 12 discussions with the social worker are not recorded yet: "
        "TR-001, TR-002, TR-003, TR-004, TR-005 and 7 more",
        f"The review takes place on {day:%-d %B %Y}: its report can be endorsed once the "
        "review has taken place",
        "The report needs its findings and recommendations before it can be endorsed",
    ]
    page = response.get_data(as_text=True)
    for anchor in ("cases", "case-discussions", "dates", "report"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    with app.app_context():
        assert review_of(started).status == "under_way"
        assert review_of(started).endorsed_at is None
    assert endorsed_entries(app, started) == 0


def _one_case_review_in_progress(review):
    review.cases[3].audit.status = "in_progress"


def _one_discussion_not_recorded(review):
    review.cases[11].worker_attended = None


def _review_is_today(review):
    review.first_day = TODAY


def _second_day_to_come(review):
    review.first_day = TODAY - timedelta(days=1)
    review.second_day = TODAY + timedelta(days=1)


def _no_findings(review):
    review.findings = ""


@pytest.mark.parametrize(
    ("undo", "message"),
    [
        (_one_case_review_in_progress, "1 of 12 case reviews are not submitted yet: TR-004"),
        (
            _one_discussion_not_recorded,
            "1 of 12 discussions with the social worker are not recorded yet: TR-012",
        ),
        (_review_is_today, "its report can be endorsed once the review has taken place"),
        (_second_day_to_come, "its report can be endorsed once the review has taken place"),
        (_no_findings, "The report needs its findings and recommendations"),
    ],
    ids=["case review", "discussion", "review today", "second day to come", "findings"],
)
def test_each_rule_alone_stops_the_endorsement(
    app, client, world, login_as, started, undo, message
):
    make_ready(app, started)
    write_report(app, world, started)
    with app.app_context():
        undo(review_of(started))
        db.session.commit()
    login_as("sgu")
    response = client.post_form(f"/thematic_review/{started}/endorse")
    assert response.status_code == 400
    found = problems(response)
    assert len(found) == 1 and message in found[0], found
    with app.app_context():
        assert review_of(started).status == "under_way"
    assert endorsed_entries(app, started) == 0


def test_a_review_held_with_everything_done_is_endorsed(app, client, world, login_as, started):
    make_ready(app, started, held_on=TODAY - timedelta(days=1))
    write_report(app, world, started)
    login_as("sgu")
    response = client.post_form(f"/thematic_review/{started}/endorse")
    assert response.status_code == 302
    with app.app_context():
        assert review_of(started).status == "endorsed"
    assert endorsed_entries(app, started) == 1


def test_the_rule_takes_today_as_an_argument(app, world, started):
    make_ready(app, started, held_on=TODAY + timedelta(days=5))
    write_report(app, world, started)
    with app.app_context():
        review = review_of(started)
        assert "dates" in review_report.endorsement_problems(review, TODAY)
        assert review_report.endorsement_problems(review, TODAY + timedelta(days=6)) == {}


# The group feedback session with the social workers --------------------------------------


def session_form(day: date, attendees="Sophie Worker\nTara Manager", notes="Chronologies.") -> dict:
    return {
        "held_on": [str(day.day), str(day.month), str(day.year)],
        "attendees": attendees,
        "notes": notes,
    }


def test_the_feedback_session_is_recorded_and_shown(app, client, world, login_as, started):
    make_ready(app, started)
    login_as("qa_lead")
    url = f"/thematic_review/{started}/feedback-session"
    assert client.get(url).status_code == 200
    yesterday = TODAY - timedelta(days=1)
    response = client.post_form(
        url, session_form(yesterday, notes="Workers asked for <b>time</b>.")
    )
    assert response.status_code == 302
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert f"{yesterday:%-d %B %Y}" in page
    assert "Sophie Worker\nTara Manager" in page
    assert "Workers asked for &lt;b&gt;time&lt;/b&gt;." in page
    with app.app_context():
        review = review_of(started)
        assert review.feedback_session_on == yesterday
        assert db.session.scalar(
            select(ActivityEntry).where(
                ActivityEntry.verb == "recorded feedback session",
                ActivityEntry.object_id == str(started),
            )
        )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (session_form(TODAY + timedelta(days=1)), "must be today or in the past"),
        (session_form(TODAY - timedelta(days=30)), "comes after the review"),
        (session_form(TODAY, attendees=" "), "Say who attended the feedback session"),
        ({"held_on": ["", "", ""], "attendees": "A"}, "Enter the date of the feedback session"),
    ],
    ids=["future", "before the review", "nobody", "no date"],
)
def test_a_feedback_session_that_cannot_be_is_refused(
    app, client, world, login_as, started, form, message
):
    make_ready(app, started)
    login_as("sgu")
    response = client.post_form(f"/thematic_review/{started}/feedback-session", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert review_of(started).feedback_session_on is None


def test_only_the_qa_lead_and_the_safeguarding_unit_record_the_session(
    app, client, world, login_as, started
):
    make_ready(app, started)
    login_as("sm")  # a member of the review, who pairs its cases
    url = f"/thematic_review/{started}/feedback-session"
    assert client.get(url).status_code == 403
    assert client.post_form(url, session_form(TODAY)).status_code == 403
