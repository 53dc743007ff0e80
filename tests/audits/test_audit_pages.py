"""The audit pages as an auditor, the worker and their manager use them."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, AuditComment

REVISION = re.compile(r'name="revision" id="revision" value="(\d+)"')


def form_data(**overrides):
    data = {
        "plan-purpose": "Keep her safe at home",
        "plan-evidence": "The plan is on file and reviewed",
        "plan-grade": "good",
        "records-evidence": "Case notes are up to date",
        "records-grade": "good",
        "visit-seen_on-day": "1",
        "visit-seen_on-month": "10",
        "visit-seen_on-year": "2026",
        "visit-alone": "yes",
        "overall-summary": "Good, steady work",
        "revision": "0",
    }
    data.update(overrides)
    return data


def audit(app, audit_id) -> Audit:
    return db.session.get(Audit, audit_id)


def test_the_form_shows_every_section_with_its_guidance(client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    for text in ("The plan", "Every child has a plan.", "Records", "Visit", "Overall judgement"):
        assert text in page
    assert 'name="plan-purpose"' in page and 'name="plan-grade"' in page
    assert 'name="visit-seen_on-day"' in page
    assert f'hx-post="/audits/{audit_id}/autosave"' in page


def test_save_draft_without_javascript(client, login_as, allocated, app):
    audit_id = allocated()
    login_as("tm_b")
    response = client.post_form(f"/audits/{audit_id}/edit", form_data(intent="save"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your draft has been saved." in page
    assert "Keep her safe at home" in page
    with app.app_context():
        assert audit(app, audit_id).answers()["visit"]["seen_on"] == "2026-10-01"


def test_autosave_answers_with_the_save_status_and_the_new_revision(client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    response = client.post_form(
        f"/audits/{audit_id}/autosave", form_data(), headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert 'id="save-status"' in fragment and "Saved" in fragment
    assert 'id="revision" value="1" hx-swap-oob="true"' in fragment
    assert "The grading rules suggest <strong>Good</strong>" in fragment


def test_a_conflicting_autosave_keeps_both_versions(client, login_as, allocated, app, world):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    login_as("tm_b")
    client.post_form(f"/audits/{audit_id}/autosave", form_data(), headers={"HX-Request": "true"})
    # a second auditor, in another browser, typed from revision 0
    from portal.testing.fixtures import login

    other = app.test_client()
    login(other, world.emails["eh_m"])
    response = other.post_form(
        f"/audits/{audit_id}/autosave",
        form_data(**{"plan-purpose": "A different purpose"}),
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    assert "Not saved" in fragment
    assert "Their version:" in fragment and "Keep her safe at home" in fragment
    assert 'id="revision" value="0"' in fragment  # the base stays until they choose
    with app.app_context():
        assert audit(app, audit_id).answers()["plan"]["purpose"] == "Keep her safe at home"
    # "Keep my version"
    other.post_form(
        f"/audits/{audit_id}/autosave",
        form_data(**{"plan-purpose": "A different purpose", "intent": "save-force"}),
        headers={"HX-Request": "true"},
    )
    with app.app_context():
        assert audit(app, audit_id).answers()["plan"]["purpose"] == "A different purpose"


def test_a_conflicting_save_without_javascript_is_a_409_that_keeps_the_typing(
    client, login_as, allocated, app, world
):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    login_as("tm_b")
    client.post_form(f"/audits/{audit_id}/edit", form_data(intent="save"))
    from portal.testing.fixtures import login

    other = app.test_client()
    login(other, world.emails["eh_m"])
    response = other.post_form(
        f"/audits/{audit_id}/edit", form_data(**{"plan-purpose": "Mine", "intent": "save"})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ">Mine</textarea>" in page  # what they typed is still in the form
    assert "Keep her safe at home" in page  # and the other version is shown


def test_submitting_with_problems_shows_the_error_summary(client, login_as, allocated, app):
    audit_id = allocated()
    login_as("tm_b")
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(
            **{"records-grade": "requires_improvement", "plan-evidence": "", "intent": "submit"}
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#plan-evidence"' in page and "Enter the evidence for The plan" in page
    assert 'href="#records-actions"' in page
    assert "Add an action with an owner and a due date to Records" in page
    with app.app_context():
        assert audit(app, audit_id).submitted_at is None
        # the draft was still saved: nothing typed is lost
        assert audit(app, audit_id).answers()["records"]["grade"] == "requires_improvement"


def add_action(client, audit_id, section="records", htmx=False, **overrides):
    data = {
        f"new-{section}-description": "Bring the chronology up to date",
        f"new-{section}-priority": "high",
        f"new-{section}-owner": "",
        f"new-{section}-due-day": "8",
        f"new-{section}-due-month": "1",
        f"new-{section}-due-year": "2031",
        **overrides,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post_form(f"/audits/{audit_id}/actions?section={section}", data, headers=headers)


def test_adding_an_action_checks_every_field(client, login_as, allocated, app, world):
    audit_id = allocated()
    login_as("tm_b")
    response = add_action(
        client,
        audit_id,
        **{"new-records-description": "", "new-records-due-year": "2020", "new-records-owner": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Describe what needs to be done" in page
    assert "Choose who will do this action" in page
    assert "The due date must be today or in the future" in page
    with app.app_context():
        assert db.session.scalars(select(Action)).all() == []


def test_an_action_added_with_htmx_returns_the_sections_actions(
    client, login_as, allocated, app, world
):
    audit_id = allocated()
    login_as("tm_b")
    response = add_action(
        client, audit_id, htmx=True, **{"new-records-owner": str(world.users["sw_a"])}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<div id="records-actions"')
    assert "Bring the chronology up to date" in fragment and "Sophie Worker" in fragment
    with app.app_context():
        action = db.session.scalars(select(Action)).one()
        assert action.state == ActionStatus.DRAFT
        action_id = action.id
    response = client.post_form(
        f"/audits/{audit_id}/actions/{action_id}/delete", headers={"HX-Request": "true"}
    )
    assert "No actions yet." in response.get_data(as_text=True)


def test_the_sections_still_needing_an_action_follow_the_actions_added(
    client, login_as, allocated, app, world
):
    """Issue 12, point 10: once a section has its action, the judgement panel (refreshed
    with the htmx answer) no longer lists it; removing the action lists it again."""
    audit_id = allocated()
    login_as("tm_b")
    client.post_form(
        f"/audits/{audit_id}/edit", form_data(**{"records-grade": "requires_improvement"})
    )
    needing = "Sections that need at least one action: Records."
    assert needing in client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    response = add_action(
        client, audit_id, htmx=True, **{"new-records-owner": str(world.users["sw_a"])}
    )
    fragment = response.get_data(as_text=True)
    panel = fragment.split('<div id="judgement"')[1]
    assert panel.startswith(' class="govuk-inset-text" hx-swap-oob="true"')
    assert "Sections that need at least one action" not in panel
    assert "Sections that need at least one action" not in client.get(
        f"/audits/{audit_id}/edit"
    ).get_data(as_text=True)
    with app.app_context():
        action_id = db.session.scalars(select(Action.id)).one()
    response = client.post_form(
        f"/audits/{audit_id}/actions/{action_id}/delete", headers={"HX-Request": "true"}
    )
    assert needing in response.get_data(as_text=True).split('<div id="judgement"')[1]


def test_the_whole_path_worker_sees_and_comments(client, login_as, allocated, app, world):
    audit_id = allocated()
    login_as("tm_b")
    add_action(client, audit_id, **{"new-records-owner": str(world.users["sw_a"])})
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(**{"records-grade": "requires_improvement", "intent": "submit"}),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your audit has been submitted." in page
    assert "Requires improvement" in page
    client.post_form("/logout")
    login_as("sw_a")
    page = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Good, steady work" in page and "Bring the chronology up to date" in page
    response = client.post_form(f"/audits/{audit_id}/comments", {"comment": ""})
    assert response.status_code == 400 and "Enter your comment" in response.get_data(as_text=True)
    response = client.post_form(f"/audits/{audit_id}/comments", {"comment": "Agreed, <b>done</b>"})
    assert response.status_code == 302
    page = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Agreed, &lt;b&gt;done&lt;/b&gt;" in page
    with app.app_context():
        assert db.session.scalars(select(AuditComment)).one().author_id == world.users["sw_a"]
        assert audit(app, audit_id).lifecycle.value == "submitted"  # awaiting moderation


def test_pdf_and_print_view(client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    client.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit"))
    response = client.get(f"/audits/{audit_id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    page = client.get(f"/audits/{audit_id}/print").get_data(as_text=True)
    assert "Keep her safe at home" in page and "form version 1" in page
    # a date answer in GOV.UK style, never as stored (issue 12.10)
    assert "1 October 2026" in page and "2026-10-01" not in page


def test_a_disabled_plugins_audits_stay_readable_and_can_still_be_finished(
    client, login_as, allocated, app
):
    """Issue 12, point 7: an audit allocated before its tool was disabled is never left
    unopenable: its auditor finishes it (or the QA lead cancels it)."""
    audit_id = allocated()
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("mini_audit", False, actor_id=None)
        db.session.commit()
    login_as("tm_b")
    page = client.get(f"/audits/{audit_id}")
    assert page.status_code == 200
    assert "has been disabled by an administrator" in page.get_data(as_text=True)
    assert "can still be finished" in page.get_data(as_text=True)
    assert client.get(f"/audits/{audit_id}/edit").status_code == 200
    response = client.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit"))
    assert response.status_code == 302
    with app.app_context():
        assert audit(app, audit_id).submitted_at is not None
    assert client.get(f"/audits/{audit_id}/edit").status_code == 403  # submitted: done
