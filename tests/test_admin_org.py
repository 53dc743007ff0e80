"""Administration of the organisation: the roles page, teams and services."""

from html import unescape

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry, Role, Service, Team, User


def page_text(response) -> str:
    """The response body with HTML entities turned back into characters."""
    return unescape(response.get_data(as_text=True))


def activity(app, **where) -> list[ActivityEntry]:
    """The activity entries matching *where* (column=value), oldest first."""
    with app.app_context():
        query = select(ActivityEntry).filter_by(**where).order_by(ActivityEntry.id)
        return db.session.scalars(query).all()


def teams_and_services(app) -> tuple[list, list]:
    """Every team and service as plain tuples, to check that nothing changed."""
    with app.app_context():
        teams = db.session.execute(
            select(Team.id, Team.name, Team.service_id, Team.manager_id).order_by(Team.id)
        ).all()
        services = db.session.execute(
            select(Service.id, Service.code, Service.name).order_by(Service.id)
        ).all()
        return [tuple(row) for row in teams], [tuple(row) for row in services]


# Roles ---------------------------------------------------------------------------------


def test_roles_page_lists_every_role_with_its_holders(app, client, world, login_as):
    with app.app_context():
        db.session.get(User, world.users["sw_b"]).set_roles({Role.SOCIAL_WORKER, Role.QA_ADMIN})
        db.session.commit()
    login_as("admin")
    response = client.get("/admin/roles")
    assert response.status_code == 200
    html = page_text(response)
    for role in Role:
        assert role.label in html
        assert role.description in html
        assert f'href="/admin/users?role={role.value}"' in html
    row = html[html.index("QA administrator</th>") :]
    row = row[: row.index("</tr>")]
    assert "2 people" in row
    assert "Quentin Admin" in row
    assert "Sunil Worker" in row
    admin_row = html[html.index("Administrator</th>") :]
    assert "1 person" in admin_row[: admin_row.index("</tr>")]


def test_roles_page_names_ten_holders_then_counts_the_rest(app, client, world, login_as):
    with app.app_context():
        for number in range(12):
            person = User(email=f"worker{number:02}@council.example", name=f"Worker {number:02}")
            person.set_roles({Role.SOCIAL_WORKER})
            db.session.add(person)
        db.session.commit()
    login_as("admin")
    html = page_text(client.get("/admin/roles"))
    row = html[html.index("Social worker</th>") :]
    row = row[: row.index("</tr>")]
    assert "14 people" in row
    assert row.count("<li>") == 11
    assert "and 4 more" in row


# Teams ---------------------------------------------------------------------------------


def test_teams_list_shows_service_manager_and_member_count(client, world, login_as):
    login_as("admin")
    response = client.get("/admin/teams")
    assert response.status_code == 200
    html = page_text(response)
    row = html[html.index("Assessment Team</a>") :]
    row = row[: row.index("</tr>")]
    assert "Children's Social Care" in row
    assert "Tara Manager" in row
    assert ">2</td>" in row


