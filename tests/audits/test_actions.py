"""Actions after an audit: the owner completes, the line manager signs off or returns, the
audit closes; with the pages, the activity history and the notifications."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.actions.rules import sign_off_manager
from portal.audits.service import refresh_status
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    ActivityEntry,
    Audit,
    AuditStatus,
    Notification,
    User,
)
from portal.testing.fixtures import login
from portal.timeutil import utcnow

ROW = re.compile(r'<tbody class="govuk-table__body" id="action-(\d+)">')
NEXT_WEEK = date.today() + timedelta(days=7)
LAST_WEEK = date.today() - timedelta(days=7)
CLOSED_SUBJECT = "The audit of CS-1001 is closed"


def text_of(response, results_id: str = "") -> str:
    """The page's visible words, tags removed and spaces collapsed; with *results_id*,
    only from that list's results block on (after the filter forms)."""
    page = response.get_data(as_text=True)
    if results_id:
        page = page[page.index(">", page.index(f'id="{results_id}"')) + 1 :]
    words = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(words).split())


@pytest.fixture
def issued(app, world, allocated):
    """A submitted audit of CS-1001 (auditor tm_b) with actions already issued.

    Each action is given as keyword overrides; returns the audit id and the action ids.
    """

    def make(*specs: dict) -> tuple[int, list[int]]:
        audit_id = allocated("CS-1001", "tm_b")
        with app.app_context():
            audit = db.session.get(Audit, audit_id)
            audit.submitted_at = utcnow()
            audit.status = AuditStatus.SUBMITTED.value
            actions = []
            for spec in specs or ({},):
                fields = {
                    "section_key": "plan",
                    "description": "Update the child's plan",
                    "priority": "high",
                    "owner": "sw_a",
                    "due_on": NEXT_WEEK,
                    "status": ActionStatus.OPEN,
                    **spec,
                }
                action = Action(
                    audit_id=audit.id,
                    section_key=fields["section_key"],
                    description=fields["description"],
                    priority=fields["priority"],
                    owner_id=world.users[fields["owner"]],
                    due_on=fields["due_on"],
                    status=fields["status"].value,
                    evidence=fields.get("evidence", ""),
                    completed_at=utcnow() if fields["status"] == ActionStatus.COMPLETED else None,
                )
                db.session.add(action)
                actions.append(action)
            db.session.flush()
            db.session.refresh(audit)
            refresh_status(audit)
            db.session.commit()
            return audit_id, [action.id for action in actions]

    return make


@pytest.fixture
def browser_of(app, world):
    """A separate signed-in client for one of the world's people."""

    def make(short_name: str):
        other = app.test_client()
        assert login(other, world.emails[short_name]).status_code == 302
        return other

    return make


def get_action(action_id: int) -> Action:
    return db.session.get(Action, action_id)


def activity(action_id: int) -> list[ActivityEntry]:
    return list(
        db.session.scalars(
            select(ActivityEntry)
            .where(ActivityEntry.object_type == "action", ActivityEntry.object_id == str(action_id))
            .order_by(ActivityEntry.id)
        )
    )


def notifications(world, short_name: str, subject: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == world.users[short_name])
    if subject is not None:
        query = query.where(Notification.subject == subject)
    return list(db.session.scalars(query.order_by(Notification.id)))


# My actions


def test_my_actions_lists_the_owners_issued_actions(client, login_as, issued, app, world):
    audit_id, [action_id] = issued({"description": "Review the <plan> with mum"})
    with app.app_context():  # a draft of another audit is not the owner's yet
        other = db.session.get(Audit, audit_id)
        db.session.add(Action(audit_id=other.id, description="Draft", owner_id=world.users["sw_a"]))
        db.session.commit()
    login_as("sw_a")

    response = client.get("/actions/")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ROW.findall(page) == [str(action_id)]
    assert f'href="/audits/{audit_id}">CS-1001</a>' in page
    assert "Review the &lt;plan&gt; with mum" in page  # escaped
    assert 'class="govuk-table__cell portal-pre"' in page
    words = text_of(response, "my-action-results")
    assert words.startswith("1 action Case Section")
    assert "The plan" in words and "High" in words and "Open" in words
    assert f"{NEXT_WEEK.day} {NEXT_WEEK:%B %Y}" in words
    assert "Overdue" not in words
    assert f'id="evidence-{action_id}"' in page
    assert f'action="/actions/{action_id}/complete"' in page
    assert "Draft" not in words


