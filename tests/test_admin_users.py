"""Administration of users: the list, creating, editing, passwords and who may do it."""

from html import unescape

import pytest
from sqlalchemy import func, select

from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.models import ActivityEntry, Notification, Role, User
from portal.testing.fixtures import login
from portal.testing.world import TEST_PASSWORD

NEW_PASSWORD = "a-much-longer-secret-42"
MANAGER = "#line_manager_id"


def page_text(response) -> str:
    """The response body with HTML entities turned back into characters."""
    return unescape(response.get_data(as_text=True))


def activity(app, **where) -> list[ActivityEntry]:
    """The activity entries matching *where* (column=value), oldest first."""
    with app.app_context():
        query = select(ActivityEntry).filter_by(**where).order_by(ActivityEntry.id)
        return db.session.scalars(query).all()


def activity_count(app) -> int:
    """How many entries the activity history holds (signing in adds one)."""
    return len(activity(app))


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def snapshot(app, user_id: int) -> dict:
    """Everything an edit could change about a user, to check that nothing did."""
    with app.app_context():
        user = db.session.get(User, user_id)
        return {
            "name": user.name,
            "email": user.email,
            "job_title": user.job_title,
            "team_id": user.team_id,
            "agency_id": user.agency_id,
            "line_manager_id": user.line_manager_id,
            "roles": user.roles,
            "active": user.active,
            "password_hash": user.password_hash,
        }


def form_data(app, world, short: str, **changes) -> dict:
    """The edit form of *short* as the page fills it, with *changes* applied."""
    with app.app_context():
        user = db.session.get(User, world.users[short])
        data = {
            "name": user.name,
            "email": user.email,
            "job_title": user.job_title,
            "team_id": user.team_id or "",
            "agency_id": user.agency_id or "",
            "line_manager_id": user.line_manager_id or "",
            "roles": sorted(role.value for role in user.roles),
            "active": "y" if user.active else "",
        }
    data.update(changes)
    if not data["active"]:
        del data["active"]
    return data


def new_user_data(world, **changes) -> dict:
    data = {
        "name": "Nadia New",
        "email": "Nadia.New@Council.Example",
        "job_title": "Social worker",
        "team_id": world.teams["Assessment Team"],
        "agency_id": world.agencies["CSC"],
        "line_manager_id": world.users["tm_a"],
        "roles": ["social_worker", "team_manager"],
        "active": "y",
    }
    data.update(changes)
    return data


# The list ------------------------------------------------------------------------------


def table_text(response) -> str:
    """The page's table, where the list shows its rows (the page header names the admin too)."""
    text = page_text(response)
    return text[text.find("<table") : text.find("</table>")]


def test_users_list_shows_everyone_without_password_hashes(client, world, login_as):
    login_as("admin")
    response = client.get("/admin/users")
    assert response.status_code == 200
    html = page_text(response)
    assert "<title>Users" in html
    for name in ("Ada Admin", "Sophie Worker", "Pat Constable"):
        assert name in html
    assert world.emails["sw_a"] in html
    assert "Assessment Team" in html
    assert "QA and audit lead" in html
    assert "argon2" not in html
    assert "15 users" in html


def test_users_list_filters_by_name_or_email_text(client, world, login_as):
    login_as("admin")
    html = table_text(client.get("/admin/users?q=WORKER"))
    assert "Sophie Worker" in html
    assert "Eddie Worker" in html
    assert "Ada Admin" not in html
    assert "3 users found" in html
    by_email = table_text(client.get("/admin/users?q=qa.lead@"))
    assert "Quinn Lead" in by_email
    assert "Quentin Admin" not in by_email


def test_users_list_text_filter_treats_wildcards_as_text(client, world, login_as):
    login_as("admin")
    html = page_text(client.get("/admin/users?q=%25"))
    assert "No users match these filters" in html


