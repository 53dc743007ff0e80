"""Sections filled after submission (issue 12, point 6): the mini audit's "Discussed in
supervision" is recorded by the case holder's manager once the audit is submitted."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry, Audit, Notification
from tests.audits.test_audit_pages import form_data

MANAGER = "tm_a"  # Sophie Worker's line manager, and the manager of CS-1001's team


def supervision(day: date | None = None, note="We agreed to share the plan with school."):
    day = day or date.today() - timedelta(days=2)
    return {
        "supervision-discussed_on-day": str(day.day),
        "supervision-discussed_on-month": str(day.month),
        "supervision-discussed_on-year": str(day.year),
        "supervision-note": note,
    }


@pytest.fixture
def submitted(app, client, login_as, allocated):
    """A mini audit of CS-1001 by Tom Manager, submitted without the supervision section."""
    audit_id = allocated("CS-1001", "tm_b")
    login_as("tm_b")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert 'name="supervision-note"' not in page  # not the auditor's to fill
    assert "The case holder&#39;s manager records this after you submit the audit" in page
    response = client.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit"))
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    return audit_id


def test_the_case_holders_manager_records_the_discussion_with_history(
    app, client, login_as, world, submitted
):
    with app.app_context():  # the manager was told, on submission, that it is theirs
        asked = db.session.scalars(
            select(Notification.user_id).where(
                Notification.subject == "To record: Discussed in supervision, CS-1001"
            )
        ).all()
    assert asked == [world.users[MANAGER]]
    login_as(MANAGER)
    page = client.get(f"/audits/{submitted}").get_data(as_text=True)
    assert "Not recorded yet" in page and 'name="supervision-note"' in page
    day = date.today() - timedelta(days=2)
    response = client.post_form(f"/audits/{submitted}/after/supervision", supervision(day))
    assert response.status_code == 302
    page = client.get(f"/audits/{submitted}").get_data(as_text=True)
    assert "We agreed to share the plan with school." in page
    assert "Recorded by Tara Manager on" in page
    # changed later: both recordings stay in the history
    client.post_form(f"/audits/{submitted}/after/supervision", supervision(day, "Plan shared."))
    with app.app_context():
        answers = db.session.get(Audit, submitted).answers()["supervision"]
        assert answers == {"discussed_on": day.isoformat(), "note": "Plan shared."}
        entries = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "recorded after submission")
        ).all()
        assert [entry.after.get("supervision.note") for entry in entries] == [
            "We agreed to share the plan with school.",
            "Plan shared.",
        ]
        told = db.session.scalars(select(Notification.subject)).all()
        assert "Discussed in supervision: CS-1001" in told  # the auditor hears of it
    assert client.get(f"/audits/{submitted}").get_data(as_text=True).count("Recorded by") == 2


@pytest.mark.parametrize("person", ["tm_b", "sw_a", "qa_lead", "sm", "eh_m"])
def test_nobody_else_may_record_it(client, login_as, submitted, person):
    login_as(person)
    response = client.post_form(f"/audits/{submitted}/after/supervision", supervision())
    assert response.status_code == 403


def test_not_before_submission_and_not_a_section_the_auditor_fills(
    client, login_as, allocated, submitted
):
    draft = allocated("CS-1001", "tm_b")
    login_as(MANAGER)
    assert client.post_form(f"/audits/{draft}/after/supervision", supervision()).status_code == 403
    assert client.post_form(f"/audits/{submitted}/after/visit", supervision()).status_code == 403
    assert client.post_form(f"/audits/{submitted}/after/nothing", supervision()).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (supervision(date.today() + timedelta(days=1)), "must be today or in the past"),
        (
            {
                **supervision(),
                "supervision-discussed_on-day": "31",
                "supervision-discussed_on-month": "2",
            },
            "must be a real date",
        ),
        ({**supervision(), "supervision-discussed_on-day": ""}, "must be a real date"),
        (supervision(note=""), "Enter an answer to ‘A note of the discussion’"),
        ({}, "Enter an answer to ‘When was it discussed?’"),
    ],
)
def test_a_bad_date_or_a_missing_answer_changes_nothing(
    app, client, login_as, submitted, fields, message
):
    login_as(MANAGER)
    response = client.post_form(f"/audits/{submitted}/after/supervision", fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    with app.app_context():
        assert "supervision" not in db.session.get(Audit, submitted).answers()


@pytest.mark.postgresql
def test_two_recordings_at_the_same_moment_take_turns(app, world, submitted):
    """Two managers' recordings of one audit on two servers: the second waits for the first
    (a row lock) and takes the next revision, instead of failing on the same number."""
    from portal.audits import after, service
    from portal.models import AuditRevision, User

    first_holds_its_change, errors = threading.Event(), []

    def recording(note: str, hold: threading.Event | None, release: threading.Event | None):
        try:
            with app.app_context():
                audit = db.session.get(Audit, submitted)
                section = service.form_of(audit).section("supervision")
                manager = db.session.get(User, world.users[MANAGER])
                day = date.today().isoformat()
                incoming = {"supervision.discussed_on": day, "supervision.note": note}
                assert after.record_after(audit, section, incoming, manager, date.today()) == []
                db.session.flush()
                if hold is not None:
                    hold.set()
                    release.wait(30)
                db.session.commit()
        except Exception as error:  # reported to the test below
            errors.append(error)

    release = threading.Event()
    first = threading.Thread(target=recording, args=("First.", first_holds_its_change, release))
    first.start()
    assert first_holds_its_change.wait(30)
    second = threading.Thread(target=recording, args=("Second.", None, None))
    second.start()
    second.join(1)
    assert second.is_alive()  # waiting for the first recording's lock
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    with app.app_context():
        notes = db.session.scalars(
            select(AuditRevision.changes)
            .where(AuditRevision.audit_id == submitted)
            .order_by(AuditRevision.revision.desc())
            .limit(2)
        ).all()
        assert [changes.get("supervision.note") for changes in notes] == ["Second.", "First."]
        assert db.session.get(Audit, submitted).answers()["supervision"]["note"] == "Second."
