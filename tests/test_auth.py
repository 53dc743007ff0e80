"""Signing in and out: passwords, throttling, recorded attempts, cookies, idle sessions."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import create_app
from portal.auth.passwords import hash_password, verify_password
from portal.extensions import db
from portal.models import ActivityEntry, LoginAttempt, User
from portal.testing.fixtures import login
from portal.timeutil import utcnow


def attempts(app, email):
    with app.app_context():
        return [
            attempt.outcome
            for attempt in db.session.scalars(
                select(LoginAttempt).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
            )
        ]


def test_passwords_are_hashed_with_argon2id():
    hashed = hash_password("a long password 1")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long password 1")
    assert not verify_password(hashed, "a long password 2")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")


def test_production_hashes_are_memory_hard(tmp_path):
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    assert "$argon2id$v=19$m=65536,t=3," in hash_password("a long password 1")


def test_sign_in_leads_to_the_dashboard_and_is_recorded(client, world, app):
    response = login(client, world.emails["qa_lead"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Hello, Quinn Lead" in client.get("/").get_data(as_text=True)
    assert attempts(app, world.emails["qa_lead"]) == ["succeeded"]
    with app.app_context():
        entry = db.session.scalars(select(ActivityEntry)).one()
        assert (entry.verb, entry.object_id) == ("signed in", str(world.users["qa_lead"]))


def test_email_is_not_case_sensitive(client, world):
    assert login(client, world.emails["qa_lead"].upper()).status_code == 302


@pytest.mark.parametrize("email_kind", ["known", "unknown"])
def test_wrong_details_get_one_message_that_does_not_say_which(client, world, app, email_kind):
    email = world.emails["sw_a"] if email_kind == "known" else "nobody@council.example"
    response = login(client, email, "wrong password 99")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert attempts(app, email) == ["failed"]


def test_empty_form_says_what_is_missing(client, world):
    response = client.post_form("/login", {"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert 'href="#email"' in page  # the error summary links to the field


def test_five_failures_lock_the_account_for_fifteen_minutes(client, world, app):
    email = world.emails["sw_a"]
    for _ in range(4):
        assert "Enter a correct email" in login(client, email, "wrong").get_data(as_text=True)
    fifth = login(client, email, "wrong")
    assert fifth.status_code == 429
    assert "Too many failed sign-in attempts" in fifth.get_data(as_text=True)
    # even the right password is refused while the lock lasts
    refused = login(client, email)
    assert refused.status_code == 429
    assert "This account is locked until" in refused.get_data(as_text=True)
    assert attempts(app, email) == ["failed"] * 5 + ["refused"]
    # other accounts are not affected
    assert login(client, world.emails["sw_b"]).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, world, app):
    email = world.emails["sw_a"]
    with app.app_context():
        sixteen_minutes_ago = utcnow() - timedelta(minutes=16)
        db.session.add_all(
            LoginAttempt(
                at=sixteen_minutes_ago + timedelta(seconds=i), email=email, outcome="failed"
            )
            for i in range(5)
        )
        db.session.commit()
    assert login(client, email).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, world, app):
    with app.app_context():
        db.session.get(User, world.users["sw_a"]).active = False
        db.session.commit()
    assert login(client, world.emails["sw_a"]).status_code == 400


def test_a_deactivated_account_is_signed_out_at_once(client, login_as, world, app):
    login_as("sw_a")
    with app.app_context():
        db.session.get(User, world.users["sw_a"]).active = False
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_sign_out_needs_a_post_with_csrf(client, login_as):
    login_as("sw_a")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in
    response = client.post_form("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_next_only_leads_to_pages_of_this_site(client, world):
    token = client.csrf_token()
    data = {"email": world.emails["sw_a"], "password": "correct-horse-battery-1"}
    response = client.post("/login?next=https://evil.example/", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/"
    client.post_form("/logout")
    token = client.csrf_token()
    response = client.post("/login?next=/cases/", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/cases/"


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = login(client, world.emails["sw_a"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert re.search(r"Expires=", cookie), "the session cookie should expire"


def test_cookies_are_secure_outside_debug_and_tests(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    production = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True


def test_the_session_ends_after_the_idle_limit(client, login_as):
    login_as("sw_a")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out because you had not done anything" in page
    assert client.get("/").status_code == 302


def test_an_idle_htmx_request_is_sent_to_sign_in(client, login_as):
    login_as("sw_a")
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/login")


def test_activity_within_the_limit_keeps_the_session(client, login_as):
    login_as("sw_a")
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 29 * 60
    assert client.get("/").status_code == 200
