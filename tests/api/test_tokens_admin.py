"""The administrators' API tokens page: every token listed, revoking one, never issuing one
in another's name, and nobody else getting near it."""

import pytest
from sqlalchemy import select

from portal.api.auth import issue_token
from portal.extensions import db
from portal.models import ActivityEntry, ApiToken, User
from tests.api.conftest import bearer


def test_the_administration_home_page_links_to_the_tokens(login_as):
    page = login_as("admin").get("/admin/").get_data(as_text=True)
    assert 'href="/admin/tokens"' in page


def test_an_administrator_lists_tokens_but_cannot_issue_one_for_anyone(
    app, client, world, login_as, issue
):
    issue("qa_lead", "Power BI dashboard")
    login_as("admin")
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert "Power BI dashboard" in listing and "Quinn Lead" in listing and "Never" in listing
    assert "Issue a token" not in listing
    response = client.post_form(
        "/admin/tokens", {"name": "Mine now", "user_id": str(world.users["qa_lead"])}
    )
    assert response.status_code == 405
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 1


def test_issuing_in_another_persons_name_is_refused_at_the_source(app, world):
    with app.app_context():
        admin = db.session.get(User, world.users["admin"])
        lead = db.session.get(User, world.users["qa_lead"])
        with pytest.raises(PermissionError):
            issue_token(lead, "Power BI", admin)


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
def test_nobody_but_an_administrator_may_see_or_revoke_everyones_tokens(
    app, client, world, login_as, issue, person
):
    issue("sw_a")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    login_as(person)
    assert client.get("/admin/tokens").status_code == 403
    assert client.post_form(f"/admin/tokens/{token_id}/revoke").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 1
        assert db.session.get(ApiToken, token_id).revoked_at is None
