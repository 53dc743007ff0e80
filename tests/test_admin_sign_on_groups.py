"""The administration page of the roles single sign-on grants from the directory's groups."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivityEntry, SignOnGroupRole


def rows(app) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        return [
            (row.group, row.role, row.team_id)
            for row in db.session.scalars(select(SignOnGroupRole).order_by(SignOnGroupRole.id))
        ]


def test_an_admin_adds_and_removes_a_group_role(app, world, login_as):
    client = login_as("admin")
    team = world.teams["Assessment Team"]
    response = client.post_form(
        "/admin/sign-on-groups",
        {"group": " Children-Social-Workers ", "role": "social_worker", "team_id": str(team)},
    )
    assert response.status_code == 302
    page = client.get("/admin/sign-on-groups").get_data(as_text=True)
    assert "Members of Children-Social-Workers now get the role Social worker." in page
    assert "Assessment Team" in page
    assert rows(app) == [("Children-Social-Workers", "social_worker", team)]
    with app.app_context():
        mapping_id = db.session.scalar(select(SignOnGroupRole.id))
        summaries = list(db.session.scalars(select(ActivityEntry.summary)))
    assert "Single sign-on grants Social worker to group Children-Social-Workers" in summaries

    response = client.post_form(f"/admin/sign-on-groups/{mapping_id}/remove")
    assert response.status_code == 302
    page = client.get("/admin/sign-on-groups").get_data(as_text=True)
    assert "no longer get the role Social worker" in page
    assert "No group grants a role yet." in page
    assert rows(app) == []


def test_bad_input_is_refused_and_changes_nothing(app, world, login_as):
    client = login_as("admin")
    response = client.post_form("/admin/sign-on-groups", {"group": "", "role": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter the group&#39;s name as the directory sends it" in page
    assert "Choose the role the group grants" in page
    response = client.post_form("/admin/sign-on-groups", {"group": "X", "role": "emperor"})
    assert response.status_code == 400
    assert rows(app) == []
    # the same group and role twice
    assert (
        client.post_form("/admin/sign-on-groups", {"group": "X", "role": "qa_lead"}).status_code
        == 302
    )
    response = client.post_form("/admin/sign-on-groups", {"group": "X", "role": "qa_lead"})
    assert response.status_code == 400
    assert "This group already grants this role" in response.get_data(as_text=True)
    assert rows(app) == [("X", "qa_lead", None)]


def test_a_post_without_the_csrf_token_changes_nothing(app, world, login_as):
    client = login_as("admin")
    response = client.post("/admin/sign-on-groups", data={"group": "X", "role": "qa_lead"})
    assert response.status_code == 400
    assert rows(app) == []
