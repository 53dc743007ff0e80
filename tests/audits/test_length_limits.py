"""Length limits: an answer longer than its field may hold is refused with a message and
nothing changes; a body far too large is refused before it is read."""

from html import unescape

from sqlalchemy import func, select

from portal.audits.answers import LINE_LIMIT, TEXT_LIMIT
from portal.extensions import db
from portal.models import ActivityEntry, Audit, AuditRevision
from tests.audits.test_audit_pages import form_data
from tests.audits.test_moderation import submitted


def state(app, audit_id) -> tuple:
    """Everything a save could change: the answers, the revision and the history."""
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        revisions = db.session.scalar(select(func.count()).select_from(AuditRevision))
        history = db.session.scalar(select(func.count()).select_from(ActivityEntry))
        return audit.answers(), audit.revision, revisions, history


def test_a_nine_megabyte_autosave_is_refused_and_changes_nothing(app, client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    client.post_form(f"/audits/{audit_id}/autosave", form_data(), headers={"HX-Request": "true"})
    before = state(app, audit_id)
    huge = form_data(**{"plan-evidence": "x" * (9 * 1024 * 1024), "revision": "1"})
    response = client.post_form(
        f"/audits/{audit_id}/autosave", huge, headers={"HX-Request": "true"}
    )
    assert response.status_code == 413
    assert "Nothing was saved" in unescape(response.get_data(as_text=True))
    assert state(app, audit_id) == before


def test_an_answer_over_the_limit_is_refused_with_a_message(app, client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    before = state(app, audit_id)
    data = form_data(**{"plan-evidence": "y" * (TEXT_LIMIT + 1)})
    response = client.post_form(
        f"/audits/{audit_id}/autosave", data, headers={"HX-Request": "true"}
    )
    fragment = unescape(response.get_data(as_text=True))
    assert response.status_code == 400  # the page's htmx swaps 400s: the line says why
    assert "Not saved" in fragment
    assert f"This answer has {TEXT_LIMIT + 1:,} characters: use {TEXT_LIMIT:,} or fewer" in fragment
    assert state(app, audit_id) == before


def test_the_form_without_javascript_shows_the_field_that_is_too_long(
    app, client, login_as, allocated
):
    audit_id = allocated()
    login_as("tm_b")
    before = state(app, audit_id)
    data = form_data(intent="save", **{"visit-note": "z" * (LINE_LIMIT + 1)})
    response = client.post_form(f"/audits/{audit_id}/edit", data)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#visit-note"' in page
    assert f"use {LINE_LIMIT:,} or fewer" in page
    assert state(app, audit_id) == before


def test_an_answer_at_the_limit_is_saved(app, client, login_as, allocated):
    audit_id = allocated()
    login_as("tm_b")
    data = form_data(**{"plan-evidence": "y" * TEXT_LIMIT})
    response = client.post_form(
        f"/audits/{audit_id}/autosave", data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert state(app, audit_id)[0]["plan"]["evidence"] == "y" * TEXT_LIMIT


def test_a_revision_number_no_database_can_hold_is_a_400(client, login_as, allocated):
    audit_id = allocated("CS-1001", "tm_b", "sm")
    login_as("tm_b")
    for revision in (str(2**63), "9" * 30, "9" * 5000, "١٢", "-1"):
        response = client.get(f"/audits/{audit_id}/changes?revision={revision}")
        assert response.status_code == 400, revision
    assert client.get(f"/audits/{audit_id}/changes?revision=0").status_code == 200


def test_a_moderation_over_the_limit_is_refused_with_a_message(app, client, login_as, allocated):
    audit_id = submitted(client, login_as, allocated)
    login_as("qa_lead")
    data = {
        "grade": "good",
        "rationale": "r" * (TEXT_LIMIT + 1),
        "feedback": "f" * (TEXT_LIMIT + 1),
    }
    response = client.post_form(f"/moderation/{audit_id}", data)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert f"The rationale must be {TEXT_LIMIT:,} characters or fewer" in page
    assert f"Your feedback must be {TEXT_LIMIT:,} characters or fewer" in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).moderation is None
