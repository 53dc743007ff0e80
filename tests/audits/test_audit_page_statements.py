"""An audit's pages send as many SQL statements for many actions, comments and auditors as
for one: the owners, authors and auditors are loaded with the audit, not one by one."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, AuditComment, AuditStatus
from portal.testing.statements import statements_for

FEW = {"owners": ["sw_a"], "authors": ["qa_lead"], "auditors": ["tm_b"]}
MANY = {
    "owners": ["sw_a", "tm_a", "sm", "hos"],
    "authors": ["qa_lead", "hos", "sm", "ad"],
    "auditors": ["tm_b", "eh_m"],
}


@pytest.fixture
def audit_with(app, world, allocated):
    """An audit with actions owned by *owners*, comments by *authors*, and *auditors*."""

    def make(owners, authors, auditors, submitted: bool) -> int:
        audit_id = allocated("CS-1001", *auditors)
        with app.app_context():
            audit = db.session.get(Audit, audit_id)
            if submitted:
                audit.status = AuditStatus.SUBMITTED.value
                audit.submitted_at = datetime(2026, 11, 20, 10, 0)
            status = ActionStatus.OPEN if submitted else ActionStatus.DRAFT
            for owner in owners:
                db.session.add(
                    Action(
                        audit_id=audit_id,
                        section_key="plan",
                        description=f"An action for {owner}",
                        priority="medium",
                        owner_id=world.users[owner],
                        due_on=date(2027, 1, 29),
                        status=status.value,
                        created_by_id=world.users[auditors[0]],
                    )
                )
            for author in authors if submitted else ():
                db.session.add(
                    AuditComment(audit_id=audit_id, author_id=world.users[author], body="Noted.")
                )
            db.session.commit()
        return audit_id

    return make


@pytest.mark.parametrize("page", ["/audits/{}", "/audits/{}/print", "/moderation/{}"])
def test_a_submitted_audit_page_loads_its_people_with_the_audit(app, audit_with, login_as, page):
    few = audit_with(**FEW, submitted=True)
    many = audit_with(**MANY, submitted=True)
    client = login_as("qa_lead")
    client.get(page.format(few))  # the first request warms per-process caches

    one = statements_for(app, client, page.format(few))
    four = statements_for(app, client, page.format(many))
    assert four == one, f"{page}: {one} statements with one of each, {four} with four"


def test_the_audit_form_loads_its_action_owners_with_the_audit(app, audit_with, login_as):
    few = audit_with(**FEW, submitted=False)
    many = audit_with(**MANY, submitted=False)
    client = login_as("tm_b")
    client.get(f"/audits/{few}/edit")

    one = statements_for(app, client, f"/audits/{few}/edit")
    four = statements_for(app, client, f"/audits/{many}/edit")
    assert four == one, f"/audits/<id>/edit: {one} statements with one owner, {four} with four"
