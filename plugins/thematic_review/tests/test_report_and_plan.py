"""The report (endorsed by the safeguarding unit, then read-only, and its PDF), what the review
page shows of each case's audit and actions, the SMART action plan and the rolling plan, and
the plugin's section of the monthly learning report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from plugins.thematic_review import plan, review_report
from plugins.thematic_review.models import Conversation, PlanItem, Reply
from plugins.thematic_review.report import report_section
from plugins.thematic_review.tests.review_helpers import (
    add_cases,
    make_ready,
    make_review,
    review_of,
)
from portal.plugin_api import (
    Action,
    ActivityEntry,
    Audit,
    Notification,
    SafeguardingConcern,
    User,
    build_monthly_report,
    db,
    utcnow,
)

TOMORROW = date.today() + timedelta(days=1)


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


@pytest.fixture
def started(app, world):
    """A review of 12 cases, every one paired to Sam Service and Hana Head, under way."""
    references = add_cases(app, world, 12)
    return make_review(app, world, references, pair=("sm", "hos"), start=True)


def write_report(app, world, review_id, findings="Plans drift.", recommendations="Review plans."):
    with app.app_context():
        review_report.write_report(
            review_of(review_id),
            findings,
            recommendations,
            "Families want fewer changes of worker.",
            db.session.get(User, world.users["qa_lead"]),
        )
        db.session.commit()


# The report -------------------------------------------------------------------------------


def test_the_qa_lead_writes_the_report(app, client, world, login_as, started):
    login_as("qa_lead")
    url = f"/thematic_review/{started}/report"
    assert client.get(url).status_code == 200
    response = client.post_form(url, {"findings": " ", "recommendations": "", "family_voice": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the findings" in page and "Enter the recommendations" in page
    response = client.post_form(
        url,
        {
            "findings": "Chronologies were <i>missing</i> in 7 of 12 cases.",
            "recommendations": "Chronologies in every supervision.",
            "family_voice": "Families value a worker who stays.",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "Chronologies were &lt;i&gt;missing&lt;/i&gt; in 7 of 12 cases." in page
    with app.app_context():
        assert review_of(started).findings.startswith("Chronologies were <i>missing</i>")


def test_only_the_qa_lead_writes_the_report(app, client, world, login_as, started):
    for short in ("sgu", "sm"):
        client.post_form("/logout")
        login_as(short)
        url = f"/thematic_review/{started}/report"
        assert client.get(url).status_code == 403
        assert client.post_form(url, {"findings": "x", "recommendations": "y"}).status_code == 403


def test_the_safeguarding_unit_endorses_the_report_which_is_then_read_only(
    app, client, world, login_as, started
):
    login_as("sgu")
    make_ready(app, started)
    response = client.post_form(f"/thematic_review/{started}/endorse")
    assert response.status_code == 400
    assert "needs its findings and recommendations" in response.get_data(as_text=True)
    write_report(app, world, started)
    assert client.post_form(f"/thematic_review/{started}/endorse").status_code == 302
    with app.app_context():
        review = review_of(started)
        assert review.status == "endorsed"
        assert review.endorsed_by_id == world.users["sgu"]
        assert review.endorsed_at is not None
        assert db.session.scalar(
            select(ActivityEntry).where(
                ActivityEntry.verb == "endorsed", ActivityEntry.object_id == str(started)
            )
        )
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "Endorsed by Saffron Unit" in page
    assert "Endorse the report" not in page
    assert client.post_form(f"/thematic_review/{started}/endorse").status_code == 400
    client.post_form("/logout")
    login_as("qa_lead")
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "Write the report" not in page
    for url in ("report", "edit", "questions"):
        assert client.get(f"/thematic_review/{started}/{url}").status_code == 409, url
    response = client.post_form(
        f"/thematic_review/{started}/report", {"findings": "New", "recommendations": "New"}
    )
    assert response.status_code == 409
    with app.app_context():
        assert review_of(started).findings == "Plans drift."


def test_only_the_safeguarding_unit_endorses_and_only_a_started_review(
    app, client, world, login_as, started
):
    write_report(app, world, started)
    login_as("qa_lead")
    assert client.post_form(f"/thematic_review/{started}/endorse").status_code == 403
    planning = make_review(app, world, theme="Planning")
    write_report(app, world, planning)
    client.post_form("/logout")
    login_as("sgu")
    response = client.post_form(f"/thematic_review/{planning}/endorse")
    assert response.status_code == 400
    assert "The review has not started" in response.get_data(as_text=True)
    with app.app_context():
        assert review_of(started).endorsed_at is None
        assert review_of(planning).endorsed_at is None


def test_the_report_counts_the_family_conversations_and_lists_the_escalations(
    app, client, world, login_as, started
):
    with app.app_context():
        review = review_of(started)
        first, second, third = review.cases[:3]
        auditor = world.users["sm"]
        conversations = [
            Conversation(
                review_case_id=rc.id,
                client_key=key,
                consent=consent,
                wants_reply=wants,
                captured_by_id=auditor,
            )
            for rc, key, consent, wants in (
                (first, "a", "given", True),
                (second, "b", "given", False),
                (third, "c", "refused", False),
            )
        ]
        db.session.add_all(conversations)
        db.session.flush()
        db.session.add(
            Reply(
                conversation_id=conversations[0].id, body="You said, we did.", sent_on=date.today()
            )
        )
        before = review.created_at - timedelta(days=1)
        db.session.add_all(
            [
                SafeguardingConcern(
                    case_id=first.case_id,
                    source_type="thematic_review_conversation",
                    source_id=str(conversations[0].id),
                    description="The child said she is scared at home.",
                    raised_by_id=auditor,
                ),
                SafeguardingConcern(  # before the review: not one of its escalations
                    case_id=second.case_id,
                    source_type="audit",
                    source_id="1",
                    description="Earlier.",
                    raised_by_id=auditor,
                    raised_at=before,
                ),
                SafeguardingConcern(  # another case: not one of its escalations
                    case_id=world.cases["CS-1002"],
                    source_type="audit",
                    source_id="2",
                    description="Elsewhere.",
                    raised_by_id=auditor,
                ),
            ]
        )
        db.session.commit()
        assert review_report.family_counts(review) == {
            "conversations": 3,
            "consents": 2,
            "refusals": 1,
            "wanting_reply": 1,
            "replies_sent": 1,
        }
        assert [c.description for c in review_report.escalations(review)] == [
            "The child said she is scared at home."
        ]
    login_as("qa_lead")
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "A family conversation" in page
    assert "Waiting for a response" in page
    assert "Earlier." not in page


def test_the_report_pdf_opens(app, client, world, login_as, started):
    write_report(app, world, started)
    login_as("sm")
    response = client.get(f"/thematic_review/{started}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    client.post_form("/logout")
    login_as("tm_a")
    assert client.get(f"/thematic_review/{started}/report.pdf").status_code == 403


# Each case's audit and actions (the core's actions and sign-off) --------------------------


def test_the_review_page_shows_each_case_s_audit_and_its_actions(
    app, client, world, login_as, started
):
    with app.app_context():
        review_case = review_of(started).cases[0]
        audit = review_case.audit
        audit.status = "actions_open"
        audit.submitted_at = utcnow()
        for status in ("open", "completed", "signed_off", "draft"):
            db.session.add(
                Action(
                    audit_id=audit.id,
                    description=f"An action {status}",
                    owner_id=world.users["sw_a"],
                    due_on=TOMORROW,
                    status=status,
                )
            )
        db.session.commit()
        audit_id = audit.id
    login_as("qa_lead")
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "1 open, 1 completed, 1 signed off" in page
    assert f'href="/audits/{audit_id}"' in page
    assert "Actions open" in page
    # a member who is not in the pair sees the status, without a link to an audit they may
    # not open
    client.post_form("/logout")
    login_as("ad")
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "1 open, 1 completed, 1 signed off" in page
    with app.app_context():
        assert db.session.get(Audit, audit_id).case.allocated_worker_id == world.users["sw_a"]


# The SMART action plan --------------------------------------------------------------------


def plan_form(world, **changes) -> dict:
    form = {
        "action": "Chronology training for every team",
        "owner_id": str(world.users["hos"]),
        "measure": "Chronologies up to date in 9 of 10 audited cases",
        "due_on": [str(TOMORROW.day), str(TOMORROW.month), str(TOMORROW.year)],
    }
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"action": ""}, "Say what will be done"),
        ({"owner_id": "0"}, "Choose who owns the action"),
        ({"measure": "  "}, "Say how you will measure it"),
        ({"due_on": ["", "", ""]}, "Enter the due date"),
        ({"due_on": ["30", "2", "2027"]}, "Enter a real date"),
        ({"due_on": ["1", "1", "2020"]}, "The due date must be in the future"),
    ],
)
def test_each_part_of_a_smart_action_is_checked(
    app, client, world, login_as, started, changes, message
):
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{started}/plan/new", plan_form(world, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PlanItem)) is None


def test_the_qa_lead_adds_an_action_and_its_owner_is_told(app, client, world, login_as, started):
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{started}/plan/new").status_code == 200
    response = client.post_form(f"/thematic_review/{started}/plan/new", plan_form(world))
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(PlanItem))
        assert (item.owner_id, item.due_on, item.status) == (world.users["hos"], TOMORROW, "open")
        assert db.session.scalar(
            select(Notification).where(
                Notification.user_id == world.users["hos"],
                Notification.subject == "Thematic review action: Neglect",
            )
        )
    page = client.get(f"/thematic_review/{started}").get_data(as_text=True)
    assert "Chronology training for every team" in page
    client.post_form("/logout")
    login_as("sm")
    assert client.get(f"/thematic_review/{started}/plan/new").status_code == 403


def add_item(app, world, review_id, owner="hos", due=TOMORROW, action="Chronology training"):
    with app.app_context():
        item = plan.add_item(
            review_of(review_id),
            action,
            db.session.get(User, world.users[owner]),
            "Measured by audit",
            due,
            db.session.get(User, world.users["qa_lead"]),
            due - timedelta(days=1),
        )
        db.session.commit()
        return item.id


def test_the_rolling_plan_flags_overdue_actions_for_those_who_monitor_it(
    app, client, world, login_as, started
):
    add_item(app, world, started, action="Due tomorrow")
    late = add_item(app, world, started, due=date.today() - timedelta(days=3), action="Late one")
    other = make_review(app, world, theme="Missing children")
    add_item(app, world, other, owner="sw_b", action="From another review")
    for short in ("hos", "ad", "qa_lead", "sgu"):
        client.post_form("/logout")
        login_as(short)
        response = client.get("/thematic_review/plan")
        assert response.status_code == 200, short
        page = response.get_data(as_text=True)
        assert "Due tomorrow" in page and "Late one" in page and "From another review" in page
        assert "3 open, 1 of them overdue; 0 done." in page
        assert page.count("govuk-tag--red") == 1
        assert f'href="/thematic_review/plan/{late}"' in page
    client.post_form("/logout")
    login_as("sw_b")  # an owner sees their own actions only
    page = client.get("/thematic_review/plan").get_data(as_text=True)
    assert "From another review" in page and "Late one" not in page
    assert client.get(f"/thematic_review/plan/{late}").status_code == 403
    client.post_form("/logout")
    login_as("sw_a")
    assert client.get("/thematic_review/plan").status_code == 403


def test_the_rolling_plan_is_paginated_and_counts_every_action(
    app, client, world, login_as, started
):
    for number in range(52):
        late = number < 2
        due = date.today() - timedelta(days=3) if late else date.today() + timedelta(days=number)
        add_item(app, world, started, due=due, action=f"Action {number:02d}")
    login_as("qa_lead")

    first = client.get("/thematic_review/plan").get_data(as_text=True)
    second = client.get(
        "/thematic_review/plan?page=2", headers={"HX-Request": "true", "HX-Target": "plan-results"}
    ).get_data(as_text=True)

    assert "1–50 of 52 actions" in first
    assert "52 open, 2 of them overdue; 0 done." in first  # counted over every page
    assert "Action 00" in first and "Action 50" not in first  # open and soonest due first
    assert second.lstrip().startswith('<div id="plan-results">')
    assert "51–52 of 52 actions" in second and "Action 51" in second and "Action 00" not in second


def test_the_owner_records_progress_and_marks_the_action_done(
    app, client, world, login_as, started
):
    item_id = add_item(app, world, started)
    url = f"/thematic_review/plan/{item_id}"
    login_as("tm_b")
    assert client.post_form(url, {"progress": "Mine?"}).status_code == 403
    client.post_form("/logout")
    login_as("hos")
    response = client.post_form(url, {"progress": ""})
    assert response.status_code == 400
    assert "Describe the progress made" in response.get_data(as_text=True)
    assert client.post_form(url, {"progress": "Two teams trained."}).status_code == 302
    assert client.post_form(url, {"progress": "All teams trained.", "done": "y"}).status_code == 302
    with app.app_context():
        item = db.session.get(PlanItem, item_id)
        assert item.status == "done" and item.completed_at is not None
        assert "Hana Head: Two teams trained." in item.progress
        assert item.progress.endswith("Hana Head: All teams trained.")
        assert db.session.scalar(
            select(Notification).where(
                Notification.user_id == world.users["qa_lead"],
                Notification.subject == "Thematic review action done: Neglect",
            )
        )
    assert client.post_form(url, {"progress": "More"}).status_code == 409
    page = client.get(url).get_data(as_text=True)
    assert "Done on" in page and 'name="progress"' not in page


# The monthly learning report --------------------------------------------------------------


def test_the_learning_report_summarises_the_month(app, world):
    references = add_cases(app, world, 12)
    held = make_review(app, world, references, first_day=date(2026, 10, 6), pair=("sm", "hos"))
    make_review(app, world, theme="Next quarter", first_day=date(2027, 1, 12))
    with app.app_context():
        review = review_of(held)
        audits = [rc.audit for rc in review.cases[:3]]
        for audit in audits[:2]:
            audit.status, audit.submitted_at = "submitted", datetime(2026, 10, 20, 12)
        audits[2].status, audits[2].submitted_at = "submitted", datetime(2026, 11, 2, 12)
        talks = [
            Conversation(
                review_case_id=review.cases[n].id,
                client_key=f"k{n}",
                consent="given" if n else "refused",
                captured_by_id=world.users["sm"],
                captured_at=datetime(2026, 10, 7, 10),
            )
            for n in range(3)
        ]
        db.session.add_all(talks)
        db.session.flush()
        db.session.add_all(
            [
                Reply(conversation_id=talks[1].id, body="x", sent_on=date(2026, 10, 30)),
                Reply(conversation_id=talks[2].id, body="y", sent_on=date(2026, 11, 3)),
            ]
        )
        october = datetime(2026, 10, 15)
        db.session.add_all(
            [
                PlanItem(  # done in October
                    review_id=held,
                    action="a",
                    owner_id=world.users["hos"],
                    measure="m",
                    due_on=date(2026, 10, 25),
                    status="done",
                    completed_at=datetime(2026, 10, 20),
                    created_at=october,
                ),
                PlanItem(  # open and overdue at the end of October
                    review_id=held,
                    action="b",
                    owner_id=world.users["hos"],
                    measure="m",
                    due_on=date(2026, 10, 28),
                    created_at=october,
                ),
                PlanItem(  # done in November: still open at the end of October
                    review_id=held,
                    action="c",
                    owner_id=world.users["hos"],
                    measure="m",
                    due_on=date(2026, 12, 1),
                    status="done",
                    completed_at=datetime(2026, 11, 5),
                    created_at=october,
                ),
                PlanItem(  # added in November: not in October's plan
                    review_id=held,
                    action="d",
                    owner_id=world.users["hos"],
                    measure="m",
                    due_on=date(2026, 12, 1),
                    created_at=datetime(2026, 11, 5),
                ),
            ]
        )
        db.session.commit()
        section = report_section(date(2026, 10, 1), datetime(2026, 10, 1), datetime(2026, 11, 1))
        assert section.key == "thematic_review"
        assert section.data["reviews_held"] == [
            {"theme": "Neglect", "first_day": "2026-10-06", "cases": 12, "endorsed": False}
        ]
        assert section.data["cases_in_reviews"] == 12
        assert section.data["case_reviews_submitted"] == 2
        assert section.data["family_feedback"] == {
            "conversations": 3,
            "consents": 2,
            "refusals": 1,
            "replies_sent": 1,
        }
        assert section.data["action_plan"] == {
            "done": 1,
            "open": 2,
            "overdue": 1,
            "as_of": "2026-10-31",
        }
        assert section.summary == (
            "1 thematic review held in October 2026, with 12 cases; 2 case reviews submitted; "
            "3 family conversations captured and 1 reply sent. The rolling action plan has "
            "1 done and 2 open, 1 of them overdue."
        )
        assert section.tables[0].rows == (("Neglect", "6 October 2026", 12, "No"),)
        report = build_monthly_report(date(2026, 10, 1), date(2026, 12, 1))
        assert report["sections"]["thematic_review"]["cases_in_reviews"] == 12


def test_a_quiet_month_has_zeros(app, world):
    with app.app_context():
        section = report_section(date(2026, 3, 1), datetime(2026, 3, 1), datetime(2026, 4, 1))
    assert section.data["reviews_held"] == []
    assert section.data["action_plan"]["open"] == 0
    assert section.summary.startswith("0 thematic reviews held in March 2026, with 0 cases")
