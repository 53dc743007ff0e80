"""The sign-in lock holds against parallel attempts, and every account costs the same work.

The portal is served on a real port by a threaded server, so the attempts really run at
the same time, each in its own thread with its own database connection.
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from argon2 import PasswordHasher

import portal.auth.views
from portal.extensions import db
from portal.models import User
from portal.testing.fixtures import login
from portal.testing.world import TEST_PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def verifications(monkeypatch):
    """How many times the sign-in page checked a password (the real check still runs)."""
    calls = []
    real = portal.auth.views.verify_password

    def counting(password_hash, password):
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(portal.auth.views, "verify_password", counting)
    return calls


class Browser:
    """One visitor with its own session cookie, talking HTTP to the live server."""

    def __init__(self, base_url: str) -> None:
        self.address = urllib.parse.urlsplit(base_url).netloc
        self.cookie = ""
        self.csrf = ""

    def _request(self, method: str, path: str, body: str = ""):
        connection = http.client.HTTPConnection(self.address, timeout=60)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            if "session" in cookie:
                self.cookie = f"session={cookie['session'].value}"
        connection.close()
        return response.status, text

    def open_sign_in(self) -> None:
        """Load the sign-in form: a session cookie and its CSRF token."""
        status, page = self._request("GET", "/login")
        assert status == 200
        self.csrf = CSRF_FIELD.search(page).group(1)

    def sign_in(self, email: str, password: str) -> int:
        """Post the sign-in form; the response's status."""
        body = urllib.parse.urlencode(
            {"email": email, "password": password, "csrf_token": self.csrf}
        )
        return self._request("POST", "/login", body)[0]


def slow_hash(app, world, short_name: str) -> None:
    """Give the account a production-cost hash: each check takes long enough to overlap."""
    with app.app_context():
        user = db.session.get(User, world.users[short_name])
        user.password_hash = PasswordHasher().hash(TEST_PASSWORD)
        db.session.commit()


def test_twenty_parallel_attempts_check_at_most_five_passwords(
    app, world, live_server, verifications
):
    slow_hash(app, world, "sw_a")
    email = world.emails["sw_a"]
    browsers = [Browser(live_server) for _ in range(20)]
    for browser in browsers:
        browser.open_sign_in()
    start = threading.Barrier(len(browsers))
    statuses = []

    def attempt(browser: Browser) -> None:
        start.wait()
        statuses.append(browser.sign_in(email, "wrong password 99"))

    threads = [threading.Thread(target=attempt, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(statuses) == 20
    assert len(verifications) <= 5, f"{len(verifications)} passwords were checked"
    assert statuses.count(429) >= 15
    # the right password, after the lock, does not sign in
    late = Browser(live_server)
    late.open_sign_in()
    assert late.sign_in(email, TEST_PASSWORD) == 429
    assert len(verifications) <= 5


@pytest.mark.parametrize("account", ["deactivated", "unknown"])
def test_every_account_costs_one_password_check(client, app, world, verifications, account):
    if account == "deactivated":
        with app.app_context():
            db.session.get(User, world.users["sw_a"]).active = False
            db.session.commit()
        email = world.emails["sw_a"]
    else:
        email = "nobody@council.example"
    response = login(client, email)
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert len(verifications) == 1