def test_create_team_saves_it_and_records_it(app, client, world, login_as):
    login_as("admin")
    assert client.get("/admin/teams/new").status_code == 200
    response = client.post_form(
        "/admin/teams/new",
        {
            "name": "Front Door",
            "service_id": world.services["MASH"],
            "manager_id": world.users["mash_hos"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Front Door"))
        assert team.service_id == world.services["MASH"]
        assert team.manager_id == world.users["mash_hos"]
        team_id = team.id
    [entry] = activity(app, object_type="team")
    assert entry.verb == "created"
    assert entry.object_id == str(team_id)
    assert entry.actor_id == world.users["admin"]
    assert entry.before is None
    assert entry.after == {
        "name": "Front Door",
        "service": "Multi-Agency Safeguarding Hub",
        "manager": "Maya Hub (mash.hos@council.example)",
    }


def test_edit_team_records_only_what_changed(app, client, world, login_as):
    login_as("admin")
    team_id = world.teams["Assessment Team"]
    assert 'value="Assessment Team"' in page_text(client.get(f"/admin/teams/{team_id}"))
    response = client.post_form(
        f"/admin/teams/{team_id}",
        {
            "name": "Assessment Team",
            "service_id": world.services["CSC"],
            "manager_id": world.users["tm_b"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Team, team_id).manager_id == world.users["tm_b"]
    [entry] = activity(app, object_type="team")
    assert entry.verb == "changed"
    assert entry.before == {"manager": "Tara Manager (tm.a@council.example)"}
    assert entry.after == {"manager": "Tom Manager (tm.b@council.example)"}


def test_edit_team_can_remove_its_manager(app, client, world, login_as):
    login_as("admin")
    team_id = world.teams["Early Help North"]
    data = {"name": "Early Help North", "service_id": world.services["EH"], "manager_id": ""}
    assert client.post_form(f"/admin/teams/{team_id}", data).status_code == 302
    with app.app_context():
        assert db.session.get(Team, team_id).manager_id is None
    [entry] = activity(app, object_type="team")
    assert entry.after == {"manager": None}


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"name": "child protection team"}, "There is already a team with this name", "#name"),
        ({"name": " "}, "Enter the team's name", "#name"),
        ({"service_id": ""}, "Choose the service the team belongs to", "#service_id"),
        ({"manager_id": "99999"}, "Not a valid choice", "#manager_id"),
    ],
)
def test_team_forms_refuse_bad_input(app, client, world, login_as, changes, message, anchor):
    login_as("admin")
    entries = len(activity(app))
    before = teams_and_services(app)
    data = {"name": "New Team", "service_id": world.services["CSC"], "manager_id": "", **changes}
    for url in ("/admin/teams/new", f"/admin/teams/{world.teams['Assessment Team']}"):
        response = client.post_form(url, data)
        assert response.status_code == 400, url
        html = page_text(response)
        assert message in html
        assert f'href="{anchor}"' in html
    assert teams_and_services(app) == before
    assert len(activity(app)) == entries


# Services ------------------------------------------------------------------------------


def test_services_list_shows_codes_and_teams(client, world, login_as):
    login_as("admin")
    response = client.get("/admin/services")
    assert response.status_code == 200
    html = page_text(response)
    row = html[html.index("Early Help</a>") :]
    row = row[: row.index("</tr>")]
    assert "<code>EH</code>" in row
    assert "Early Help North" in row
    assert "Multi-Agency Safeguarding Hub" in html


def test_create_service_saves_it_and_records_it(app, client, world, login_as):
    login_as("admin")
    assert client.get("/admin/services/new").status_code == 200
    data = {"code": "EDGE_2", "name": "Edge of Care"}
    response = client.post_form("/admin/services/new", data)
    assert response.status_code == 302
    with app.app_context():
        service = db.session.scalar(select(Service).where(Service.code == "EDGE_2"))
        assert service.name == "Edge of Care"
        service_id = service.id
    [entry] = activity(app, object_type="service")
    assert (entry.verb, entry.object_id) == ("created", str(service_id))
    assert entry.before is None
    assert entry.after == data


def test_edit_service_records_only_what_changed(app, client, world, login_as):
    login_as("admin")
    service_id = world.services["EH"]
    assert 'value="EH"' in page_text(client.get(f"/admin/services/{service_id}"))
    data = {"code": "EH", "name": "Early Help and Prevention"}
    assert client.post_form(f"/admin/services/{service_id}", data).status_code == 302
    with app.app_context():
        assert db.session.get(Service, service_id).name == "Early Help and Prevention"
    [entry] = activity(app, object_type="service")
    assert entry.verb == "changed"
    assert entry.before == {"name": "Early Help"}
    assert entry.after == {"name": "Early Help and Prevention"}


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        (
            {"code": "csc-2"},
            "Code must contain only capital letters, digits and underscores",
            "#code",
        ),
        ({"code": "edge"}, "Code must contain only capital letters", "#code"),
        ({"code": "CSC"}, "There is already a service with this code", "#code"),
        ({"code": ""}, "Enter the service's code", "#code"),
        ({"code": "X" * 21}, "Code must be 20 characters or fewer", "#code"),
        ({"name": "early help"}, "There is already a service with this name", "#name"),
        ({"name": ""}, "Enter the service's name", "#name"),
    ],
)
def test_service_forms_refuse_bad_input(app, client, world, login_as, changes, message, anchor):
    login_as("admin")
    entries = len(activity(app))
    before = teams_and_services(app)
    data = {"code": "NEW", "name": "New Service", **changes}
    for url in ("/admin/services/new", f"/admin/services/{world.services['MASH']}"):
        response = client.post_form(url, data)
        assert response.status_code == 400, url
        html = page_text(response)
        assert message in html
        assert f'href="{anchor}"' in html
    assert teams_and_services(app) == before
    assert len(activity(app)) == entries


def test_unknown_team_or_service_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/admin/teams/99999").status_code == 404
    assert client.get("/admin/services/99999").status_code == 404
    assert client.post_form("/admin/teams/99999", {"name": "X"}).status_code == 404
    assert client.post_form("/admin/services/99999", {"code": "X"}).status_code == 404


# Who may -------------------------------------------------------------------------------


def org_urls(world) -> list[str]:
    return [
        "/admin/roles",
        "/admin/teams",
        "/admin/teams/new",
        f"/admin/teams/{world.teams['Assessment Team']}",
        "/admin/services",
        "/admin/services/new",
        f"/admin/services/{world.services['CSC']}",
    ]


FORM_URLS = {"/admin/teams/new", "/admin/services/new"}


@pytest.mark.parametrize("short", ["qa_lead", "sw_a", "tm_a"])
def test_non_admins_are_refused(app, client, world, login_as, short):
    login_as(short)
    entries = len(activity(app))
    before = teams_and_services(app)
    data = {"name": "Taken Over", "code": "TAKEN", "service_id": world.services["CSC"]}
    for url in org_urls(world):
        assert client.get(url).status_code == 403, url
        if url in FORM_URLS or url[-1].isdigit():
            assert client.post_form(url, data).status_code == 403, url
    assert teams_and_services(app) == before
    assert len(activity(app)) == entries


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in org_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_post_without_csrf_token_changes_nothing(app, client, world, login_as):
    login_as("admin")
    entries = len(activity(app))
    before = teams_and_services(app)
    team_data = {"name": "Renamed", "service_id": world.services["CSC"], "manager_id": ""}
    service_data = {"code": "RENAMED", "name": "Renamed"}
    posts = [
        ("/admin/teams/new", team_data),
        (f"/admin/teams/{world.teams['Assessment Team']}", team_data),
        ("/admin/services/new", service_data),
        (f"/admin/services/{world.services['CSC']}", service_data),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 400, url
    assert teams_and_services(app) == before
    assert len(activity(app)) == entries
