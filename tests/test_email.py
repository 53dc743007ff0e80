"""Notifications by email, against a real SMTP server (aiosmtpd) started by each test."""

import logging

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

import portal.notify
from portal.concerns.service import raise_concern
from portal.extensions import db
from portal.models import Case, Notification, User
from portal.notify import notify
from portal.testing.fixtures import login
from portal.testing.smtp import SENDER, free_port, use_smtp


def check_login(server, session, envelope, mechanism, auth_data):
    """Accept only the portal's account, as a council mail relay would."""
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"portal",
        b"s3cret",
    )
    return AuthResult(success=good)


def person(world, short):
    return db.session.get(User, world.users[short])


def notifications_of(app, world, short):
    with app.app_context():
        return db.session.scalars(
            db.select(Notification).where(Notification.user_id == world.users[short])
        ).all()


def test_a_notification_is_stored_and_emailed_with_a_full_link(app, world, smtp_server):
    port, inbox = smtp_server()
    use_smtp(app, port, PORTAL_BASE_URL="https://qa.council.example/")
    with app.test_request_context("/"):
        notify(
            [person(world, "sw_a")], "Audit submitted: CS-1001", "Read the findings.", "/audits/7"
        )
        db.session.commit()
    [message] = inbox.messages
    assert message["Subject"] == "Audit submitted: CS-1001"
    assert message["To"] == world.emails["sw_a"]
    assert message["From"] == SENDER
    text = message.get_payload(decode=True).decode()
    assert "Read the findings." in text
    assert "https://qa.council.example/audits/7" in text
    [row] = notifications_of(app, world, "sw_a")
    assert row.subject == "Audit submitted: CS-1001"
    assert row.emailed_at is not None


def test_outside_a_request_the_email_gives_the_path(app, world, smtp_server):
    port, inbox = smtp_server()
    use_smtp(app, port)
    with app.app_context():
        notify([person(world, "sw_a")], "Reminder", "", "/audits/7")
        db.session.commit()
    text = inbox.messages[0].get_payload(decode=True).decode()
    assert "Open it in the portal: /audits/7" in text


def test_a_batch_goes_over_one_connection_once_each_and_not_to_inactive_people(
    app, world, smtp_server
):
    port, inbox = smtp_server()
    use_smtp(app, port)
    with app.app_context():
        person(world, "ad").active = False
        db.session.commit()
        people = [person(world, short) for short in ("hos", "sgu", "hos", "ad")]
        notify(people, "Safeguarding concern: CS-1001")
        db.session.commit()
    assert sorted(message["To"] for message in inbox.messages) == sorted(
        [world.emails["hos"], world.emails["sgu"]]
    )
    assert len(inbox.peers) == 1
    assert notifications_of(app, world, "ad") == []


def test_without_smtp_host_no_email_is_attempted(app, world, smtp_server, monkeypatch):
    port, inbox = smtp_server()
    app.config.update(SMTP_HOST="", SMTP_PORT=port)
    attempts = []
    monkeypatch.setattr(portal.notify.smtplib, "SMTP", lambda *a, **k: attempts.append(a))
    with app.test_request_context("/"):
        notify([person(world, "sw_a")], "Audit submitted: CS-1001", "", "/audits/7")
        db.session.commit()
    assert attempts == []
    assert inbox.messages == []
    [row] = notifications_of(app, world, "sw_a")
    assert row.emailed_at is None


def make_concern(app, world) -> int:
    """A concern about CS-1001 raised by tm_b, as a plugin's page would raise it."""
    with app.test_request_context("/"):
        case = db.session.get(Case, world.cases["CS-1001"])
        concern = raise_concern(case, "home_visit_note", 3, "Bruising seen.", person(world, "tm_b"))
        db.session.commit()
        return concern.id


def respond_as_sgu(app, world, concern_id):
    client = app.test_client()
    login(client, world.emails["sgu"])
    return client.post_form(f"/concerns/{concern_id}/respond", {"response": "Strategy meeting."})


