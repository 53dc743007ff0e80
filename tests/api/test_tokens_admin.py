"""The administrators' API tokens page: issuing a token (shown once, only its digest kept),
revoking one, and nobody else getting near it."""

import hashlib
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry, ApiToken, User
from tests.api.conftest import bearer

TOKEN = re.compile(r'value="(qap_[A-Za-z0-9_-]+)"')


def _issue_through_the_page(client, world, short_name="qa_lead", name="Power BI dashboard"):
    return client.post_form(
        "/admin/tokens", {"name": name, "user_id": str(world.users[short_name])}
    )


def test_the_administration_home_page_links_to_the_tokens(login_as):
    page = login_as("admin").get("/admin/").get_data(as_text=True)
    assert 'href="/admin/tokens"' in page


def test_an_administrator_issues_a_token_that_is_shown_once_and_stored_as_a_digest(
    app, client, world, login_as
):
    login_as("admin")
    response = _issue_through_the_page(client, world)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "API token issued" in page
    assert "it will not be shown again" in page
    secret = TOKEN.search(page).group(1)
    assert len(secret) > 40

    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        assert token.name == "Power BI dashboard"
        assert token.user_id == world.users["qa_lead"]
        assert token.created_by_id == world.users["admin"]
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in {token.token_hash, token.name}
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "api_token")
        ).one()
        assert (entry.verb, entry.object_id, entry.actor_id) == (
            "issued",
            str(token.id),
            world.users["admin"],
        )
        assert entry.after == {
            "name": "Power BI dashboard",
            "user": "Quinn Lead (qa.lead@council.example)",
        }
        assert secret not in f"{entry.summary} {entry.before} {entry.after}"

    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert secret not in listing
    assert "Power BI dashboard" in listing and "Quinn Lead" in listing and "Never" in listing
    assert client.get("/api/v1/audits", headers=bearer(secret)).status_code == 200


def test_each_token_is_different(app, client, world, login_as):
    login_as("admin")
    first = TOKEN.search(_issue_through_the_page(client, world).get_data(as_text=True))
    second = TOKEN.search(_issue_through_the_page(client, world).get_data(as_text=True))
    assert first.group(1) != second.group(1)
    with app.app_context():
        assert len(set(db.session.scalars(select(ApiToken.token_hash)))) == 2


def test_the_form_needs_a_name_and_an_active_person(app, client, world, login_as):
    with app.app_context():
        db.session.get(User, world.users["sw_b"]).active = False
        db.session.commit()
    login_as("admin")
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "Sophie Worker" in page and "Sunil Worker" not in page

    response = client.post_form("/admin/tokens", {"name": " ", "user_id": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter what the token is for" in page
    assert "Choose the person whose access the token will have" in page

    response = _issue_through_the_page(client, world, "sw_b")
    assert response.status_code == 400
    assert "Choose the person whose access the token will have" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []


def test_an_administrator_revokes_a_token(app, client, world, login_as, issue):
    secret = issue("sw_a")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    login_as("admin")
    response = client.post_form(f"/admin/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/tokens"
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "is revoked" in page and "Revoked" in page
    assert f"/admin/tokens/{token_id}/revoke" not in page  # no button for a revoked token

    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None
        verbs = db.session.scalars(
            select(ActivityEntry.verb).where(ActivityEntry.object_type == "api_token")
        ).all()
        assert sorted(verbs) == ["issued", "revoked"]
    assert client.get("/api/v1/audits", headers=bearer(secret)).status_code == 401

    again = client.post_form(f"/admin/tokens/{token_id}/revoke", follow_redirects=True)
    assert "was already revoked" in again.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(select(db.func.count()).where(ActivityEntry.verb == "revoked")) == 1
        )


def test_revoking_an_unknown_token_is_a_404(client, login_as):
    login_as("admin")
    assert client.post_form("/admin/tokens/999/revoke").status_code == 404


@pytest.mark.parametrize("person", ["qa_lead", "sw_a", "hos"])
def test_nobody_but_an_administrator_may_see_issue_or_revoke_tokens(
    app, client, world, login_as, issue, person
):
    issue("sw_a")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    login_as(person)
    assert client.get("/admin/tokens").status_code == 403
    assert _issue_through_the_page(client, world, person).status_code == 403
    assert client.post_form(f"/admin/tokens/{token_id}/revoke").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 1
        assert db.session.get(ApiToken, token_id).revoked_at is None