def test_my_actions_empty_state_and_only_my_own(client, login_as, issued):
    issued()
    login_as("sw_b")

    response = client.get("/actions/")

    assert response.status_code == 200
    assert "You have no actions." in text_of(response)
    assert ROW.findall(response.get_data(as_text=True)) == []


def test_my_actions_puts_open_and_returned_first_then_completed_then_signed_off(
    client, login_as, issued, app
):
    _, ids = issued(
        {"status": ActionStatus.SIGNED_OFF, "due_on": LAST_WEEK},
        {"status": ActionStatus.COMPLETED, "due_on": LAST_WEEK},
        {"due_on": NEXT_WEEK + timedelta(days=30)},
        {"due_on": NEXT_WEEK},
    )
    with app.app_context():
        get_action(ids[2]).returned_reason = "Not yet"
        db.session.commit()
    login_as("sw_a")

    everything = client.get("/actions/").get_data(as_text=True)
    open_only = client.get("/actions/?status=open").get_data(as_text=True)

    assert ROW.findall(everything) == [str(ids[3]), str(ids[2]), str(ids[1]), str(ids[0])]
    assert ROW.findall(open_only) == [str(ids[3]), str(ids[2])]
    assert '<option value="open" selected>' in open_only


def test_an_overdue_action_is_flagged_and_a_future_one_is_not(client, login_as, issued):
    _, [late, on_time] = issued({"due_on": LAST_WEEK}, {"due_on": NEXT_WEEK})
    login_as("sw_a")

    page = client.get("/actions/").get_data(as_text=True)

    rows = dict(re.findall(r'id="action-(\d+)">(.*?)</tbody>', page, re.S))
    tag = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    assert tag in rows[str(late)]
    assert tag not in rows[str(on_time)]


# Completing


def test_the_owner_completes_an_action_with_evidence(client, login_as, issued, app, world):
    _, [action_id] = issued()
    login_as("sw_a")

    response = client.post_form(
        f"/actions/{action_id}/complete?status=open&priority=high",
        {"evidence": "Plan updated on 3 December"},
    )

    assert response.status_code == 302  # back to the same filtered list
    assert response.headers["Location"] == "/actions/?status=open&priority=high"
    page = client.get(response.headers["Location"])
    assert "Tara Manager has been asked to sign it off." in text_of(page)
    with app.app_context():
        action = get_action(action_id)
        assert action.state == ActionStatus.COMPLETED
        assert action.evidence == "Plan updated on 3 December"
        assert action.completed_at is not None
        [entry] = activity(action_id)
        assert entry.verb == "completed"
        assert entry.actor_id == world.users["sw_a"]
        assert entry.before == {"status": "open"}
        assert entry.after["status"] == "completed"
        [note] = notifications(world, "tm_a")
        assert note.subject == "An action is ready for your sign-off"
        assert "Sophie Worker" in note.body and "CS-1001" in note.body
        assert note.link == f"/actions/sign-off#action-{action_id}"


@pytest.mark.parametrize("evidence", ["", "   \n  "])
def test_empty_evidence_shows_the_page_again_and_changes_nothing(
    client, login_as, issued, app, world, evidence
):
    _, [action_id] = issued()
    login_as("sw_a")

    response = client.post_form(f"/actions/{action_id}/complete", {"evidence": evidence})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert f'<a href="#evidence-{action_id}">Describe what was done</a>' in page
    assert 'class="govuk-error-message"' in page
    with app.app_context():
        action = get_action(action_id)
        assert action.state == ActionStatus.OPEN and action.evidence == ""
        assert activity(action_id) == []
        assert notifications(world, "tm_a") == []


