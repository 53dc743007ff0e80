"""Two smaller defects of issue 12.10: a safeguarding concern open without a response is
flagged "Response due" then "Overdue" by the next working day (bank holidays count as not
working); and dates are shown to people in GOV.UK style ("1 February 2027"), never ISO."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from portal.admin.activity import describe_changes
from portal.concerns.urgency import response_due, urgency
from portal.scheduling.working_days import add_working_days
from portal.testing.fixtures import login
from portal.timeutil import govuk_date, today_london, utcnow


@pytest.mark.parametrize(
    ("raised_at", "due"),
    [
        (datetime(2026, 12, 2, 10), date(2026, 12, 3)),  # Wednesday: Thursday
        (datetime(2026, 12, 4, 16), date(2026, 12, 7)),  # Friday: Monday
        (datetime(2026, 12, 5, 9), date(2026, 12, 7)),  # Saturday: Monday
        (datetime(2026, 12, 24, 12), date(2026, 12, 29)),  # Christmas and Boxing Day (moved)
        (datetime(2027, 3, 25, 12), date(2027, 3, 30)),  # Good Friday to Easter Monday
        (datetime(2026, 7, 1, 23, 30), date(2026, 7, 3)),  # 23:30 UTC is 00:30 on 2 July in London
    ],
)
def test_a_response_is_due_by_the_next_working_day_after_the_uk_day_raised(raised_at, due):
    assert response_due(raised_at) == due


def test_the_flag_says_due_then_due_today_then_overdue_and_goes_once_answered():
    raised = datetime(2026, 12, 4, 16)  # Friday; due Monday 7 December
    friday, monday, tuesday = date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)

    assert urgency(raised, None, friday).label == "Response due 7 December 2026"
    assert urgency(raised, None, monday).label == "Response due today"
    late = urgency(raised, None, tuesday)
    assert (late.label, late.colour, late.overdue) == (
        "Overdue: response was due 7 December 2026",
        "red",
        True,
    )
    assert urgency(raised, datetime(2026, 12, 5), tuesday) is None


def test_the_concerns_list_flags_each_open_concern(app, world):
    from portal.extensions import db
    from portal.models import SafeguardingConcern

    with app.app_context():
        for reference, raised_at, responded_at in (
            ("CS-1001", utcnow() - timedelta(days=10), None),
            ("CS-1002", utcnow(), None),
            ("EH-2001", utcnow() - timedelta(days=10), utcnow()),
        ):
            db.session.add(
                SafeguardingConcern(
                    case_id=world.cases[reference],
                    source_type="audit",
                    source_id="1",
                    description="Worried",
                    raised_by_id=world.users["tm_b"],
                    raised_at=raised_at,
                    responded_at=responded_at,
                    response="Seen" if responded_at else "",
                )
            )
        db.session.commit()
    client = app.test_client()
    login(client, world.emails["sgu"])
    page = client.get("/concerns/").get_data(as_text=True)

    rows = {
        ref: page.split(f">{ref}<")[1].split("</tr>")[0]
        for ref in ("CS-1001", "CS-1002", "EH-2001")
    }
    assert "Overdue: response was due" in rows["CS-1001"]
    due = govuk_date(add_working_days(today_london(), 1))
    assert f"Response due {due}" in rows["CS-1002"]
    assert "Response due" not in rows["EH-2001"] and "Overdue" not in rows["EH-2001"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2027, 2, 1), "1 February 2027"),
        (datetime(2027, 2, 1, 23, 59), "1 February 2027"),
        ("2027-02-01", "1 February 2027"),
        (" 2027-12-25 ", "25 December 2027"),
        ("2027-02-30", "2027-02-30"),  # not a date: left as typed
        ("Next week", "Next week"),
        (None, ""),
    ],
)
def test_govuk_date(value, shown):
    assert govuk_date(value) == shown


def test_the_history_shows_a_changed_date_in_words():
    assert describe_changes({"due_on": "2027-02-01"}, {"due_on": "2027-03-15"}) == [
        "Due on: from 1 February 2027 to 15 March 2027"
    ]
