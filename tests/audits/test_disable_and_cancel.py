"""Disabling an audit tool (issue 12, point 7): the admin confirms on a page that says what
it affects; the tool's allocated audits are finished or cancelled with a reason."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditStatus,
    Notification,
)
from portal.scheduling.selection import Allocated
from portal.scheduling.service import allocated_in
from portal.testing.fixtures import login
from tests.audits.test_audit_pages import form_data


@pytest.fixture
def two_audits(app, world, allocated):
    """A mini audit still a draft (CS-1001, Tom Manager's) and one submitted with an open
    action (CS-1002, Tara Manager's). Returns their ids."""
    draft = allocated("CS-1001", "tm_b")
    done = allocated("CS-1002", "tm_a")
    auditor = app.test_client()
    login(auditor, world.emails["tm_a"])
    assert auditor.post_form(f"/audits/{done}/edit", form_data(intent="submit")).status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, done)
        db.session.add(
            Action(
                audit_id=done,
                description="Update the chronology",
                owner_id=audit.case.allocated_worker_id,
                due_on=date(2031, 1, 1),
                status=ActionStatus.OPEN.value,
            )
        )
        db.session.commit()
    return draft, done


def test_disabling_asks_first_and_says_what_it_affects(app, client, login_as, two_audits):
    login_as("admin")
    plugins = client.get("/admin/plugins").get_data(as_text=True)
    assert 'href="/admin/plugins/mini_audit/disable"' in plugins
    # a disable without the confirmation only leads to the question
    response = client.post_form("/admin/plugins/mini_audit", {"enabled": "false"})
    assert response.headers["Location"].endswith("/admin/plugins/mini_audit/disable")
    with app.app_context():
        assert app.extensions["portal.plugins"].is_enabled("mini_audit")
    page = client.get("/admin/plugins/mini_audit/disable").get_data(as_text=True)
    affects = page.split('id="disable-affects"')[1].split("</dl>")[0]
    assert [cell.split("<")[0] for cell in affects.split('value">')[1:]] == ["1", "1", "1"]
    assert "CS-1001" in page and "CS-1002" not in page  # the allocated one, to cancel
    response = client.post_form(
        "/admin/plugins/mini_audit", {"enabled": "false", "confirmed": "yes"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert not app.extensions["portal.plugins"].is_enabled("mini_audit")


def test_the_qa_lead_cancels_an_allocated_audit_with_a_reason(
    app, client, login_as, world, two_audits
):
    draft, done = two_audits
    login_as("qa_lead")
    assert "Cancel this audit" in client.get(f"/audits/{draft}").get_data(as_text=True)
    response = client.post_form(f"/audits/{draft}/cancel", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter the reason for cancelling the audit" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Audit, draft).status == AuditStatus.ALLOCATED.value
    reason = "The mini audit is no longer used."
    response = client.post_form(f"/audits/{draft}/cancel", {"reason": reason})
    assert response.headers["Location"].endswith(f"/audits/{draft}")
    page = client.get(f"/audits/{draft}").get_data(as_text=True)
    assert "Cancelled" in page and reason in page and "by Quinn Lead" in page
    with app.app_context():
        audit = db.session.get(Audit, draft)
        assert (audit.status, audit.cancel_reason) == ("cancelled", reason)
        entry = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "cancelled")
        ).one()
        assert entry.after == {"status": "cancelled", "reason": reason}
        assert db.session.scalar(
            select(Notification).where(Notification.subject == "Audit cancelled: CS-1001")
        )
        # the draw no longer counts it towards Tom Manager's quota
        assert allocated_in(date(2026, 11, 1)) == [Allocated("mini_audit", world.users["tm_a"])]
    # neither cancelled twice nor a submitted audit
    assert client.post_form(f"/audits/{draft}/cancel", {"reason": reason}).status_code == 409
    assert client.post_form(f"/audits/{done}/cancel", {"reason": reason}).status_code == 409
    # the auditor can no longer edit it, and it is not on their list of work to do
    login_as("tm_b")
    assert client.get(f"/audits/{draft}/edit").status_code == 403
    assert client.get(f"/audits/{draft}").status_code == 200


def test_an_administrator_cancels_without_reading_the_audit(app, client, login_as, two_audits):
    draft, _done = two_audits
    login_as("admin")
    assert client.get(f"/audits/{draft}").status_code == 403  # no case files for admins
    page = client.get(f"/audits/{draft}/cancel").get_data(as_text=True)
    assert "Cancel the audit of case CS-1001" in page and "Tom Manager" in page
    assert "Keep her safe" not in page
    response = client.post_form(f"/audits/{draft}/cancel", {"reason": "Tool withdrawn."})
    assert response.headers["Location"].endswith("/admin/plugins/mini_audit/disable")
    with app.app_context():
        assert db.session.get(Audit, draft).status == "cancelled"


@pytest.mark.parametrize("person", ["tm_b", "sw_a", "qa_admin", "sgu"])
def test_only_the_qa_lead_and_administrators_cancel(client, login_as, two_audits, person):
    draft, _done = two_audits
    login_as(person)
    assert client.post_form(f"/audits/{draft}/cancel", {"reason": "x"}).status_code == 403