@pytest.mark.parametrize("who", ["sw_b", "tm_a", "qa_lead"])
def test_only_the_owner_may_complete(login_as, issued, app, who):
    _, [action_id] = issued()
    client = login_as(who)

    response = client.post_form(f"/actions/{action_id}/complete", {"evidence": "Done"})

    assert response.status_code == 403
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.OPEN


def test_completing_an_action_that_is_not_open_is_a_conflict(client, login_as, issued, app):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "First go"})
    login_as("sw_a")

    response = client.post_form(f"/actions/{action_id}/complete", {"evidence": "Again"})

    assert response.status_code == 409
    assert "already complete and is waiting for sign-off" in text_of(response)
    with app.app_context():
        assert get_action(action_id).evidence == "First go"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/actions/999/complete", {"evidence": "Done"}),
        ("/actions/999/sign-off", {}),
        ("/actions/999/return", {"reason": "No"}),
    ],
)
def test_an_unknown_action_is_not_found(client, login_as, issued, url, data):
    issued()
    login_as("tm_a")

    assert client.post_form(url, data).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(client, login_as, issued, app):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_a")

    refused = [
        client.post(f"/actions/{action_id}/sign-off"),
        client.post(f"/actions/{action_id}/return", data={"reason": "No"}),
    ]

    assert [response.status_code for response in refused] == [400, 400]
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.COMPLETED
        assert activity(action_id) == []


# Signing off and returning


def test_the_sign_off_page_shows_completed_actions_with_their_evidence(
    client, login_as, issued, app
):
    _, [done, still_open] = issued(
        {"status": ActionStatus.COMPLETED, "evidence": "Visited <Tuesday>"},
        {"due_on": LAST_WEEK, "description": "Chase the school"},
    )
    login_as("tm_a")

    response = client.get("/actions/sign-off")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="action-{done}"' in page and f'id="action-{still_open}"' not in page
    assert "Visited &lt;Tuesday&gt;" in page
    assert f'action="/actions/{done}/sign-off"' in page
    assert f'action="/actions/{done}/return"' in page
    assert f'id="reason-{done}"' in page
    words = text_of(response)
    assert "Your team's actions" in words
    team = words.split("Your team's actions")[1]
    assert "Sophie Worker" in team and "Chase the school" in team and "Overdue" in team


def test_the_sign_off_page_empty_state(client, login_as, issued):
    issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_b")

    words = text_of(client.get("/actions/sign-off"))

    assert "No actions are waiting for your sign-off." in words
    assert "Nobody who reports to you has an open action." in words


def test_a_worker_without_reports_sees_no_team_section(client, login_as):
    login_as("sw_a")

    words = text_of(client.get("/actions/sign-off"))

    assert "No actions are waiting for your sign-off." in words
    assert "Your team's actions" not in words


def test_the_line_manager_signs_off_the_last_action_and_the_audit_closes(
    client, login_as, issued, app, world
):
    audit_id, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_a")

    response = client.post_form(f"/actions/{action_id}/sign-off")

    assert response.status_code == 302
    assert response.headers["Location"] == "/actions/sign-off"
    assert "the audit of CS-1001 is closed" in text_of(client.get("/actions/sign-off"))
    with app.app_context():
        action = get_action(action_id)
        assert action.state == ActionStatus.SIGNED_OFF
        assert action.signed_off_by_id == world.users["tm_a"]
        assert action.signed_off_at is not None
        audit = db.session.get(Audit, audit_id)
        assert audit.lifecycle == AuditStatus.CLOSED
        assert audit.closed_at is not None
        [entry] = activity(action_id)
        assert entry.verb == "signed off" and entry.actor_id == world.users["tm_a"]
        assert entry.before == {"status": "completed"}
        assert entry.after["status"] == "signed_off"
        [note] = notifications(world, "sw_a")
        assert note.subject == "Your action from the audit of CS-1001 is signed off"
        assert len(notifications(world, "tm_b", CLOSED_SUBJECT)) == 1
        assert notifications(world, "sw_a", CLOSED_SUBJECT) == []


