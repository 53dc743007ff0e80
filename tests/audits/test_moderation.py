"""The QA lead's moderation queue and page, joint judgements, and the moderation shares."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Audit, AuditStatus, JointJudgement, Notification
from portal.testing.fixtures import login
from tests.audits.test_audit_pages import form_data


def submitted(client, login_as, allocated, *auditors, **answers):
    audit_id = allocated("CS-1001", *(auditors or ("tm_b",)))
    login_as(auditors[0] if auditors else "tm_b")
    response = client.post_form(f"/audits/{audit_id}/edit", form_data(intent="submit", **answers))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    client.post_form("/logout")
    return audit_id


def test_the_qa_lead_moderates_and_changes_the_grade_with_a_rationale(
    client, login_as, allocated, app, world
):
    audit_id = submitted(client, login_as, allocated, **{"overall-learning": ["supervision"]})
    login_as("qa_lead")
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f"/moderation/{audit_id}" in queue and "CS-1001" in queue
    page = client.get(f"/moderation/{audit_id}").get_data(as_text=True)
    assert "Good, steady work" in page  # the auditor's summary, to read before moderating
    response = client.post_form(f"/moderation/{audit_id}", {"grade": "requires_improvement"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the rationale for changing the auditor" in page
    assert "Write your feedback to the auditor" in page
    response = client.post_form(
        f"/moderation/{audit_id}",
        {
            "grade": "requires_improvement",
            "rationale": "The plan was not shared with the father.",
            "feedback": "Check both parents are in the plan.",
            "learning": ["training", "supervision"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.overall_grade, audit.record_grade) == ("good", "requires_improvement")
        assert audit.lifecycle == AuditStatus.CLOSED
        assert {(r.area, r.tagged_by) for r in audit.learning_rows} == {
            ("supervision", "auditor"),
            ("supervision", "moderator"),
            ("training", "moderator"),
        }
        told = db.session.scalars(
            select(Notification).where(Notification.user_id == world.users["tm_b"])
        ).all()
        assert any("is moderated" in n.subject for n in told)
    page = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Judgement of record" in page and "Auditor&#39;s judgement" in page
    assert "The plan was not shared with the father." in page
    assert client.get(f"/moderation/{audit_id}").status_code == 409  # once only


@pytest.mark.parametrize("person", ["tm_b", "sw_a", "qa_admin", "admin"])
def test_only_the_qa_lead_moderates(client, login_as, allocated, person):
    audit_id = submitted(client, login_as, allocated)
    login_as(person)
    assert client.get("/moderation/").status_code == 403
    assert client.post_form(f"/moderation/{audit_id}", {"grade": "good"}).status_code == 403


def test_a_joint_audit_needs_each_auditors_own_judgement(client, login_as, allocated, app, world):
    audit_id = allocated("CS-1001", "tm_b", "eh_m")
    login_as("tm_b")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert "Your own judgement, before you agree one with your co-auditor" in page
    response = client.post_form(
        f"/audits/{audit_id}/edit", form_data(intent="submit", **{"own-grade": "good"})
    )
    assert response.status_code == 400
    assert "waiting for Erin Manager" in response.get_data(as_text=True)
    other = app.test_client()
    login(other, world.emails["eh_m"])
    with app.app_context():
        revision = db.session.get(Audit, audit_id).revision
    other.post_form(
        f"/audits/{audit_id}/autosave",
        form_data(revision=str(revision), **{"own-grade": "outstanding"}),
        headers={"HX-Request": "true"},
    )
    response = client.post_form(
        f"/audits/{audit_id}/edit",
        form_data(intent="submit", revision=str(revision), **{"own-grade": "good"}),
    )
    assert response.status_code == 302
    with app.app_context():
        pairs = {j.user_id: j.grade for j in db.session.scalars(select(JointJudgement))}
        assert pairs == {world.users["tm_b"]: "good", world.users["eh_m"]: "outstanding"}


def test_the_administrator_sets_a_moderation_share(client, login_as, app, mini):
    login_as("admin")
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Mini audit" in page and "100% of audits are moderated" in page
    response = client.post_form("/admin/moderation/mini_audit", {"percent": "150"})
    assert response.status_code == 400 and "from 1 to 100" in response.get_data(as_text=True)
    response = client.post_form("/admin/moderation/mini_audit", {"percent": "25"})
    assert response.status_code == 302
    with app.app_context():
        from portal.audits.service import moderation_share

        assert moderation_share("mini_audit") == 0.25


def test_a_sample_share_moderates_about_that_share(app, world, allocated, mini):
    from portal.audits.service import needs_moderation
    from portal.models import User
    from portal.moderation.service import set_share

    with app.app_context():
        set_share("mini_audit", 0.25, db.session.get(User, world.users["admin"]))
        db.session.commit()
        audits = [Audit(id=n, process_key="mini_audit") for n in range(1, 401)]
        chosen = sum(needs_moderation(audit) for audit in audits)
        assert 70 < chosen < 130  # about a quarter, and the same on every run
        assert chosen == sum(needs_moderation(audit) for audit in audits)
