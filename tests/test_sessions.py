"""Sessions can be ended: signing out, a new password, deactivation and a role change end
every copy of the cookie; a working day's absolute limit; changing one's own password;
nothing about people or cases in the cookie."""

from __future__ import annotations

import time
from html import unescape

import pytest
from sqlalchemy import select

from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import Role, User
from portal.testing.fixtures import PortalClient, login
from portal.testing.world import TEST_PASSWORD

NEW_PASSWORD = "a-much-longer-secret-42"


def signed_in(app, world, short: str) -> PortalClient:
    """A new client (a browser) signed in as *short*."""
    browser = app.test_client()
    assert login(browser, world.emails[short]).status_code == 302
    return browser


def copy_of(app, browser: PortalClient) -> PortalClient:
    """Another browser carrying a copy of *browser*'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    assert thief.get("/").status_code == 200, "the copy works before anything happens"
    return thief


def is_signed_out(browser: PortalClient) -> bool:
    response = browser.get("/cases/")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def cookie_contents(app, browser: PortalClient) -> str:
    """What the session cookie holds, decoded as anyone who copies it can."""
    serializer = app.session_interface.get_signing_serializer(app)
    return repr(serializer.loads(browser.get_cookie("session").value))


def test_a_cookie_copied_before_signing_out_no_longer_works(app, world):
    browser = signed_in(app, world, "sw_a")
    thief = copy_of(app, browser)
    browser.post_form("/logout")
    assert is_signed_out(thief)
    assert is_signed_out(browser)


def test_a_password_reset_by_an_administrator_ends_the_persons_sessions(app, world):
    browser = signed_in(app, world, "sw_a")
    thief = copy_of(app, browser)
    admin = signed_in(app, world, "admin")
    url = f"/admin/users/{world.users['sw_a']}/password"
    response = admin.post_form(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert is_signed_out(thief)
    assert is_signed_out(browser)
    assert admin.get("/admin/users").status_code == 200  # the administrator is not affected


@pytest.mark.parametrize("change", ["deactivated", "role changed"])
def test_deactivation_or_a_role_change_ends_the_persons_sessions(app, world, change):
    browser = signed_in(app, world, "tm_a")
    admin = signed_in(app, world, "admin")
    with app.app_context():
        user = db.session.get(User, world.users["tm_a"])
        data = {
            "name": user.name,
            "email": user.email,
            "job_title": user.job_title,
            "team_id": user.team_id,
            "agency_id": user.agency_id,
            "line_manager_id": user.line_manager_id,
            "roles": ["team_manager", "social_worker"],
            "active": "y",
        }
    if change == "deactivated":
        data["roles"] = ["team_manager"]
        del data["active"]
    response = admin.post_form(f"/admin/users/{world.users['tm_a']}", data)
    assert response.status_code == 302
    assert is_signed_out(browser)


def test_saving_an_account_without_changing_roles_keeps_the_session(app, world):
    browser = signed_in(app, world, "tm_a")
    with app.app_context():
        user = db.session.get(User, world.users["tm_a"])
        user.job_title = "Team manager (acting)"
        user.set_roles({Role.TEAM_MANAGER})
        db.session.commit()
    assert browser.get("/cases/").status_code == 200


def test_a_busy_session_ends_after_the_absolute_limit(app, world):
    browser = signed_in(app, world, "sw_a")
    with browser.session_transaction() as session:
        session["signed_in_at"] = time.time() - 8 * 3600 - 60
        session["last_seen"] = time.time() - 60  # busy: a request a minute ago
    response = browser.get("/cases/")
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed in too long ago" in page
    assert is_signed_out(browser)


def test_the_absolute_limit_is_configured(app, world):
    app.config["SESSION_ABSOLUTE_HOURS"] = 1
    browser = signed_in(app, world, "sw_a")
    with browser.session_transaction() as session:
        session["signed_in_at"] = time.time() - 3600 + 60
    assert browser.get("/cases/").status_code == 200


def test_the_cookie_holds_no_names_and_no_case_references(app, world):
    admin = signed_in(app, world, "admin")
    url = f"/admin/users/{world.users['sw_a']}/password"
    response = admin.post_form(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    contents = cookie_contents(app, admin)
    assert "Sophie" not in contents and "Worker" not in contents
    assert "Ada" not in contents
    # the message still reaches the next page
    page = unescape(admin.get(response.headers["Location"]).get_data(as_text=True))
    assert "A new password is set for Sophie Worker." in page
    assert "Sophie" not in cookie_contents(app, admin)


def change(browser: PortalClient, current: str, new: str, confirm: str | None = None):
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return browser.post_form("/account/password", data)


def test_changing_ones_own_password_ends_the_other_sessions_only(app, world):
    browser = signed_in(app, world, "sw_a")
    other_computer = signed_in(app, world, "sw_a")
    page = browser.get("/").get_data(as_text=True)
    assert 'href="/account/password"' in page
    response = change(browser, TEST_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert "Your password is changed" in browser.get("/").get_data(as_text=True)
    assert browser.get("/cases/").status_code == 200
    assert is_signed_out(other_computer)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == world.emails["sw_a"]))
        assert verify_password(user.password_hash, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password 99", NEW_PASSWORD, None, "Your current password is not correct"),
        (TEST_PASSWORD, "short-1", None, "Password must be at least 12 characters"),
        (TEST_PASSWORD, "password1234", None, "one of the commonest passwords"),
        (TEST_PASSWORD, "Qwerty123456!", None, "one of the commonest passwords"),
        (TEST_PASSWORD, NEW_PASSWORD, "a-much-longer-secret-43", "The two passwords do not match"),
        (TEST_PASSWORD, TEST_PASSWORD, None, "must be different from the current one"),
        ("", NEW_PASSWORD, None, "Enter your current password"),
    ],
)
def test_change_password_rules(app, world, current, new, confirm, message):
    browser = signed_in(app, world, "sw_a")
    response = change(browser, current, new, confirm)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message in page
    with app.app_context():
        user = db.session.get(User, world.users["sw_a"])
        assert verify_password(user.password_hash, TEST_PASSWORD)