def test_signing_off_one_of_several_leaves_the_audit_open(client, login_as, issued, app, world):
    audit_id, [first, _] = issued(
        {"status": ActionStatus.COMPLETED, "evidence": "Done"},
        {"status": ActionStatus.COMPLETED, "evidence": "Done too"},
    )
    login_as("tm_a")

    assert client.post_form(f"/actions/{first}/sign-off").status_code == 302

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.lifecycle == AuditStatus.ACTIONS_OPEN
        assert audit.closed_at is None
        assert notifications(world, "tm_b", CLOSED_SUBJECT) == []


def test_a_returned_action_is_open_again_with_the_reason(
    client, login_as, issued, browser_of, app, world
):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Rang mum"})
    login_as("tm_a")

    response = client.post_form(
        f"/actions/{action_id}/return", {"reason": "The plan itself is not updated"}
    )

    assert response.status_code == 302
    assert "You returned the action to Sophie Worker." in text_of(client.get("/actions/sign-off"))
    with app.app_context():
        action = get_action(action_id)
        assert action.state == ActionStatus.OPEN
        assert action.returned_reason == "The plan itself is not updated"
        assert action.evidence == "Rang mum"
        [entry] = activity(action_id)
        assert entry.verb == "returned"
        assert entry.before == {"status": "completed"}
        assert entry.after == {"status": "open", "returned_reason": action.returned_reason}
        [note] = notifications(world, "sw_a")
        assert "has been returned" in note.subject
        assert "The plan itself is not updated" in note.body
    mine = browser_of("sw_a").get("/actions/")
    words = text_of(mine)
    assert "Returned by your manager because: The plan itself is not updated" in words
    assert '<strong class="govuk-tag govuk-tag--orange">Returned</strong>' in mine.get_data(
        as_text=True
    )
    assert ">Rang mum</textarea>" in mine.get_data(as_text=True)  # the evidence kept


def test_a_return_needs_a_reason(client, login_as, issued, app, world):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_a")

    response = client.post_form(f"/actions/{action_id}/return", {"reason": " "})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#reason-{action_id}">Say why the action is not complete</a>' in page
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.COMPLETED
        assert activity(action_id) == []
        assert notifications(world, "sw_a") == []


@pytest.mark.parametrize("who", ["tm_b", "sm", "sw_a", "qa_lead"])
@pytest.mark.parametrize("decision", ["sign-off", "return"])
def test_only_the_sign_off_manager_decides(login_as, issued, app, who, decision):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    client = login_as(who)

    response = client.post_form(f"/actions/{action_id}/{decision}", {"reason": "No"})

    assert response.status_code == 403
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.COMPLETED


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ActionStatus.OPEN, "is not complete yet"),
        (ActionStatus.SIGNED_OFF, "has already been signed off"),
    ],
)
@pytest.mark.parametrize("decision", ["sign-off", "return"])
def test_deciding_on_an_action_that_is_not_completed_is_a_conflict(
    client, login_as, issued, app, status, message, decision
):
    audit_id, [action_id] = issued({"status": status})
    with app.app_context():
        audit_before = db.session.get(Audit, audit_id)
        audit_before = (audit_before.status, audit_before.closed_at)
    login_as("tm_a")

    response = client.post_form(f"/actions/{action_id}/{decision}", {"reason": "No"})

    assert response.status_code == 409
    assert message in text_of(response)
    with app.app_context():
        assert get_action(action_id).state == status
        assert activity(action_id) == []
        audit = db.session.get(Audit, audit_id)
        assert (audit.status, audit.closed_at) == audit_before


