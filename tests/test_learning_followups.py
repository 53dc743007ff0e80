"""Learning followed to its effect: a month's learning theme given an owner, the record of
what changed, shown in later monthly reports until it is closed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.learning import service
from portal.models import LearningArea, LearningFollowUp, Notification, User
from portal.reports.monthly import build_monthly_report, report_sections
from portal.testing.fixtures import login
from portal.testing.statements import counted

NOVEMBER = date(2026, 11, 1)


def followups(app) -> list[LearningFollowUp]:
    with app.app_context():
        return list(db.session.scalars(select(LearningFollowUp)))


def give_owner(client, **fields):
    data = {
        "month": "2026-11",
        "area": "training",
        "owner_email": "",
        "learning": "Workers are unsure when neglect needs a strategy discussion.",
        **fields,
    }
    return client.post_form("/learning/follow-ups/new", data)


def test_the_qa_lead_gives_a_theme_an_owner_who_is_told(app, world, login_as):
    client = login_as("qa_lead")
    response = give_owner(client, owner_email=world.emails["hos"].upper())
    assert response.status_code == 302
    [followup] = followups(app)
    assert (followup.month, followup.area, followup.owner_id) == (
        NOVEMBER,
        "training",
        world.users["hos"],
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Training, November 2026" in page
    assert "Hana Head" in page
    with app.app_context():
        subjects = db.session.scalars(
            select(Notification.subject).where(Notification.user_id == world.users["hos"])
        ).all()
    assert subjects == ["You own a learning follow-up: Training, November 2026"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"owner_email": "nobody@council.example"}, "an active member of staff"),
        ({"learning": "   "}, "Say what the learning is"),
        ({"month": "November"}, "must be a year and month"),
        ({"month": "2099-01"}, "this month or earlier"),
        ({"month": ""}, "Enter the month of the learning"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(app, world, login_as, fields, message):
    client = login_as("qa_lead")
    response = give_owner(client, **{"owner_email": world.emails["hos"], **fields})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert followups(app) == []


def test_only_the_qa_lead_gives_owners(world, login_as):
    client = login_as("hos")
    assert client.get("/learning/follow-ups/new").status_code == 403
    assert give_owner(client, owner_email=world.emails["hos"]).status_code == 403


def make(app, world, owner="hos", month=NOVEMBER, created=datetime(2026, 11, 20)) -> int:
    with app.app_context():
        followup = service.create(
            month,
            LearningArea.SUPERVISION,
            db.session.get(User, world.users[owner]),
            "Reflective supervision is not recorded.",
            db.session.get(User, world.users["qa_lead"]),
        )
        followup.created_at = created
        db.session.commit()
        return followup.id


def test_the_owner_records_what_changed_and_closes_it(app, world, login_as):
    followup_id = make(app, world)
    client = login_as("hos")
    listing = client.get("/learning/follow-ups").get_data(as_text=True)
    assert "Supervision" in listing and "These are the follow-ups you own" not in listing
    response = client.post_form(
        f"/learning/follow-ups/{followup_id}/changes", {"text": "Template now asks for it."}
    )
    assert response.status_code == 302
    page = client.get(f"/learning/follow-ups/{followup_id}").get_data(as_text=True)
    assert "Template now asks for it." in page
    empty = client.post_form(f"/learning/follow-ups/{followup_id}/changes", {"text": ""})
    assert empty.status_code == 400 and "Say what has changed" in empty.get_data(as_text=True)
    assert client.post_form(f"/learning/follow-ups/{followup_id}/close").status_code == 302
    closed = client.get(f"/learning/follow-ups/{followup_id}").get_data(as_text=True)
    assert "Closed on" in closed and "Record the change" not in closed
    again = client.post_form(f"/learning/follow-ups/{followup_id}/changes", {"text": "More"})
    assert again.status_code == 403


def signed_in(app, world, short: str):
    """A browser of its own, signed in as *short*."""
    client = app.test_client()
    assert login(client, world.emails[short]).status_code == 302
    return client


def test_who_may_read_and_who_may_record(app, world):
    followup_id = make(app, world, owner="tm_a")
    url = f"/learning/follow-ups/{followup_id}"
    worker = signed_in(app, world, "sw_a")
    assert worker.get(url).status_code == 403
    assert "no learning follow-ups" in worker.get("/learning/follow-ups").get_data(as_text=True)
    reader = signed_in(app, world, "qa_admin")  # a report reader: reads, does not record
    assert reader.get(url).status_code == 200
    assert reader.post_form(f"{url}/changes", {"text": "x"}).status_code == 403
    assert reader.post_form(f"{url}/close").status_code == 403
    owner_list = signed_in(app, world, "tm_a").get("/learning/follow-ups").get_data(as_text=True)
    assert "These are the follow-ups you own" in owner_list and "Supervision" in owner_list


def test_later_reports_show_it_until_it_is_closed(app, world):
    followup_id = make(app, world)
    with app.app_context():
        followup = db.session.get(LearningFollowUp, followup_id)
        author = db.session.get(User, world.users["hos"])
        change = service.record_change(followup, "Supervision template changed.", author)
        change.recorded_at = datetime(2026, 12, 3, 10)
        db.session.commit()

    def shown(month: date) -> list[tuple]:
        with app.app_context():
            report = build_monthly_report(month, date(2027, 3, 1))
        [section] = [s for s in report_sections(report) if s.key == "learning-followed-up"]
        return [row[:2] + row[4:] for row in section.tables[0].rows]

    assert shown(date(2026, 10, 1)) == []
    assert shown(NOVEMBER) == [("Supervision", "November 2026", "Open", "Nothing recorded yet")]
    december = ("Supervision", "November 2026", "Open")
    assert shown(date(2026, 12, 1)) == [
        (*december, "3 December 2026: Supervision template changed.")
    ]
    with app.app_context():
        followup = db.session.get(LearningFollowUp, followup_id)
        followup.closed_at = datetime(2027, 1, 15, 12)
        db.session.commit()
    assert shown(date(2027, 1, 1))[0][2] == "Closed on 15 January 2027"
    assert shown(date(2027, 2, 1)) == []


def test_the_report_reads_follow_ups_in_the_same_statements_however_many(app, world):
    make(app, world)
    start, end = datetime(2026, 11, 1), datetime(2026, 12, 1)
    with counted(app) as few, app.app_context():
        service.reported(start, end)
    for owner in ("tm_a", "tm_b", "sm", "hos") * 5:
        make(app, world, owner=owner)
    with counted(app) as many, app.app_context():
        rows, total = service.reported(start, end)
        assert total == len(rows) == 21
    assert len(many) == len(few) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LearningFollowUp)) == 21
