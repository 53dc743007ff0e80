"""Rules every page keeps: sign-in first, CSRF on every POST, 403 pages, security headers."""

import pytest
from werkzeug.routing import IntegerConverter, Rule

from portal.auth import PUBLIC_ENDPOINTS


def example_url(rule: Rule) -> str:
    """A URL for *rule* with a plausible value for each of its arguments."""
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        kind = type(converter).__name__
        if isinstance(converter, IntegerConverter):
            values[argument] = 1
        elif kind == "AnyConverter":
            values[argument] = sorted(converter.items)[0]
        else:
            values[argument] = "x"
    return rule.build(values)[1]


def routes(app, method: str) -> list[str]:
    """Every page of *method* (the token-protected API answers 401 itself: tests/api)."""
    return sorted(
        example_url(rule)
        for rule in app.url_map.iter_rules()
        if method in rule.methods
        and rule.endpoint not in PUBLIC_ENDPOINTS
        and not rule.endpoint.startswith("api.")
    )


def test_every_page_but_sign_in_and_healthz_sends_visitors_to_sign_in(app, client):
    pages = routes(app, "GET")
    assert "/" in pages and "/admin/plugins" in pages
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_every_post_sends_visitors_to_sign_in(app, client):
    for url in routes(app, "POST"):
        response = client.post(url, data={"csrf_token": client.csrf_token()})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_every_post_without_a_csrf_token_is_refused(app, client, login_as):
    login_as("admin")
    urls = routes(app, "POST")
    assert "/logout" in urls
    for url in urls:
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, url
        assert "Nothing was changed" in response.get_data(as_text=True), url


def test_public_pages_need_no_sign_in(client):
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/portal.css").status_code == 200


def test_a_user_without_the_role_gets_a_403_page_not_a_stack_trace(client, login_as):
    login_as("sw_a")
    response = client.get("/admin/")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You do not have access to this page" in page
    assert "Traceback" not in page


def test_unknown_pages_get_a_404_page(client, login_as):
    login_as("sw_a")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/login", "/healthz"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_only_inline_script_carries_the_pages_nonce(client):
    response = client.get("/login")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.get_data(as_text=True)
    assert page.count("<script>") == 0
    assert f'<script nonce="{nonce}">' in page


def test_signed_in_pages_are_not_cached(client, login_as):
    login_as("sw_a")
    assert client.get("/").headers["Cache-Control"] == "no-store"
