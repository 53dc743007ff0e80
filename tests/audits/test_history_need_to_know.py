"""The activity history shows an object's free text only to those who may open the object."""

import types
from html import unescape

from portal.activity import record
from portal.extensions import db
from portal.history_access import readable_entries
from portal.hookspecs import PluginInfo, hookimpl
from portal.models import Action, ActivityEntry, User
from portal.testing.statements import statements_for

SECRET = "Child said the stepfather hits her"


def page(client, url: str) -> str:
    return unescape(client.get(url).get_data(as_text=True))


def write_history(app, world, audit_id: int) -> None:
    with app.app_context():
        action = Action(audit_id=audit_id, description="Review the plan")
        db.session.add(action)
        db.session.flush()
        record(
            "commented", "audit", audit_id, actor_id=world.users["tm_b"], after={"comment": SECRET}
        )
        record(
            "completed",
            "action",
            action.id,
            actor_id=world.users["sw_a"],
            summary=f"evidence: {SECRET}",
            after={"evidence": SECRET},
        )
        record("changed", "team", 1, actor_id=world.users["admin"], summary="Renamed the team")
        db.session.commit()


def test_the_admin_sees_that_an_audit_changed_but_not_what_was_written(
    app, client, world, allocated, login_as
):
    audit_id = allocated("CS-1001", "tm_b")
    write_history(app, world, audit_id)
    login_as("admin")
    for url in (
        "/admin/activity",
        "/admin/activity?object_type=audit",
        "/admin/activity?object_type=action",
    ):
        html = page(client, url)
        assert SECRET not in html
    html = page(client, "/admin/activity")
    assert "hidden: you cannot open this audit" in html
    assert "hidden: you cannot open this action" in html
    assert f"Audit {audit_id}" in html
    assert "Renamed the team" in html  # the organisation's own history is shown in full
    assert client.get(f"/audits/{audit_id}").status_code == 403  # the same rule as the audit


def test_readers_who_may_open_the_audit_read_its_history(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    write_history(app, world, audit_id)
    with app.app_context():
        entries = db.session.scalars(db.select(ActivityEntry)).all()
        case_entries = {e.id for e in entries if e.object_type in {"audit", "action"}}
        assert case_entries <= readable_entries(
            db.session.get(User, world.users["qa_lead"]), entries
        )
        assert case_entries <= readable_entries(db.session.get(User, world.users["tm_b"]), entries)
        # the case's worker may not open the audit before it is submitted; another team's
        # worker and a partner-agency auditor never may
        for short in ("sw_a", "sw_b", "police", "admin"):
            user = db.session.get(User, world.users[short])
            assert not case_entries & readable_entries(user, entries), short


def test_the_history_filters_by_object_number_and_pages_with_htmx(
    app, client, world, allocated, login_as
):
    audit_id = allocated("CS-1001", "tm_b")
    write_history(app, world, audit_id)
    login_as("admin")
    html = page(client, f"/admin/activity?object_type=audit&object_id={audit_id}")
    assert f"Audit {audit_id}" in html
    assert "Renamed the team" not in html
    response = client.get(
        "/admin/activity?object_type=team",
        headers={"HX-Request": "true", "HX-Target": "activity-results"},
    )
    fragment = unescape(response.get_data(as_text=True))
    assert fragment.lstrip().startswith('<div id="activity-results">')
    assert "Renamed the team" in fragment
    assert "<html" not in fragment


def note_plugin(readable_ids: set[str]) -> types.ModuleType:
    module = types.ModuleType("history_note.plugin")

    @hookimpl
    def portal_plugin_info():
        return PluginInfo("history_note", "History note", "1.0", "Notes for tests.")

    @hookimpl
    def portal_history_readable(user, object_type, object_ids):
        if object_type != "history_note":
            return None
        return {value for value in object_ids if value in readable_ids}

    module.portal_plugin_info = portal_plugin_info
    module.portal_history_readable = portal_history_readable
    return module


def test_hook_portal_history_readable_decides_for_a_plugins_objects(app, client, world, login_as):
    host = app.extensions["portal.plugins"]
    host.add("history_note", note_plugin({"1"}))
    with app.app_context():
        host.set_enabled("history_note", True, actor_id=None)
        record("wrote", "history_note", 1, actor_id=None, summary="Open note")
        record("wrote", "history_note", 2, actor_id=None, summary=SECRET)
        record("wrote", "unknown_thing", 3, actor_id=None, summary="Unknown " + SECRET)
        db.session.commit()
    login_as("admin")
    html = page(client, "/admin/activity")
    assert "Open note" in html
    assert SECRET not in html
    assert "hidden: you cannot open this history note" in html
    assert "hidden: you cannot open this unknown thing" in html


def test_the_history_pages_sql_does_not_grow_with_its_entries(app, client, world, login_as):
    login_as("admin")

    def add(count: int, start: int) -> None:
        with app.app_context():
            for number in range(start, start + count):
                kind = ("audit", "action", "safeguarding_concern", "user")[number % 4]
                record("changed", kind, number, actor_id=world.users["qa_lead"], summary=SECRET)
            db.session.commit()

    add(4, 1)
    few = statements_for(app, client, "/admin/activity")
    add(46, 100)
    many = statements_for(app, client, "/admin/activity")
    assert many == few
