"""The QA lead's moderation queue and page, joint judgements, and the moderation shares."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Audit,
    AuditAuditor,
    AuditStatus,
    JointJudgement,
    Moderation,
    Notification,
)
from portal.testing.fixtures import login
from portal.testing.statements import statements_for
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


@pytest.fixture
def submitted_audits(app, world, mini):
    """Add submitted mini audits: ``submitted_audits(3, "CS-1001", "tm_b", moderated=...)``."""

    def make(count, reference="CS-1001", auditor="tm_b", *, on=datetime(2026, 11, 3, 10), **kw):
        moderated = kw.pop("moderated", None)
        with app.app_context():
            for n in range(count):
                audit = Audit(
                    case_id=world.cases[reference],
                    process_key=kw.get("process_key", "mini_audit"),
                    process_version="1",
                    status=AuditStatus.SUBMITTED.value,
                    allocated_on=date(2026, 10, 1),
                    due_on=date(2026, 10, 30),
                    submitted_at=on + timedelta(minutes=n),
                    moderation_required=True,
                    overall_grade="good",
                )
                audit.auditor_rows = [AuditAuditor(user_id=world.users[auditor])]
                if moderated:
                    audit.moderation = Moderation(
                        moderator_id=world.users["qa_lead"],
                        auditor_grade="good",
                        moderated_grade="good",
                        moderated_at=moderated + timedelta(minutes=n),
                    )
                db.session.add(audit)
            db.session.commit()

    return make


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(words).split())


def test_the_queue_and_the_months_moderations_are_paged_apart(client, login_as, submitted_audits):
    submitted_audits(55)
    submitted_audits(3, "CS-1002", "tm_a", moderated=datetime(2026, 10, 5, 9))
    login_as("qa_lead")

    october = text_of(client.get("/moderation/?month=2026-10"))
    first = client.get("/moderation/")
    second = text_of(client.get("/moderation/?waiting_page=2"))

    assert "No audit is waiting for moderation that matches" in october  # none submitted then
    assert "3 audits moderated" in october and "Moderated in October 2026" in october
    assert "1–50 of 55 audits waiting" in text_of(first)
    assert 'href="/moderation/?waiting_page=2"' in first.get_data(as_text=True)
    assert "51–55 of 55 audits waiting" in second


@pytest.mark.parametrize(
    ("query", "waiting", "done"),
    [
        ("", "7 audits waiting", "Nothing was moderated in"),
        ("month=2026-11", "5 audits waiting", "Nothing was moderated in"),
        ("month=2026-10", "2 audits waiting", "4 audits moderated"),
        ("auditor=tm_a", "2 audits waiting", "Nothing was moderated in"),
        ("month=2026-10&auditor=tm_a", "2 audits waiting", "Nothing was moderated in"),
        ("month=2026-10&auditor=sm", "No audit is waiting", "4 audits moderated"),
        ("tool=mini_audit&month=2026-10", "2 audits waiting", "4 audits moderated"),
        ("tool=csc_audit", "No audit is waiting for moderation that matches", "Nothing"),
    ],
)
def test_the_filters_narrow_both_lists(
    client, login_as, world, submitted_audits, query, waiting, done
):
    submitted_audits(5)
    submitted_audits(2, "CS-1002", "tm_a", on=datetime(2026, 10, 2, 9))
    submitted_audits(4, "EH-2001", "sm", moderated=datetime(2026, 10, 20, 9))
    for name in ("tm_a", "sm"):
        query = query.replace(f"auditor={name}", f"auditor={world.users[name]}")
    login_as("qa_lead")

    page = text_of(client.get(f"/moderation/?{query}"))

    assert waiting in page and done in page


def test_a_malformed_month_is_explained(client, login_as, submitted_audits):
    submitted_audits(1)
    login_as("qa_lead")

    response = client.get("/moderation/?month=last+month")
    fragment = client.get(
        "/moderation/?month=13-2026",
        headers={"HX-Request": "true", "HX-Target": "moderation-results"},
    )

    assert response.status_code == 400
    assert "There is a problem Month must be a year and month, like 2026-11" in text_of(response)
    assert "1 audit waiting" in text_of(response)
    assert fragment.headers["HX-Redirect"] == "/moderation/?month=13-2026"


def test_htmx_page_links_answer_with_the_results_alone(client, login_as, submitted_audits):
    submitted_audits(52)
    login_as("qa_lead")

    fragment = client.get(
        "/moderation/?waiting_page=2",
        headers={"HX-Request": "true", "HX-Target": "moderation-results"},
    )

    markup = fragment.get_data(as_text=True)
    assert markup.lstrip().startswith('<div id="moderation-results">')
    assert "<html" not in markup and "Apply filters" not in markup
    assert "51–52 of 52 audits waiting" in text_of(fragment)


def test_the_page_sends_as_many_statements_for_60_audits_as_for_2(
    app, client, login_as, submitted_audits
):
    submitted_audits(1)
    submitted_audits(1, "CS-1002", "tm_a", moderated=datetime.now())
    login_as("qa_lead")
    few = statements_for(app, client, "/moderation/")
    submitted_audits(30, "EH-2001", "sm")
    submitted_audits(30, "CS-1002", "tm_a", moderated=datetime.now())

    assert statements_for(app, client, "/moderation/") == few


def test_the_auditors_learning_links_start_ticked(client, login_as, allocated):
    """Issue 12, point 10: the QA lead sees the auditor's links ticked, not an empty list."""
    audit_id = submitted(client, login_as, allocated, **{"overall-learning": ["supervision"]})
    login_as("qa_lead")
    page = client.get(f"/moderation/{audit_id}").get_data(as_text=True)
    ticked = {
        tag.split('value="')[1].split('"')[0]
        for tag in page.split("<input")[1:]
        if 'name="learning"' in tag and "checked" in tag
    }
    assert ticked == {"supervision"}
