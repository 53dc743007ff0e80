"""Behind the HTTPS proxy: with PROXY_COUNT set, the client's address and the scheme come
from the proxy's X-Forwarded-* headers, and HSTS is sent; without it they are ignored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import LoginAttempt
from portal.testing.fixtures import PortalClient

FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


@pytest.fixture
def behind_proxy(app):
    """The portal on the test database, configured for one proxy in front of it."""
    proxied = create_app({**app.config, "PROXY_COUNT": 1})
    proxied.test_client_class = PortalClient
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def recorded_address(application) -> str:
    with application.app_context():
        return db.session.scalars(select(LoginAttempt.remote_addr)).one()


def sign_in_attempt(application) -> None:
    client = application.test_client()
    token = client.csrf_token()
    data = {"email": "someone@council.example", "password": "wrong password 9", "csrf_token": token}
    # over HTTPS, Flask-WTF also wants a Referer from this site
    response = client.post(
        "/login", data=data, headers={**FORWARDED, "Referer": "https://localhost/login"}
    )
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_behind_a_proxy_https_gets_hsts_and_the_clients_address_is_recorded(behind_proxy):
    response = behind_proxy.test_client().get("/login", headers=FORWARDED)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    sign_in_attempt(behind_proxy)
    assert recorded_address(behind_proxy) == "203.0.113.9"


def test_behind_a_proxy_plain_http_gets_no_hsts(behind_proxy):
    headers = {**FORWARDED, "X-Forwarded-Proto": "http"}
    response = behind_proxy.test_client().get("/login", headers=headers)
    assert "Strict-Transport-Security" not in response.headers


def test_without_a_proxy_forwarded_headers_are_not_believed(app):
    response = app.test_client().get("/login", headers=FORWARDED)
    assert "Strict-Transport-Security" not in response.headers
    sign_in_attempt(app)
    assert recorded_address(app) == "127.0.0.1"