def test_without_a_line_manager_the_case_teams_manager_signs_off(
    client, login_as, issued, app, world
):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    with app.app_context():
        db.session.get(User, world.users["sw_a"]).line_manager = None
        db.session.get(User, world.users["tm_a"]).line_manager = None
        db.session.commit()
        assert sign_off_manager(get_action(action_id)).id == world.users["tm_a"]
    login_as("tm_a")

    assert f'id="action-{action_id}"' in client.get("/actions/sign-off").get_data(as_text=True)
    assert client.post_form(f"/actions/{action_id}/sign-off").status_code == 302
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.SIGNED_OFF


def test_a_team_managers_own_action_goes_to_their_line_manager(
    login_as, issued, browser_of, app, world
):
    _, [action_id] = issued({"owner": "tm_a", "status": ActionStatus.COMPLETED, "evidence": "x"})

    assert browser_of("tm_a").post_form(f"/actions/{action_id}/sign-off").status_code == 403
    assert browser_of("sm").post_form(f"/actions/{action_id}/sign-off").status_code == 302
    with app.app_context():
        assert get_action(action_id).signed_off_by_id == world.users["sm"]


def test_the_whole_round_trip(issued, browser_of, app, world):
    audit_id, [action_id] = issued()
    owner, manager = browser_of("sw_a"), browser_of("tm_a")

    owner.post_form(f"/actions/{action_id}/complete", {"evidence": "First try"})
    manager.post_form(f"/actions/{action_id}/return", {"reason": "Not enough"})
    owner.post_form(f"/actions/{action_id}/complete", {"evidence": "Second try"})
    manager.post_form(f"/actions/{action_id}/sign-off")

    with app.app_context():
        assert [entry.verb for entry in activity(action_id)] == [
            "completed",
            "returned",
            "completed",
            "signed off",
        ]
        assert get_action(action_id).evidence == "Second try"
        assert db.session.get(Audit, audit_id).lifecycle == AuditStatus.CLOSED
        subjects = [note.subject for note in notifications(world, "tm_a")]
        assert subjects == ["An action is ready for your sign-off"] * 2


# htmx


def test_completing_with_htmx_answers_with_the_row(client, login_as, issued, app):
    _, [action_id] = issued()
    login_as("sw_a")

    response = client.post_form(
        f"/actions/{action_id}/complete?show=all",
        {"evidence": "Done it"},
        headers={"HX-Request": "true"},
    )

    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert fragment.lstrip().startswith(
        f'<tbody class="govuk-table__body" id="action-{action_id}">'
    )
    assert "Completed" in fragment and 'id="evidence-' not in fragment
    assert 'id="action-status" role="status" hx-swap-oob="true"' in fragment
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.COMPLETED
    # the message went into the page, not into the next page's banner
    assert "has been asked to sign it off" not in text_of(client.get("/actions/"))


def test_empty_evidence_with_htmx_answers_with_the_row_and_its_error(client, login_as, issued, app):
    _, [action_id] = issued()
    login_as("sw_a")

    response = client.post_form(
        f"/actions/{action_id}/complete", {"evidence": ""}, headers={"HX-Request": "true"}
    )

    fragment = response.get_data(as_text=True)
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert "<html" not in fragment
    assert "Describe what was done" in fragment and "govuk-error-message" in fragment
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.OPEN
        assert activity(action_id) == []


def test_signing_off_and_returning_with_htmx_answer_with_the_card(client, login_as, issued, app):
    _, [first, second] = issued(
        {"status": ActionStatus.COMPLETED, "evidence": "Done"},
        {"status": ActionStatus.COMPLETED, "evidence": "Done"},
    )
    login_as("tm_a")
    hx = {"HX-Request": "true"}

    signed = client.post_form(f"/actions/{first}/sign-off", headers=hx)
    returned = client.post_form(f"/actions/{second}/return", {"reason": "Redo"}, headers=hx)

    assert signed.status_code == returned.status_code == 200
    signed_card, returned_card = signed.get_data(as_text=True), returned.get_data(as_text=True)
    assert "<html" not in signed_card and f'id="action-{first}"' in signed_card
    assert "You signed this action off." in signed_card
    assert "You returned this action to Sophie Worker." in returned_card
    assert 'hx-swap-oob="true"' in returned_card
    with app.app_context():
        assert get_action(first).state == ActionStatus.SIGNED_OFF
        assert get_action(second).state == ActionStatus.OPEN


