"""The practitioner's reflection: who may read it, who may write it, bad input, the history,
the observer told, and the practitioner's box on the home page."""

from datetime import date

import pytest

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.tests.helpers import OBSERVER, PRACTITIONER, observation
from portal.plugin_api import ActivityEntry, Case, Notification, User, allocate, db
from portal.plugin_api.testing import login

OVERSIGHT = {"qa_lead", "qa_admin", "sgu"}
CASE_PEOPLE = {"sw_a", "tm_a", "sm", "hos", "ad"}  # the practitioner and the chain above
REFLECTION = {
    "went_well": "I saw the children on their own first.",
    "differently": "Explain the plan's next step more plainly.",
    "support": "",
}


def may_read(person: str, submitted: bool) -> bool:
    """The observation's own rule (the portal's rule for an audit)."""
    return person == OBSERVER or person in OVERSIGHT or (submitted and person in CASE_PEOPLE)


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_every_page_about_an_observation_as_every_person(app, world, enable_plugins, submitted):
    """Like the core's walk of the audit pages: every route of the plugin that takes an
    audit id, as every person of the test council."""
    enable_plugins("practice_observation")
    audit_id = observation(app, world, submitted=submitted)
    routes = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("practice_observation.") and "audit_id" in rule.arguments
    ]
    assert routes
    failures = []
    for person in world.users:
        client = app.test_client()
        login(client, world.emails[person])
        for rule in routes:
            url = rule.build({"audit_id": audit_id})[1]
            got = client.get(url).status_code
            if (got == 200) != may_read(person, submitted) or got not in (200, 403):
                failures.append(f"{person} GET {url}: {got}")
            got = client.post_form(url, {"went_well": "x"}).status_code
            writes = person == PRACTITIONER and submitted
            if (got not in (403, 404)) != writes:
                failures.append(f"{person} POST {url}: {got}")
    assert not failures, "\n".join(failures)


def test_another_processs_audit_has_no_reflection_page(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("practice_observation", "csc_audit")
    with app.app_context():
        audit = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            app.extensions["portal.plugins"].process("csc_audit"),
            [db.session.get(User, world.users[OBSERVER])],
            allocated_by=None,
            allocated_on=date(2026, 11, 2),
        )
        db.session.commit()
        audit_id = audit.id
    login_as("qa_lead")  # who may read every audit
    assert client.get(f"/audits/{audit_id}").status_code == 200
    assert client.get(f"/practice_observation/{audit_id}/reflection").status_code == 404


def test_the_practitioner_writes_and_changes_their_reflection_and_the_observer_is_told(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("practice_observation")
    audit_id = observation(app, world, submitted=True)
    url = f"/practice_observation/{audit_id}/reflection"
    login_as(PRACTITIONER)
    page = client.get(url).get_data(as_text=True)
    assert "Add your reflection" in page and "Only you, the observer" in page
    response = client.post_form(url, REFLECTION)
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Your reflection is saved." in page
    assert "I saw the children on their own first." in page
    client.post_form(url, {**REFLECTION, "support": "Shadow a colleague's visit."})
    with app.app_context():
        (saved,) = db.session.scalars(db.select(Reflection)).all()
        assert saved.support == "Shadow a colleague's visit."
        assert saved.author_id == world.users[PRACTITIONER]
        history = db.session.scalars(
            db.select(ActivityEntry.verb).where(
                ActivityEntry.object_type == "audit", ActivityEntry.object_id == str(audit_id)
            )
        ).all()
        assert history[-2:] == ["reflection added", "reflection changed"]
        told = db.session.scalars(
            db.select(Notification.user_id).where(Notification.link == url)
        ).all()
        assert set(told) == {world.users[OBSERVER]}
    observer = app.test_client()
    login(observer, world.emails[OBSERVER])
    page = observer.get(url).get_data(as_text=True)
    assert "Shadow a colleague&#39;s visit." in page
    assert "Add your reflection" not in page and "<form" not in page.split("<main", 1)[1]


def test_a_reflection_without_its_answers_shows_the_error_summary_and_saves_nothing(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("practice_observation")
    audit_id = observation(app, world, submitted=True)
    login_as(PRACTITIONER)
    response = client.post_form(
        f"/practice_observation/{audit_id}/reflection",
        {"went_well": "   ", "differently": "", "support": "x" * 10001},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert "Enter what went well in the visit" in summary
    assert "Enter what you would do differently" in summary
    assert "must be 10000 characters or fewer" in summary
    with app.app_context():
        assert db.session.scalars(db.select(Reflection)).all() == []


def test_the_practitioner_finds_their_observations_on_the_home_page(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("practice_observation")
    audit_id = observation(app, world, submitted=True)
    observation(app, world, submitted=False)  # not yet theirs to reflect on
    login_as(PRACTITIONER)
    page = client.get("/").get_data(as_text=True)
    assert "Observations of your practice" in page
    assert page.count(f'href="/practice_observation/{audit_id}/reflection">Add your') == 1
    assert page.count('/reflection">') == 1
    other = app.test_client()
    login(other, world.emails["sw_b"])
    assert "Observations of your practice" not in other.get("/").get_data(as_text=True)
