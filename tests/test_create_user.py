"""``flask --app portal create-user``: how the first administrator is made."""

import pytest
from sqlalchemy import func, select

from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import ActivityEntry, Role, User
from portal.testing.fixtures import login

PASSWORD = "Strong-pass-123"


def create(runner, *extra: str, email: str = "Ada.Admin@Council.example", **kwargs):
    args = ["create-user", "--email", email, "--name", "Ada Admin", *extra]
    return runner.invoke(args=args, **kwargs)


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_creates_an_admin_who_can_then_sign_in(app, runner, client):
    result = create(runner, "--role", "admin", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Created user ada.admin@council.example with roles: admin" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ada.admin@council.example"
        assert user.name == "Ada Admin"
        assert user.roles == {Role.ADMIN}
        assert user.password_hash != PASSWORD
        assert verify_password(user.password_hash, PASSWORD)
        entry = db.session.scalar(select(ActivityEntry))
        assert (entry.verb, entry.object_type, entry.object_id) == ("created", "user", str(user.id))
        assert entry.actor_id is None
        assert entry.after == {
            "email": "ada.admin@council.example",
            "name": "Ada Admin",
            "roles": ["admin"],
        }
    response = login(client, "ada.admin@council.example", PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_several_roles_and_a_team(app, runner, world):
    result = create(
        runner,
        "--role",
        "qa_lead",
        "--role",
        "QA_ADMIN",
        "--team",
        "Assessment Team",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert "with roles: qa_admin, qa_lead" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ada.admin@council.example"))
        assert user.roles == {Role.QA_LEAD, Role.QA_ADMIN}
        assert user.team_id == world.teams["Assessment Team"]


def test_an_unknown_team_is_refused_with_the_teams_listed(app, runner, world):
    before = user_count(app)
    result = create(runner, "--role", "admin", "--team", "Nowhere", "--password", PASSWORD)
    assert result.exit_code != 0
    assert "Nowhere" in result.output
    assert "Assessment Team" in result.output
    assert user_count(app) == before


def test_an_existing_email_is_refused_whatever_its_case(app, runner):
    assert create(runner, "--role", "admin", "--password", PASSWORD).exit_code == 0
    result = create(
        runner, "--role", "qa_lead", "--password", PASSWORD, email="ADA.ADMIN@council.example"
    )
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert user_count(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ActivityEntry)) == 1


def test_an_unknown_role_is_refused_with_the_valid_roles_listed(app, runner):
    result = create(runner, "--role", "boss", "--password", PASSWORD)
    assert result.exit_code != 0
    assert "boss" in result.output
    for role in Role:
        assert role.value in result.output
    assert user_count(app) == 0


def test_a_role_is_required(app, runner):
    result = create(runner, "--password", PASSWORD)
    assert result.exit_code != 0
    assert "--role" in result.output
    assert user_count(app) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [("short-1", "at least 12 characters"), ("onlylettershere", "mix letters")],
)
def test_a_weak_password_is_refused(app, runner, password, message):
    result = create(runner, "--role", "admin", "--password", password)
    assert result.exit_code == 1
    assert message in result.output
    assert user_count(app) == 0


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "ada@localhost"])
def test_an_invalid_email_is_refused(app, runner, email):
    result = create(runner, "--role", "admin", "--password", PASSWORD, email=email)
    assert result.exit_code != 0
    assert "--email" in result.output
    assert user_count(app) == 0


def test_the_password_is_asked_for_hidden_and_twice(app, runner, client):
    answers = f"{PASSWORD}\nA-typo-in-it-9\n{PASSWORD}\n{PASSWORD}\n"
    result = create(runner, "--role", "admin", input=answers)
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "do not match" in result.output
    assert PASSWORD not in result.output
    assert login(client, "ada.admin@council.example", PASSWORD).status_code == 302
