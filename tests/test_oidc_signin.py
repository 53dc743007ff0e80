"""Single sign-on with OpenID Connect, through the real sign-in pages, against a real
OpenID provider (panva's oidc-provider under Node) started by the suite
(``portal/testing/oidc.py``). The person's browser at the provider is a ``requests``
session following its login and consent forms; at the portal, the Flask test client."""

from __future__ import annotations

import html
import logging
import time

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from portal import create_app
from portal.auth import oidc
from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import LoginAttempt, Role, SignOnGroupRole, Team, User
from portal.testing.fixtures import login
from portal.testing.oidc import (
    CLIENT_ID,
    KEY_ID,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_REDIRECT_URI,
    query,
)
from portal.testing.world import TEST_PASSWORD


@pytest.fixture
def provider(app, oidc_provider):
    """The portal signing in with the test provider, whose people are as
    :data:`portal.testing.oidc.PEOPLE` has them; returns the provider."""
    oidc_provider.reset_people()
    app.config.update(oidc_provider.settings())
    yield oidc_provider
    oidc_provider.reset_people()


def start(client) -> str:
    """Press the sign-in button; return the provider's authorisation URL."""
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Test Council" in page
    response = client.get("/auth/oidc/start")
    assert response.status_code == 302
    return response.headers["Location"]


def sign_in(client, provider, login_id: str):
    """Sign in at the provider as *login_id*; return the portal's answer to the callback."""
    callback = provider.log_in(start(client), login_id)
    return client.get(callback)


def finish_with(client, provider, authorize_url: str, id_token: str):
    """Sign in at the provider, but have its token response carry *id_token*."""
    callback = provider.log_in(authorize_url, "0001-sw-a")
    provider.next_id_token(id_token)
    return client.get(callback)


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is not None:
            user.roles  # noqa: B018  (loaded while the session is open)
        return user


def outcomes(app, email: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(LoginAttempt.outcome)
                .where(LoginAttempt.email == email.lower())
                .order_by(LoginAttempt.id)
            )
        )


def id_token_claims(provider, nonce: str, **overrides) -> dict:
    """The claims of an ID token the provider would issue to the portal for sw.a."""
    now = int(time.time())
    return {
        "iss": provider.issuer,
        "aud": CLIENT_ID,
        "sub": "0001-sw-a",
        "email": "sw.a@council.example",
        "nonce": nonce,
        "iat": now,
        "exp": now + 600,
        **overrides,
    }


def signed(claims: dict, key: RSAKey) -> str:
    return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)


def refused_because(response, caplog, reason: str) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert oidc.FAILED in page
    assert reason in caplog.text


def test_the_button_signs_in_with_the_provider(client, app, world, provider):
    authorize_url = start(client)
    asked = query(authorize_url)
    assert authorize_url.startswith(f"{provider.issuer}/auth?")
    assert (asked["response_type"], asked["code_challenge_method"]) == ("code", "S256")
    assert asked["state"] and asked["nonce"] and asked["code_challenge"]
    response = client.get(provider.log_in(authorize_url, "0001-sw-a"))
    assert response.status_code == 302
    assert "Hello, Sophie Worker" in client.get("/").get_data(as_text=True)
    user = user_by_email(app, world.emails["sw_a"])
    assert user.oidc_subject == "0001-sw-a"
    assert user.roles == {Role.SOCIAL_WORKER}  # the portal's roles
    assert outcomes(app, world.emails["sw_a"]) == ["succeeded"]


def test_no_button_without_an_issuer(client, world):
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)
    assert client.get("/auth/oidc/start").status_code == 404


def test_an_unknown_person_is_refused_without_provisioning(client, app, world, provider):
    response = sign_in(client, provider, "0003-new-starter")
    assert response.status_code == 403
    assert oidc.NO_ACCOUNT in response.get_data(as_text=True)
    assert user_by_email(app, "new.starter@council.example") is None
    assert outcomes(app, "new.starter@council.example") == ["refused"]