def test_a_return_without_a_reason_with_htmx_answers_with_the_card_and_its_error(
    client, login_as, issued, app
):
    _, [action_id] = issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_a")

    response = client.post_form(
        f"/actions/{action_id}/return", {"reason": ""}, headers={"HX-Request": "true"}
    )

    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Say why the action is not complete" in fragment and "<details" in fragment
    assert " open>" in fragment  # the return form stays open to show the error
    with app.app_context():
        assert get_action(action_id).state == ActionStatus.COMPLETED


def test_a_conflict_with_htmx_reloads_the_page_with_the_reason(client, login_as, issued):
    _, [action_id] = issued()
    login_as("tm_a")

    response = client.post_form(f"/actions/{action_id}/sign-off", headers={"HX-Request": "true"})

    assert response.status_code == 409
    assert response.headers["HX-Refresh"] == "true"
    assert "is not complete yet" in text_of(client.get("/actions/sign-off"))


# Dashboard and navigation


def test_the_dashboard_shows_the_owners_open_actions(client, login_as, issued):
    issued({"due_on": LAST_WEEK, "description": "Chase the school"}, {"description": "Visit"})
    login_as("sw_a")

    response = client.get("/")

    panel = text_of(response).split("Your actions")[1]
    assert "You have 2 open actions: 1 is overdue" in panel
    assert "CS-1001 Chase the school" in panel and "Open, overdue" in panel
    assert "Visit" in panel and "See all 2 open actions" in panel
    page = response.get_data(as_text=True)
    assert 'href="/actions/?status=open&amp;overdue=1">1 is overdue</a>' in page
    assert 'href="/actions/?status=open">See all 2 open actions</a>' in page


def test_the_dashboard_says_so_when_every_action_is_done(client, login_as, issued):
    issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("sw_a")

    assert "Your actions You have no open actions." in text_of(client.get("/"))


def test_the_dashboard_has_no_action_panel_for_someone_without_actions(client, login_as):
    login_as("sw_b")

    words = text_of(client.get("/"))

    assert "Your actions" not in words
    assert "Actions awaiting your sign-off" not in words


def test_the_dashboard_counts_actions_awaiting_a_managers_sign_off(client, login_as, issued):
    issued(
        {"status": ActionStatus.COMPLETED, "evidence": "Done"},
        {"status": ActionStatus.COMPLETED, "evidence": "Done"},
    )
    login_as("tm_a")

    response = client.get("/")

    assert "2 actions are waiting for your sign-off." in text_of(response)
    assert 'href="/actions/sign-off"' in response.get_data(as_text=True)


def test_the_dashboard_sign_off_panel_empty_state(client, login_as, issued):
    issued({"status": ActionStatus.COMPLETED, "evidence": "Done"})
    login_as("tm_b")

    words = text_of(client.get("/"))

    assert "Actions awaiting your sign-off No actions are waiting for your sign-off." in words


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("sw_a", True),
        ("tm_a", True),
        ("eh_w", True),
        ("qa_admin", True),
        ("admin", False),
        ("police", False),
    ],
)
def test_the_actions_menu_item(client, login_as, who, shown):
    login_as(who)

    page = client.get("/").get_data(as_text=True)

    item = re.search(
        r'<a class="govuk-service-navigation__link" href="/actions/"[^>]*>\s*Actions', page
    )
    assert bool(item) is shown


def test_the_menu_marks_actions_as_the_current_section(client, login_as):
    login_as("tm_a")

    page = client.get("/actions/sign-off").get_data(as_text=True)

    item = re.search(
        r'<li class="govuk-service-navigation__item([^"]*)">\s*<a[^>]*href="/actions/"', page
    )
    assert item and "--active" in item.group(1)
