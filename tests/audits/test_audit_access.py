"""Every audit URL, tried as every person of the test council, before and after submission.

Nobody without a relation to the audit gets anything but 403 or 404: not other workers,
not other teams' managers, not partner-agency auditors, not administrators.
"""

import pytest

from portal.testing.fixtures import login
from portal.testing.world import PEOPLE
from tests.audits.test_audit_pages import form_data

EVERYONE = [short for short, *_ in PEOPLE]
OVERSIGHT = {"qa_lead", "qa_admin", "sgu"}
CASE_PEOPLE = {"sw_a", "tm_a", "sm", "hos", "ad"}  # the worker and the chain above CS-1001
AUDITOR = "tm_b"
READ_ONLY = {"audits.show", "audits.print_view", "audits.pdf"}
EDITING_PAGES = {"audits.edit", "audits.changes"}  # pages only the auditors of a draft get


def audit_routes(app):
    """Every route of the core that takes an audit id (new routes are tried automatically).

    A plugin's own pages about one of its audits (the practitioner's reflection on an
    observation of practice, say) answer 404 for another process's audit, as they should:
    each plugin walks them with an audit of its own process, as every person, in its tests.
    """
    plugins = set(app.extensions["portal.plugins"].installed)
    routes = []
    for rule in app.url_map.iter_rules():
        if "audit_id" not in rule.arguments or rule.endpoint.split(".")[0] in plugins:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule, method))
    return routes


def url_for_rule(rule, audit_id, action_id):
    values = {"audit_id": audit_id}
    if "action_id" in rule.arguments:
        values["action_id"] = action_id
    if "section_key" in rule.arguments:
        values["section_key"] = "supervision"  # filled after submission by the case manager
    path = rule.build(values)[1]
    return path + ("?section=plan" if rule.endpoint == "audits.add_action" else "")


def allowed(person, endpoint, method, submitted):
    may_view = person == AUDITOR or person in OVERSIGHT or (submitted and person in CASE_PEOPLE)
    if endpoint == "scheduling.joint_audit":  # the QA lead sets up joint audits of drafts
        return person == "qa_lead" and not submitted
    if endpoint == "moderation.moderate":  # the QA lead moderates submitted audits
        return person == "qa_lead" and submitted
    if endpoint == "audits.record_after":  # the worker's manager, once it is submitted
        return person == "tm_a" and submitted
    if endpoint == "audit_cancel.cancel_audit":  # the QA lead and admins, before submission
        return person in {"qa_lead", "admin"} and not submitted
    if endpoint in READ_ONLY or (method == "GET" and endpoint not in EDITING_PAGES):
        return may_view
    if endpoint.startswith("audits.") and endpoint != "audits.comment":
        return person == AUDITOR and not submitted  # editing
    return may_view and (submitted or endpoint != "audits.comment")


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_every_audit_url_as_every_person(app, world, allocated, submitted):
    audit_id = allocated("CS-1001", AUDITOR)
    auditor = app.test_client()
    login(auditor, world.emails[AUDITOR])
    auditor.post_form(
        f"/audits/{audit_id}/actions?section=records",
        {
            "new-records-description": "Do it",
            "new-records-priority": "low",
            "new-records-owner": str(world.users["sw_a"]),
            "new-records-due-day": "1",
            "new-records-due-month": "1",
            "new-records-due-year": "2031",
        },
    )
    if submitted:
        response = auditor.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit"))
        assert response.status_code == 302
    with app.app_context():
        from portal.extensions import db
        from portal.models import Action

        action_id = db.session.scalars(db.select(Action.id)).first()
    routes = audit_routes(app)
    assert len(routes) >= 9
    failures = []
    for person in EVERYONE:
        client = app.test_client()
        login(client, world.emails[person])
        for rule, method in routes:
            url = url_for_rule(rule, audit_id, action_id)
            if method == "GET":
                status = client.get(url).status_code
            else:
                status = client.post_form(url, {"revision": "0", "comment": "x"}).status_code
            refused = status in (403, 404, 409)
            expected_refusal = not allowed(person, rule.endpoint, method, submitted)
            if refused != expected_refusal:
                failures.append(f"{person} {method} {url}: {status}")
    assert not failures, "\n".join(failures)


def test_an_action_owner_from_elsewhere_may_read_the_submitted_audit(app, world, allocated):
    audit_id = allocated("CS-1001", AUDITOR)
    auditor = app.test_client()
    login(auditor, world.emails[AUDITOR])
    owner = app.test_client()
    login(owner, world.emails["eh_w"])
    auditor.post_form(
        f"/audits/{audit_id}/actions?section=records",
        {
            "new-records-description": "Share the plan with Early Help",
            "new-records-priority": "low",
            "new-records-owner": str(world.users["tm_a"]),
            "new-records-due-day": "1",
            "new-records-due-month": "1",
            "new-records-due-year": "2031",
        },
    )
    with app.app_context():
        from portal.extensions import db
        from portal.models import Action

        action = db.session.scalars(db.select(Action)).one()
        action.owner_id = world.users["eh_w"]  # someone outside the case's chain
        db.session.commit()
    assert owner.get(f"/audits/{audit_id}").status_code == 403  # a draft: not yet
    auditor.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit"))
    assert owner.get(f"/audits/{audit_id}").status_code == 200
    assert owner.get(f"/audits/{audit_id}/edit").status_code == 403


def test_the_audits_list_and_the_audit_page_agree_on_who_sees_what(app, world, allocated):
    """visible_audits (lists, the API) is the SQL twin of can_view (pages)."""
    from portal.audits.access import can_view
    from portal.audits.listing import visible_audits
    from portal.extensions import db
    from portal.models import Action, Audit, User

    draft = allocated("CS-1001", AUDITOR)
    shown = allocated("CS-1002", "tm_a")
    with app.app_context():
        audit = db.session.get(Audit, shown)
        audit.submitted_at = audit.created_at
        db.session.add(Action(audit_id=shown, description="x", owner_id=world.users["eh_w"]))
        db.session.commit()
        for person in EVERYONE:
            user = db.session.get(User, world.users[person])
            listed = set(db.session.scalars(visible_audits(user).with_only_columns(Audit.id)))
            for audit_id in (draft, shown):
                assert (audit_id in listed) == can_view(user, db.session.get(Audit, audit_id)), (
                    person,
                    audit_id,
                )
