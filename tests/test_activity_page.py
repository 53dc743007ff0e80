"""The activity history page: newest first, readable, filtered, paginated and read-only."""

from datetime import datetime
from html import unescape

import pytest

from portal.activity import record
from portal.admin.activity import describe_changes
from portal.extensions import db


def page_text(response) -> str:
    """The response body with HTML entities turned back into characters."""
    return unescape(response.get_data(as_text=True))


def table_text(response) -> str:
    """The history table only (the page header names the signed-in admin too)."""
    text = page_text(response)
    return text[text.find("<table") : text.find("</table>")]


def add_entries(app, world, *entries: dict) -> None:
    """Write activity entries straight into the history, as the rest of the portal would."""
    with app.app_context():
        for fields in entries:
            at = fields.pop("at", None)
            entry = record(**fields)
            if at is not None:
                entry.at = at
        db.session.commit()


@pytest.fixture
def history(app, world):
    """Three entries in the past by a person, an admin and the system."""
    add_entries(
        app,
        world,
        {
            "verb": "changed",
            "object_type": "user",
            "object_id": world.users["sw_a"],
            "actor_id": world.users["admin"],
            "summary": "Changed the account of Sophie Worker",
            "before": {"job_title": "Social worker", "active": True, "roles": ["Social worker"]},
            "after": {
                "job_title": "Senior social worker",
                "active": False,
                "roles": ["QA administrator", "Social worker"],
            },
            "at": datetime(2026, 7, 1, 12, 5),
        },
        {
            "verb": "created",
            "object_type": "team",
            "object_id": world.teams["Assessment Team"],
            "actor_id": world.users["qa_lead"],
            "summary": "Created the team Assessment Team",
            "after": {"name": "Assessment Team", "manager": None},
            "at": datetime(2026, 1, 15, 9, 30),
        },
        {
            "verb": "enabled",
            "object_type": "plugin",
            "object_id": "example",
            "actor_id": None,
            "summary": "Example tool enabled",
            "before": {"enabled": False},
            "after": {"enabled": True},
            "at": datetime(2025, 12, 1, 8, 0),
        },
    )


def test_activity_page_shows_entries_newest_first_in_london_time(client, history, login_as):
    login_as("admin")
    response = client.get("/admin/activity")
    assert response.status_code == 200
    html = table_text(response)
    summer = html.index("1 July 2026, 13:05")  # 12:05 UTC is 13:05 British Summer Time
    winter = html.index("15 January 2026, 09:30")  # GMT in winter
    oldest = html.index("1 December 2025, 08:00")
    assert summer < winter < oldest
    assert "Changed the account of Sophie Worker" in html
    assert "Created the team Assessment Team" in html
    assert ">System</td>" in html
    assert ">Quinn Lead</td>" in html
    assert ">Ada Admin</td>" in html
    assert "Plugin example" in html


def test_activity_page_shows_before_and_after_in_words(client, history, login_as):
    login_as("admin")
    html = table_text(client.get("/admin/activity"))
    assert "Job title: from Social worker to Senior social worker" in html
    assert "Active: from Yes to No" in html
    assert "Roles: from Social worker to QA administrator, Social worker" in html
    assert "Manager: nothing" in html
    assert "Enabled: from No to Yes" in html


def test_describe_changes_covers_added_changed_and_removed_fields():
    assert describe_changes(None, {"name": "A"}) == ["Name: A"]
    assert describe_changes({"name": "A", "team": "T"}, {"name": "B"}) == [
        "Name: from A to B",
        "Team: was T",
    ]
    assert describe_changes({"roles": []}, {"roles": ["X", "Y"]}) == ["Roles: from nothing to X, Y"]
    assert describe_changes(None, None) == []


def test_activity_page_filters_by_object_type(client, history, login_as):
    login_as("admin")
    response = client.get("/admin/activity?object_type=team")
    assert response.status_code == 200
    html = table_text(response)
    assert "Created the team Assessment Team" in html
    assert "Changed the account of Sophie Worker" not in html
    assert "Example tool enabled" not in html
    assert "1 entry" in html
    assert '<option value="team" selected>Team</option>' in page_text(response)


def test_activity_page_filters_by_actor(client, world, history, login_as):
    login_as("admin")
    by_lead = table_text(client.get(f"/admin/activity?actor={world.users['qa_lead']}"))
    assert "Created the team Assessment Team" in by_lead
    assert "Changed the account of Sophie Worker" not in by_lead
    by_system = table_text(client.get("/admin/activity?actor=system"))
    assert "Example tool enabled" in by_system
    assert "Created the team Assessment Team" not in by_system
    assert "1 entry" in by_system


def test_activity_page_filters_combine(client, world, history, login_as):
    login_as("admin")
    url = f"/admin/activity?object_type=user&actor={world.users['qa_lead']}"
    assert "There is no activity that matches these filters" in page_text(client.get(url))


def test_activity_page_ignores_unknown_filter_values(client, history, login_as):
    login_as("admin")
    html = table_text(client.get("/admin/activity?object_type=nonsense&actor=nobody"))
    assert "Created the team Assessment Team" in html
    assert "Example tool enabled" in html


def test_activity_page_shows_what_the_admin_pages_record(app, client, world, login_as):
    login_as("admin")
    data = {"code": "EDGE", "name": "Edge of Care"}
    assert client.post_form("/admin/services/new", data).status_code == 302
    html = table_text(client.get("/admin/activity?object_type=service"))
    assert "Created the service Edge of Care" in html
    assert "Code: EDGE" in html
    assert ">Ada Admin</td>" in html


def test_activity_page_has_50_a_page(app, client, world, login_as):
    add_entries(
        app,
        world,
        *(
            {
                "verb": "changed",
                "object_type": "team",
                "object_id": number,
                "actor_id": None,
                "summary": f"Entry number {number:02}",
                "at": datetime(2026, 3, 1, 10, number),
            }
            for number in range(55)
        ),
    )
    login_as("admin")
    first = table_text(client.get("/admin/activity?object_type=team"))
    assert first.count("<time ") == 50
    assert "Entry number 54" in first
    assert "Entry number 04" not in first
    full = page_text(client.get("/admin/activity?object_type=team"))
    assert "/admin/activity?object_type=team&page=2" in full
    second = table_text(client.get("/admin/activity?object_type=team&page=2"))
    assert second.count("<time ") == 5
    assert "Entry number 00" in second


def test_activity_page_is_read_only(client, world, login_as):
    login_as("admin")
    assert client.post_form("/admin/activity", {"object_type": "user"}).status_code == 405


@pytest.mark.parametrize("short", ["qa_lead", "sw_a", "sgu"])
def test_non_admins_are_refused(client, world, login_as, short):
    login_as(short)
    assert client.get("/admin/activity").status_code == 403
    assert client.get("/admin/activity?object_type=user").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/admin/activity")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