def test_a_request_that_notifies_sends_the_email(app, world, smtp_server):
    concern_id = make_concern(app, world)  # SMTP not configured yet: nothing sent
    port, inbox = smtp_server()
    use_smtp(app, port, PORTAL_BASE_URL="http://localhost")
    response = respond_as_sgu(app, world, concern_id)
    assert response.status_code == 302
    [message] = inbox.messages
    assert message["To"] == world.emails["tm_b"]
    assert message["Subject"] == "Response to your safeguarding concern: CS-1001"
    text = message.get_payload(decode=True).decode()
    assert f"http://localhost/concerns/{concern_id}" in text
    assert "Strategy meeting." not in text  # the response itself stays in the portal


def test_when_the_smtp_server_is_down_the_action_still_succeeds(app, world, caplog):
    concern_id = make_concern(app, world)
    use_smtp(app, free_port())  # nothing listens there
    with caplog.at_level(logging.WARNING):
        response = respond_as_sgu(app, world, concern_id)
    assert response.status_code == 302
    [row] = [n for n in notifications_of(app, world, "tm_b") if n.subject.startswith("Response")]
    assert row.emailed_at is None
    assert "email not sent" in caplog.text


def test_smtp_login_with_the_configured_account(app, world, smtp_server):
    port, inbox = smtp_server(authenticator=check_login, auth_require_tls=False)
    use_smtp(app, port, SMTP_USERNAME="portal", SMTP_PASSWORD="s3cret")
    with app.app_context():
        notify([person(world, "sw_a")], "Reminder")
        db.session.commit()
    assert [message["Subject"] for message in inbox.messages] == ["Reminder"]
    assert notifications_of(app, world, "sw_a")[0].emailed_at is not None


def test_a_refused_login_leaves_the_notification_unsent(app, world, smtp_server, caplog):
    port, inbox = smtp_server(authenticator=check_login, auth_require_tls=False)
    use_smtp(app, port, SMTP_USERNAME="portal", SMTP_PASSWORD="wrong")
    with app.app_context(), caplog.at_level(logging.WARNING):
        notify([person(world, "sw_a")], "Reminder")
        db.session.commit()
    assert inbox.messages == []
    assert notifications_of(app, world, "sw_a")[0].emailed_at is None
    assert "email not sent" in caplog.text


@pytest.mark.parametrize("security", ["default", "starttls", "tls"])
def test_a_server_without_tls_gets_nothing_in_the_clear(app, world, smtp_server, security):
    port, inbox = smtp_server()
    default = app.config["SMTP_SECURITY"]  # as the configuration leaves it
    assert default == "starttls"
    use_smtp(app, port, SMTP_SECURITY=default if security == "default" else security)
    with app.app_context():
        notify([person(world, "sw_a")], "Reminder")
        db.session.commit()
    assert inbox.messages == []
    assert notifications_of(app, world, "sw_a")[0].emailed_at is None


def test_a_refused_address_does_not_stop_the_others(app, world, smtp_server, caplog):
    port, inbox = smtp_server()
    inbox.refuse.add(world.emails["hos"])
    use_smtp(app, port)
    with app.app_context(), caplog.at_level(logging.WARNING):
        notify([person(world, "hos"), person(world, "sgu")], "Safeguarding concern: CS-1001")
        db.session.commit()
    assert [message["To"] for message in inbox.messages] == [world.emails["sgu"]]
    assert notifications_of(app, world, "hos")[0].emailed_at is None
    assert notifications_of(app, world, "sgu")[0].emailed_at is not None
    assert world.emails["hos"] in caplog.text


@pytest.mark.parametrize("base_url", ["https://qa.council.example", ""])
def test_a_hostile_host_header_never_reaches_an_email_link(app, world, smtp_server, base_url):
    port, inbox = smtp_server()
    use_smtp(app, port, PORTAL_BASE_URL=base_url)
    with app.test_request_context("/audits/7", headers={"Host": "evil.example"}):
        notify([person(world, "sw_a")], "Audit submitted: CS-1001", "", "/audits/7")
        db.session.commit()
    text = inbox.messages[0].get_payload(decode=True).decode()
    assert "evil.example" not in text
    assert f"Open it in the portal: {base_url}/audits/7" in text


def test_only_the_trusted_hosts_are_answered(app, client):
    app.config["TRUSTED_HOSTS"] = ["qa.council.example"]
    assert client.get("/login", headers={"Host": "qa.council.example"}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/cases/", headers={"Host": "evil.example"}).status_code == 400
