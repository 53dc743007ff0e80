"""API tokens expire (90 days by default, configurable); the tokens page shows when, and
when each token was last used."""

from datetime import timedelta
from html import unescape

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken
from portal.timeutil import to_london, utcnow
from tests.api.conftest import bearer


def the_token(app) -> ApiToken:
    with app.app_context():
        return db.session.scalars(select(ApiToken)).one()


def test_a_token_expires_ninety_days_after_it_is_issued(app, issue):
    issue("qa_lead")
    token = the_token(app)
    assert token.expires_at - token.created_at == timedelta(days=90)


def test_the_lifetime_is_configured(app, issue):
    app.config["API_TOKEN_DAYS"] = 30
    issue("qa_lead")
    token = the_token(app)
    assert token.expires_at - token.created_at == timedelta(days=30)


def test_an_expired_token_gets_401(app, client, issue):
    secret = issue("qa_lead")
    assert client.get("/api/v1/audits", headers=bearer(secret)).status_code == 200
    with app.app_context():
        db.session.scalars(select(ApiToken)).one().expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get("/api/v1/audits", headers=bearer(secret))
    assert response.status_code == 401
    assert "expired" in response.get_data(as_text=True)


def test_the_tokens_page_shows_expiry_and_last_use(app, client, issue, login_as):
    secret = issue("qa_lead")
    client.get("/api/v1/audits", headers=bearer(secret))
    token = the_token(app)
    assert token.last_used_at is not None
    login_as("admin")
    row = unescape(client.get("/admin/tokens").get_data(as_text=True))
    row = row[row.index(f'id="token-{token.id}"') :]
    row = row[: row.index("</tr>")]
    used, expires = to_london(token.last_used_at), to_london(token.expires_at)
    assert f"{used.day} {used:%B %Y, %H:%M}" in row
    assert f"{expires.day} {expires:%B %Y}" in row
    assert "Active" in row
    with app.app_context():
        db.session.scalars(select(ApiToken)).one().expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    row = client.get("/admin/tokens").get_data(as_text=True)
    assert "Expired" in row
