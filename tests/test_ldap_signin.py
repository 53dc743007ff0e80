"""Sign-in against the council's directory (LDAP_URL), through the real sign-in page, with a
real OpenLDAP server started by the suite (``portal/testing/ldap.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.auth import ldap
from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.testing.fixtures import login
from portal.testing.ldap import PEOPLE_DN
from portal.testing.smtp import free_port
from portal.testing.world import TEST_PASSWORD

WRONG = "Enter a correct email address and password"


@pytest.fixture
def directory(app, ldap_server):
    """The portal signing in against the test directory; returns the server."""
    app.config.update(ldap_server.settings())
    return ldap_server


def outcomes(app, email: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(LoginAttempt.outcome)
                .where(LoginAttempt.email == email.lower())
                .order_by(LoginAttempt.id)
            )
        )


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is not None:
            user.roles  # noqa: B018  (loaded while the session is open)
        return user


def test_the_directory_password_signs_in(client, world, app, directory):
    email = world.emails["sw_a"]
    response = login(client, email, directory.passwords[email])
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Sophie Worker" in page  # the portal's account, with the portal's name
    assert outcomes(app, email) == ["succeeded"]


def test_the_local_password_no_longer_signs_in(client, world, app, directory):
    email = world.emails["sw_a"]
    response = login(client, email, TEST_PASSWORD)
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)


def test_a_local_account_with_no_directory_entry_is_refused(client, world, app, directory):
    email = world.emails["qa_lead"]  # has a portal password; not in the directory
    response = login(client, email, TEST_PASSWORD)
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)
    assert outcomes(app, email) == ["failed"]


def test_a_wrong_password_is_refused_and_counts_towards_the_lockout(client, world, app, directory):
    email = world.emails["sw_a"]
    for _ in range(4):
        response = login(client, email, "not-the-directory-password-1")
        assert response.status_code == 400
        assert WRONG in response.get_data(as_text=True)
    response = login(client, email, "not-the-directory-password-1")
    assert response.status_code == 429
    assert "This account is locked" in response.get_data(as_text=True)
    # locked: even the right password is not tried
    response = login(client, email, directory.passwords[email])
    assert response.status_code == 429
    assert outcomes(app, email) == ["failed"] * 5 + ["refused"]


def test_an_empty_password_is_refused_without_asking_the_directory(client, world, app, directory):
    email = world.emails["sw_a"]
    response = login(client, email, "")
    assert response.status_code == 400
    assert "Enter your password" in response.get_data(as_text=True)
    assert outcomes(app, email) == []
    # Below the form: the directory is not asked at all. It is pointed at a closed port, so
    # asking it would give "cannot be reached"; an empty password is simply wrong.
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}/"
    with app.test_request_context():
        user = user_by_email(app, email)
        assert ldap.sign_in(user, email, "") is None
        assert ldap.password_accepted(app.config, f"uid=sw.a,{PEOPLE_DN}", "") is False


def test_an_unknown_directory_user_is_refused_without_provisioning(client, app, world, directory):
    email = "new.starter@council.example"
    response = login(client, email, directory.passwords[email])
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)
    assert user_by_email(app, email) is None


def test_an_unknown_directory_user_is_made_with_no_roles_when_provisioning(
    client, app, world, directory
):
    app.config["LDAP_PROVISION_USERS"] = True
    email = "new.starter@council.example"
    response = login(client, email, directory.passwords[email])
    assert response.status_code == 302
    assert "Nia Starter" in client.get("/").get_data(as_text=True)
    user = user_by_email(app, email)
    assert (user.email, user.name, user.roles, user.active) == (email, "Nia Starter", set(), True)
    assert not verify_password(user.password_hash, directory.passwords[email])
    # the next sign-in finds the same account
    client.post_form("/logout")
    assert login(client, email, directory.passwords[email]).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.email == email)) == 1


def test_a_wrong_password_provisions_nobody(client, app, world, directory):
    app.config["LDAP_PROVISION_USERS"] = True
    email = "new.starter@council.example"
    assert login(client, email, "not-the-directory-password-1").status_code == 400
    assert user_by_email(app, email) is None


def test_someone_deactivated_in_the_portal_is_refused(client, app, world, directory):
    email = world.emails["sw_b"]
    with app.app_context():
        db.session.get(User, world.users["sw_b"]).active = False
        db.session.commit()
    response = login(client, email, directory.passwords[email])
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)


def test_a_wildcard_in_the_email_finds_nobody(client, app, world, directory):
    # Unescaped, (mail=sw.a*@council.example) would find sw.a's entry: another spelling
    # of the account, with a lockout count of its own.
    password = directory.passwords[world.emails["sw_a"]]
    response = login(client, "sw.a*@council.example", password)
    assert response.status_code == 400
    assert WRONG in response.get_data(as_text=True)
    with app.test_request_context():
        assert ldap.user_filter(app.config, "*)(mail=*") == r"(mail=\2a\29\28mail=\2a)"
        assert ldap.find_entry(app.config, "*)(mail=*") is None
        assert ldap.find_entry(app.config, "*") is None
        assert (
            ldap.find_entry(app.config, world.emails["sw_a"]).name == "S. Worker in the directory"
        )


def test_a_directory_that_cannot_be_reached_gets_a_clear_message(
    client, app, world, directory, caplog
):
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}/"  # nothing listens there
    email = world.emails["sw_a"]
    response = login(client, email, directory.passwords[email])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "The directory cannot be reached; try again later" in page
    assert "cannot be reached" in caplog.text  # logged, with the reason
    # not a wrong password: the lockout does not count it
    assert outcomes(app, email) == ["refused"]


def test_a_service_account_with_a_wrong_password_is_logged_and_explained(
    client, app, world, directory, caplog
):
    app.config["LDAP_BIND_PASSWORD"] = "not-the-service-password"
    email = world.emails["sw_a"]
    response = login(client, email, directory.passwords[email])
    assert "The directory cannot be reached; try again later" in response.get_data(as_text=True)
    assert "service account" in caplog.text


def test_an_anonymous_search_finds_nobody_where_the_directory_hides_entries(
    client, app, world, directory
):
    app.config.update(LDAP_BIND_DN="", LDAP_BIND_PASSWORD="")
    email = world.emails["sw_a"]
    assert login(client, email, directory.passwords[email]).status_code == 400


def test_the_password_cannot_be_changed_in_the_portal(client, app, world, directory):
    email = world.emails["sw_a"]
    login(client, email, directory.passwords[email])
    page = client.get("/account/password")
    assert page.status_code == 200
    assert "change it in the council&#39;s directory" in page.get_data(as_text=True).lower()
    assert 'name="password"' not in page.get_data(as_text=True)
    response = client.post_form(
        "/account/password",
        {
            "current": directory.passwords[email],
            "password": "a-new-pass-123",
            "confirm": "a-new-pass-123",
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    # nothing changed: the directory password still signs in, the portal kept no password
    client.post_form("/logout")
    assert login(client, email, directory.passwords[email]).status_code == 302
    assert not verify_password(user_by_email(app, email).password_hash, "a-new-pass-123")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"LDAP_URL": "dc1.council.internal", "LDAP_BASE_DN": "dc=x"}, "ldap:// or ldaps://"),
        ({"LDAP_URL": "ldaps://dc1.council.internal"}, "LDAP_BASE_DN must be set"),
        (
            {"LDAP_URL": "ldaps://dc1", "LDAP_BASE_DN": "dc=x", "LDAP_USER_FILTER": "(mail=*)"},
            "must contain {email}",
        ),
    ],
)
def test_half_configured_directory_sign_in_stops_the_portal_starting(
    monkeypatch, tmp_path, settings, message
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        create_app()


def test_directory_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("LDAP_URL", "ldaps://dc1.council.internal")
    monkeypatch.setenv("LDAP_BASE_DN", "OU=Staff,DC=council,DC=internal")
    monkeypatch.setenv("LDAP_START_TLS", "true")
    monkeypatch.setenv("LDAP_PROVISION_USERS", "yes")
    monkeypatch.setenv("LDAP_TIMEOUT", "3")
    config = create_app().config
    assert ldap.enabled(config)
    assert (config["LDAP_START_TLS"], config["LDAP_PROVISION_USERS"]) == (True, True)
    assert (config["LDAP_TIMEOUT"], config["LDAP_USER_FILTER"]) == (3, "(mail={email})")


@pytest.mark.parametrize("how", ["starttls", "ldaps"])
def test_an_encrypted_connection_signs_in_with_the_councils_ca(client, app, world, directory, how):
    if how == "starttls":
        app.config["LDAP_START_TLS"] = True
    else:
        app.config["LDAP_URL"] = directory.ldaps_url
    app.config["LDAP_CA_FILE"] = directory.ca_file
    email = world.emails["sw_a"]
    assert login(client, email, directory.passwords[email]).status_code == 302


@pytest.mark.parametrize("how", ["starttls", "ldaps"])
def test_a_certificate_no_trusted_ca_signed_is_refused(client, app, world, directory, caplog, how):
    # the test CA is not among the system's: the password is never sent
    if how == "starttls":
        app.config["LDAP_START_TLS"] = True
    else:
        app.config["LDAP_URL"] = directory.ldaps_url
    email = world.emails["sw_a"]
    response = login(client, email, directory.passwords[email])
    assert "The directory cannot be reached; try again later" in response.get_data(as_text=True)
    assert "cannot be reached" in caplog.text


def test_an_administrator_is_told_a_portal_password_would_not_be_used(
    client, app, world, ldap_server
):
    login(client, world.emails["admin"], TEST_PASSWORD)  # signed in before the directory
    app.config.update(ldap_server.settings())
    sophie = world.users["sw_a"]
    page = client.get(f"/admin/users/{sophie}").get_data(as_text=True)
    assert "Not used: Sophie Worker signs in with their council network password" in page
    assert f"/admin/users/{sophie}/password" not in page
    page = client.get(f"/admin/users/{sophie}/password").get_data(as_text=True)
    assert "A password set here would not be used" in page
    assert 'name="password"' not in page
    new_password = {"password": "a-new-pass-123", "confirm": "a-new-pass-123"}
    response = client.post_form(f"/admin/users/{sophie}/password", new_password)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert verify_password(user_by_email(app, world.emails["sw_a"]).password_hash, TEST_PASSWORD)