def test_an_unknown_person_is_made_with_no_roles_when_provisioning(client, app, world, provider):
    app.config["OIDC_PROVISION_USERS"] = True
    response = sign_in(client, provider, "0003-new-starter")
    assert response.status_code == 302
    assert "Hello, Nia Starter" in client.get("/").get_data(as_text=True)
    user = user_by_email(app, "new.starter@council.example")
    assert (user.name, user.roles, user.oidc_subject) == ("Nia Starter", set(), "0003-new-starter")


def test_the_subject_still_matches_after_an_email_change(app, world, provider):
    assert sign_in(app.test_client(), provider, "0001-sw-a").status_code == 302
    provider.set_person("0001-sw-a", email="sophie.worker@council.example")
    client = app.test_client()
    assert sign_in(client, provider, "0001-sw-a").status_code == 302
    assert "Hello, Sophie Worker" in client.get("/").get_data(as_text=True)


def test_an_account_linked_to_another_subject_is_never_relinked(app, world, provider):
    assert sign_in(app.test_client(), provider, "0001-sw-a").status_code == 302
    provider.set_person("0009-someone-else", email="sw.a@council.example", name="Impostor")
    response = sign_in(app.test_client(), provider, "0009-someone-else")
    assert response.status_code == 403
    assert oidc.LINKED_ELSEWHERE in response.get_data(as_text=True)
    assert user_by_email(app, world.emails["sw_a"]).oidc_subject == "0001-sw-a"


def test_a_person_deactivated_in_the_portal_is_refused(client, app, world, provider):
    with app.app_context():
        db.session.get(User, world.users["sw_a"]).active = False
        db.session.commit()
    response = sign_in(client, provider, "0001-sw-a")
    assert response.status_code == 403
    assert oidc.DEACTIVATED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    assert outcomes(app, world.emails["sw_a"]) == ["refused"]


def test_an_id_token_issued_to_another_application_is_refused(client, world, provider, caplog):
    caplog.set_level(logging.WARNING)
    authorize_url = start(client)
    nonce = query(authorize_url)["nonce"]
    # A real token from the same provider, for the same person and nonce, but issued to
    # another application (its audience): what a malicious application could replay.
    other = requests.Request(
        "GET",
        f"{provider.issuer}/auth",
        params={
            "client_id": OTHER_CLIENT_ID,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": OTHER_REDIRECT_URI,
            "nonce": nonce,
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
        },
    ).prepare()
    code = query(provider.log_in(other.url, "0001-sw-a"))["code"]
    tokens = requests.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OTHER_REDIRECT_URI,
            "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        },
        auth=(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET),
        timeout=10,
    ).json()
    response = finish_with(client, provider, authorize_url, tokens["id_token"])
    refused_because(response, caplog, "Invalid claim: 'aud'")
    assert client.get("/").status_code == 302  # not signed in


def test_an_id_token_signed_with_another_key_is_refused(client, world, provider, caplog):
    caplog.set_level(logging.WARNING)
    # The provider's own key: accepted (the token itself is fine) ...
    authorize_url = start(client)
    claims = id_token_claims(provider, query(authorize_url)["nonce"])
    response = finish_with(client, provider, authorize_url, signed(claims, provider.key))
    assert response.status_code == 302
    # ... the same claims under another key with the provider's key id: refused.
    client = client.application.test_client()
    authorize_url = start(client)
    claims = id_token_claims(provider, query(authorize_url)["nonce"])
    forger = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})
    response = finish_with(client, provider, authorize_url, signed(claims, forger))
    refused_because(response, caplog, "BadSignatureError")
    assert client.get("/").status_code == 302


def test_an_expired_id_token_is_refused(client, world, provider, caplog):
    caplog.set_level(logging.WARNING)
    authorize_url = start(client)
    an_hour_ago = int(time.time()) - 3600
    claims = id_token_claims(
        provider, query(authorize_url)["nonce"], iat=an_hour_ago - 600, exp=an_hour_ago
    )
    response = finish_with(client, provider, authorize_url, signed(claims, provider.key))
    refused_because(response, caplog, "ExpiredTokenError")
    assert client.get("/").status_code == 302