def test_users_list_filters_by_role(client, world, login_as):
    login_as("admin")
    html = table_text(client.get("/admin/users?role=team_manager"))
    for name in ("Tara Manager", "Tom Manager", "Erin Manager"):
        assert name in html
    assert "Sophie Worker" not in html
    assert "3 users found" in html


def test_users_list_ignores_an_unknown_role(client, world, login_as):
    login_as("admin")
    html = page_text(client.get("/admin/users?role=emperor"))
    assert "15 users" in html


def test_users_list_has_50_a_page(app, client, world, login_as):
    with app.app_context():
        db.session.add_all(
            User(email=f"extra{number:02}@council.example", name=f"Extra Person {number:02}")
            for number in range(60)
        )
        db.session.commit()
    login_as("admin")
    first = page_text(client.get("/admin/users"))
    assert first.count('<th scope="row"') == 50
    assert "75 users" in first
    assert 'href="/admin/users?page=2"' in first
    second = page_text(client.get("/admin/users?page=2"))
    assert second.count('<th scope="row"') == 25
    filtered = page_text(client.get("/admin/users?q=extra&page=2"))
    assert filtered.count('<th scope="row"') == 10
    assert "/admin/users?page=1&q=extra" in filtered


# Creating ------------------------------------------------------------------------------


def test_create_user_saves_it_and_records_it(app, client, world, login_as):
    login_as("admin")
    assert client.get("/admin/users/new").status_code == 200
    response = client.post_form("/admin/users/new", new_user_data(world))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.name == "Nadia New"))
        assert response.headers["Location"].endswith(f"/admin/users/{user.id}")
        assert user.email == "nadia.new@council.example"
        assert user.team_id == world.teams["Assessment Team"]
        assert user.line_manager_id == world.users["tm_a"]
        assert user.roles == {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
        assert user.active is True
        assert user.password_hash == ""
        user_id = user.id
    [entry] = activity(app, object_type="user", verb="created")
    assert entry.object_id == str(user_id)
    assert entry.actor_id == world.users["admin"]
    assert entry.before is None
    assert entry.after == {
        "name": "Nadia New",
        "email": "nadia.new@council.example",
        "job_title": "Social worker",
        "team": "Assessment Team",
        "agency": "Children's Social Care",
        "line_manager": "Tara Manager (tm.a@council.example)",
        "roles": ["Social worker", "Team manager"],
        "active": True,
    }


def test_create_user_refuses_an_email_already_taken_in_any_case(app, client, world, login_as):
    login_as("admin")
    entries = activity_count(app)
    before = user_count(app)
    response = client.post_form(
        "/admin/users/new", new_user_data(world, email=world.emails["sw_a"].upper())
    )
    assert response.status_code == 400
    html = page_text(response)
    assert "There is a problem" in html
    assert "Another account uses this email address" in html
    assert 'href="#email"' in html
    assert "<title>Error: Add a user" in html
    assert user_count(app) == before
    assert activity_count(app) == entries


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"name": "   "}, "Enter the person's full name", "#name"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format", "#email"),
        ({"team_id": "99999"}, "Not a valid choice", "#team_id"),
        ({"roles": ["emperor"]}, "not a valid choice", "#roles"),
    ],
)
def test_create_user_refuses_bad_input(app, client, world, login_as, changes, message, anchor):
    login_as("admin")
    entries = activity_count(app)
    before = user_count(app)
    response = client.post_form("/admin/users/new", new_user_data(world, **changes))
    assert response.status_code == 400
    html = page_text(response)
    assert message in html
    assert f'href="{anchor}"' in html
    assert user_count(app) == before
    assert activity_count(app) == entries


# Editing -------------------------------------------------------------------------------


def test_edit_page_shows_the_details_but_never_the_hash(client, world, login_as):
    login_as("admin")
    response = client.get(f"/admin/users/{world.users['sw_a']}")
    assert response.status_code == 200
    html = page_text(response)
    assert 'value="Sophie Worker"' in html
    assert "argon2" not in html
    assert "Set a password" in html


