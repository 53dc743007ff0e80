"""Your API tokens: each person creates (shown once, only its digest kept) and revokes
their own, and nobody else's."""

import hashlib
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry, ApiToken
from tests.api.conftest import bearer

TOKEN = re.compile(r'value="(qap_[A-Za-z0-9_-]+)"')


def create(client, name="Power BI dashboard"):
    return client.post_form("/api/tokens", {"name": name})


def test_a_person_creates_their_own_token_shown_once_and_stored_as_a_digest(
    app, client, world, login_as
):
    login_as("qa_lead")
    response = create(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "API token created" in page and "it will not be shown again" in page
    secret = TOKEN.search(page).group(1)
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        assert (token.name, token.user_id, token.created_by_id) == (
            "Power BI dashboard",
            world.users["qa_lead"],
            world.users["qa_lead"],
        )
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "api_token")
        ).one()
        assert (entry.verb, entry.actor_id) == ("issued", world.users["qa_lead"])
        assert secret not in f"{entry.summary} {entry.before} {entry.after}"
    listing = client.get("/api/tokens").get_data(as_text=True)
    assert secret not in listing and "Power BI dashboard" in listing and "Never" in listing
    assert client.get("/api/v1/audits", headers=bearer(secret)).status_code == 200


def test_each_token_is_different_and_the_name_is_required(app, client, world, login_as):
    login_as("sw_a")
    first = TOKEN.search(create(client).get_data(as_text=True)).group(1)
    second = TOKEN.search(create(client).get_data(as_text=True)).group(1)
    assert first != second
    response = create(client, " ")
    assert response.status_code == 400
    assert "Enter what the token is for" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 2


def test_a_person_sees_and_revokes_only_their_own_tokens(app, client, world, login_as, issue):
    mine = issue("sw_a", "Mine")
    theirs = issue("sw_b", "Theirs")
    with app.app_context():
        ids = dict(db.session.execute(select(ApiToken.name, ApiToken.id)).all())
    login_as("sw_a")
    page = client.get("/api/tokens").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert client.post_form(f"/api/tokens/{ids['Theirs']}/revoke").status_code == 404
    assert client.get("/api/v1/audits", headers=bearer(theirs)).status_code == 200
    response = client.post_form(f"/api/tokens/{ids['Mine']}/revoke", follow_redirects=True)
    assert "is revoked" in response.get_data(as_text=True)
    assert client.get("/api/v1/audits", headers=bearer(mine)).status_code == 401


def test_the_tokens_page_needs_a_signed_in_user(client, world):
    response = client.get("/api/tokens")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