def test_a_replayed_state_is_refused(client, world, provider, caplog):
    caplog.set_level(logging.WARNING)
    callback = provider.log_in(start(client), "0001-sw-a")
    assert client.get(callback).status_code == 302
    client.post_form("/logout")
    response = client.get(callback)  # the same answer again, in the same browser
    refused_because(response, caplog, "MismatchingStateError")
    assert client.get("/").status_code == 302


def test_a_replayed_nonce_is_refused(app, world, provider, caplog):
    caplog.set_level(logging.WARNING)
    first = app.test_client()
    assert sign_in(first, provider, "0001-sw-a").status_code == 302
    with app.app_context():
        earlier_token = db.session.get(User, world.users["sw_a"]).oidc_id_token
    client = app.test_client()
    response = finish_with(client, provider, start(client), earlier_token)
    refused_because(response, caplog, "nonce")
    assert client.get("/").status_code == 302


def test_group_roles_are_granted_and_taken_back_but_hand_set_roles_stay(
    client, app, world, provider
):
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Assessment Team"))
        db.session.add_all(
            [
                SignOnGroupRole(group="QA-Leads", role=Role.QA_LEAD.value),
                SignOnGroupRole(group="Social-Workers", role=Role.SOCIAL_WORKER.value),
                SignOnGroupRole(
                    group="Starters", role=Role.EARLY_HELP_WORKER.value, team_id=team.id
                ),
            ]
        )
        db.session.commit()
        team_id = team.id
    # sw.a holds social_worker set by hand; their groups carry it too, and QA lead
    provider.set_person("0001-sw-a", groups=["QA-Leads", "Social-Workers", "Unmapped"])
    assert sign_in(client, provider, "0001-sw-a").status_code == 302
    user = user_by_email(app, world.emails["sw_a"])
    assert user.roles == {Role.SOCIAL_WORKER, Role.QA_LEAD}
    # the administrator's page of the person says which role a group granted
    admin = app.test_client()
    login(admin, world.emails["admin"], TEST_PASSWORD)
    page = html.unescape(admin.get(f"/admin/users/{user.id}").get_data(as_text=True))
    granted = "Granted by a single sign-on group: taken away at their next sign-on"
    assert page.count(granted) == 1
    assert f"{Role.QA_LEAD.description} {granted}" in page
    # the groups change at the directory: QA lead goes, the hand-set role stays
    provider.set_person("0001-sw-a", groups=[])
    client.post_form("/logout")
    assert sign_in(client, provider, "0001-sw-a").status_code == 302
    assert user_by_email(app, world.emails["sw_a"]).roles == {Role.SOCIAL_WORKER}
    # a provisioned starter gets the mapped role and team
    app.config["OIDC_PROVISION_USERS"] = True
    provider.set_person("0003-new-starter", groups=["Starters"])
    assert sign_in(app.test_client(), provider, "0003-new-starter").status_code == 302
    starter = user_by_email(app, "new.starter@council.example")
    assert (starter.roles, starter.team_id) == ({Role.EARLY_HELP_WORKER}, team_id)


def test_with_local_passwords_off_only_break_glass_admins_use_a_password(
    client, app, world, provider
):
    app.config.update(AUTH_LOCAL_PASSWORDS=False, AUTH_BREAK_GLASS_ADMINS=[world.emails["admin"]])
    response = login(client, world.emails["sw_a"], TEST_PASSWORD)
    assert response.status_code == 400
    assert "Passwords for this portal are switched off" in response.get_data(as_text=True)
    assert outcomes(app, world.emails["sw_a"]) == ["refused"]
    response = login(client, world.emails["admin"], TEST_PASSWORD)
    assert response.status_code == 302
    assert "Hello, Ada Admin" in client.get("/").get_data(as_text=True)