def test_edit_user_saves_only_the_changed_fields_in_the_history(app, client, world, login_as):
    login_as("admin")
    data = form_data(
        app,
        world,
        "sw_a",
        job_title="Senior social worker",
        roles=["social_worker", "qa_admin"],
        team_id=world.teams["Child Protection Team"],
        line_manager_id=world.users["tm_b"],
    )
    response = client.post_form(f"/admin/users/{world.users['sw_a']}", data)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, world.users["sw_a"])
        assert user.job_title == "Senior social worker"
        assert user.roles == {Role.SOCIAL_WORKER, Role.QA_ADMIN}
        assert user.team_id == world.teams["Child Protection Team"]
        assert user.line_manager_id == world.users["tm_b"]
    [entry] = activity(app, object_type="user", verb="changed")
    assert entry.object_id == str(world.users["sw_a"])
    assert entry.actor_id == world.users["admin"]
    assert entry.before == {
        "job_title": "Social worker",
        "team": "Assessment Team",
        "line_manager": "Tara Manager (tm.a@council.example)",
        "roles": ["Social worker"],
    }
    assert entry.after == {
        "job_title": "Senior social worker",
        "team": "Child Protection Team",
        "line_manager": "Tom Manager (tm.b@council.example)",
        "roles": ["QA administrator", "Social worker"],
    }


def test_a_role_change_is_recorded_and_the_person_told(app, client, world, login_as):
    login_as("admin")
    data = form_data(app, world, "sw_a", roles=["qa_admin"])
    assert client.post_form(f"/admin/users/{world.users['sw_a']}", data).status_code == 302
    [entry] = activity(app, object_type="user", verb="changed")
    assert (entry.before, entry.after) == (
        {"roles": ["Social worker"]},
        {"roles": ["QA administrator"]},
    )
    with app.app_context():
        [note] = db.session.scalars(
            select(Notification).where(Notification.user_id == world.users["sw_a"])
        ).all()
        assert note.subject == "Your roles in the portal have changed"
        assert "You now have the role QA administrator." in note.body
        assert "You no longer have the role Social worker." in note.body
        assert "Changed by Ada Admin" in note.body


def test_edit_user_without_changes_records_nothing(app, client, world, login_as):
    login_as("admin")
    entries = activity_count(app)
    response = client.post_form(
        f"/admin/users/{world.users['sw_a']}", form_data(app, world, "sw_a")
    )
    assert response.status_code == 302
    assert activity_count(app) == entries


def test_admin_can_deactivate_someone_else(app, client, world, login_as):
    login_as("admin")
    data = form_data(app, world, "sw_b", active="")
    assert client.post_form(f"/admin/users/{world.users['sw_b']}", data).status_code == 302
    assert snapshot(app, world.users["sw_b"])["active"] is False
    [entry] = activity(app, verb="changed")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})


def test_edit_user_can_keep_their_email_in_another_case(app, client, world, login_as):
    login_as("admin")
    data = form_data(app, world, "sw_a", email=world.emails["sw_a"].upper())
    assert client.post_form(f"/admin/users/{world.users['sw_a']}", data).status_code == 302
    assert snapshot(app, world.users["sw_a"])["email"] == world.emails["sw_a"]


@pytest.mark.parametrize(
    ("short", "changes", "message", "anchor"),
    [
        ("sw_a", {"email": "TM.B@council.example"}, "Another account uses", "#email"),
        ("sw_a", {"name": ""}, "Enter the person's full name", "#name"),
        ("sw_a", {"line_manager_id": "self"}, "cannot be their own line manager", MANAGER),
        ("sm", {"line_manager_id": "tm_a"}, "Tara Manager reports to Sam Service", MANAGER),
        ("ad", {"line_manager_id": "sw_a"}, "Sophie Worker reports to Alex Director", MANAGER),
        ("admin", {"roles": ["qa_lead"]}, "You cannot change your own roles", "#roles"),
        ("admin", {"roles": ["admin", "qa_lead"]}, "You cannot change your own roles", "#roles"),
        ("admin", {"active": ""}, "You cannot deactivate your own account", "#active"),
    ],
)
def test_edit_user_refuses_bad_input(app, client, world, login_as, short, changes, message, anchor):
    login_as("admin")
    entries = activity_count(app)
    manager = changes.get("line_manager_id")
    if manager:
        changes["line_manager_id"] = world.users[short if manager == "self" else manager]
    before = snapshot(app, world.users[short])
    response = client.post_form(
        f"/admin/users/{world.users[short]}", form_data(app, world, short, **changes)
    )
    assert response.status_code == 400
    html = page_text(response)
    assert message in html
    assert f'href="{anchor}"' in html
    assert snapshot(app, world.users[short]) == before
    assert activity_count(app) == entries


def test_unknown_user_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/admin/users/99999").status_code == 404
    assert client.get("/admin/users/99999/password").status_code == 404
    assert client.post_form("/admin/users/99999", {"name": "X"}).status_code == 404


# Passwords -----------------------------------------------------------------------------


def test_set_password_hashes_it_and_records_only_that_it_was_set(app, client, world, login_as):
    login_as("admin")
    url = f"/admin/users/{world.users['sw_a']}/password"
    assert client.get(url).status_code == 200
    response = client.post_form(url, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, world.users["sw_a"])
        assert verify_password(user.password_hash, NEW_PASSWORD)
        password_hash = user.password_hash
    [entry] = activity(app, verb="password set")
    assert entry.object_id == str(world.users["sw_a"])
    assert entry.before is None
    assert entry.after is None
    assert NEW_PASSWORD not in entry.summary
    assert password_hash not in entry.summary
    other = app.test_client()
    assert login(other, world.emails["sw_a"], NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), world.emails["sw_a"], TEST_PASSWORD).status_code != 302


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short-1", "short-1", "at least 12 characters"),
        ("onlylettershere", "onlylettershere", "mix letters with numbers or symbols"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords do not match"),
        ("", "", "Enter a new password"),
    ],
)
def test_set_password_refuses_weak_or_mismatched(
    app, client, world, login_as, password, confirm, message
):
    login_as("admin")
    entries = activity_count(app)
    before = snapshot(app, world.users["sw_a"])
    response = client.post_form(
        f"/admin/users/{world.users['sw_a']}/password", {"password": password, "confirm": confirm}
    )
    assert response.status_code == 400
    html = page_text(response)
    assert message in html
    assert password not in html or not password
    assert snapshot(app, world.users["sw_a"]) == before
    assert activity_count(app) == entries


# Who may ------------------------------------------------------------------------------


def user_urls(world) -> list[str]:
    return [
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{world.users['sw_a']}",
        f"/admin/users/{world.users['sw_a']}/password",
    ]


@pytest.mark.parametrize("short", ["qa_lead", "sw_a", "qa_admin"])
def test_non_admins_are_refused(app, client, world, login_as, short):
    login_as(short)
    entries = activity_count(app)
    before = snapshot(app, world.users["sw_a"])
    for url in user_urls(world):
        assert client.get(url).status_code == 403, url
        if url not in {"/admin/", "/admin/users"}:
            data = {**new_user_data(world), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
            assert client.post_form(url, data).status_code == 403, url
    assert snapshot(app, world.users["sw_a"]) == before
    assert user_count(app) == len(world.users)
    assert activity_count(app) == entries


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in user_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_post_without_csrf_token_changes_nothing(app, client, world, login_as):
    login_as("admin")
    entries = activity_count(app)
    before = snapshot(app, world.users["sw_a"])
    response = client.post(
        f"/admin/users/{world.users['sw_a']}",
        data=form_data(app, world, "sw_a", name="Changed Name"),
    )
    assert response.status_code == 400
    response = client.post(
        f"/admin/users/{world.users['sw_a']}/password",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert client.post("/admin/users/new", data=new_user_data(world)).status_code == 400
    assert snapshot(app, world.users["sw_a"]) == before
    assert user_count(app) == len(world.users)
    assert activity_count(app) == entries