def test_signing_out_after_single_sign_on_signs_out_at_the_provider(client, app, world, provider):
    assert sign_in(client, provider, "0001-sw-a").status_code == 302
    with app.app_context():
        id_token = db.session.get(User, world.users["sw_a"]).oidc_id_token
    response = client.post_form("/logout")
    assert response.status_code == 302
    end_session = response.headers["Location"]
    assert end_session.startswith(f"{provider.issuer}/session/end?")
    assert query(end_session)["id_token_hint"] == id_token
    assert query(end_session)["post_logout_redirect_uri"] == "http://localhost/login"
    # the provider accepts it: its "sign out?" page, not an error
    page = requests.get(end_session, timeout=10)
    assert page.status_code == 200
    assert "logout" in page.text.lower()
    assert client.get("/").status_code == 302  # signed out of the portal
    # after a password sign-in, signing out stays in the portal
    login(client, world.emails["sw_a"], TEST_PASSWORD)
    assert client.post_form("/logout").headers["Location"].endswith("/login")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"OIDC_ISSUER": "http://login.council.example"}, "must be an https:// URL"),
        ({"OIDC_ISSUER": "https://login.council.example"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
        (
            {
                "OIDC_ISSUER": "https://login.council.example",
                "OIDC_CLIENT_ID": "portal",
                "OIDC_CLIENT_SECRET": "secret",
                "OIDC_SCOPES": "email profile",
            },
            "must include openid",
        ),
        ({"AUTH_LOCAL_PASSWORDS": "false"}, "needs OIDC_ISSUER or LDAP_URL"),
    ],
)
def test_half_configured_single_sign_on_stops_the_portal_starting(
    monkeypatch, tmp_path, settings, message
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        create_app()


def test_single_sign_on_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("OIDC_ISSUER", "https://login.microsoftonline.com/tenant/v2.0/")
    monkeypatch.setenv("OIDC_CLIENT_ID", "portal")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "secret")
    monkeypatch.setenv("AUTH_LOCAL_PASSWORDS", "false")
    monkeypatch.setenv("AUTH_BREAK_GLASS_ADMINS", " IT.Emergency@council.example, b@x.example")
    config = create_app().config
    assert config["OIDC_ISSUER"] == "https://login.microsoftonline.com/tenant/v2.0"
    assert (config["OIDC_SCOPES"], config["OIDC_GROUPS_CLAIM"]) == (
        "openid email profile",
        "groups",
    )
    assert config["AUTH_LOCAL_PASSWORDS"] is False
    assert config["AUTH_BREAK_GLASS_ADMINS"] == ["it.emergency@council.example", "b@x.example"]


def test_with_local_passwords_off_no_password_is_set_or_changed_but_a_break_glass_admins(
    client, app, world, provider
):
    app.config.update(AUTH_LOCAL_PASSWORDS=False, AUTH_BREAK_GLASS_ADMINS=[world.emails["admin"]])
    login(client, world.emails["admin"], TEST_PASSWORD)
    sophie, admin = world.users["sw_a"], world.users["admin"]
    page = client.get(f"/admin/users/{sophie}").get_data(as_text=True)
    assert "Not used: Sophie Worker signs in with “Sign in with Test Council”" in page
    assert f"/admin/users/{sophie}/password" not in page
    response = client.post_form(
        f"/admin/users/{sophie}/password",
        {"password": "a-new-pass-123", "confirm": "a-new-pass-123"},
    )
    assert response.status_code == 400
    assert "the portal&#39;s own passwords are switched off" in response.get_data(as_text=True)
    assert f"/admin/users/{admin}/password" in client.get(f"/admin/users/{admin}").get_data(
        as_text=True
    )  # the break-glass administrator's own password still signs them in
    client.post_form("/logout")
    assert sign_in(client, provider, "0001-sw-a").status_code == 302
    page = client.get("/account/password").get_data(as_text=True)
    assert "there is no password to change here" in page
    assert 'name="password"' not in page
    with app.app_context():
        assert verify_password(db.session.get(User, sophie).password_hash, TEST_PASSWORD)
