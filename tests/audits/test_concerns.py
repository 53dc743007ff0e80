"""Safeguarding concerns: raised from an audit, sent at once to the head of service and the
safeguarding unit, shown on their dashboards and tracked until one of them responds."""

import html
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal.concerns.service import raise_concern, recipients, respond
from portal.extensions import db
from portal.models import ActivityEntry, Case, Notification, SafeguardingConcern, User
from portal.testing.fixtures import login

CONCERN_LINK = re.compile(r'href="/concerns/(\d+)"')
PANEL = "Safeguarding concerns awaiting a response"
NO_OPEN = "There are no open safeguarding concerns."


def as_person(app, world, short):
    """A test client signed in as *short*."""
    client = app.test_client()
    login(client, world.emails[short])
    return client


def raise_from_audit(app, world, audit_id, short="tm_b", text="Bruising seen on the child's arm."):
    return as_person(app, world, short).post_form(
        f"/concerns/audit/{audit_id}", {"description": text}
    )


def concerns(app) -> list[SafeguardingConcern]:
    with app.app_context():
        return db.session.scalars(select(SafeguardingConcern)).all()


def concern_notifications(app) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(select(Notification.user_id, Notification.subject)).all()
        return [
            (user_id, subject)
            for user_id, subject in rows
            if subject.startswith("Safeguarding concern")
        ]


def ids(world, *shorts):
    return [world.users[short] for short in shorts]


def activity(app, verb):
    with app.app_context():
        return db.session.scalars(
            select(ActivityEntry).where(
                ActivityEntry.object_type == "safeguarding_concern", ActivityEntry.verb == verb
            )
        ).all()


@pytest.mark.parametrize("reference", ["CS-1001", "EH-2001"])
def test_the_recipients_are_the_head_of_service_and_the_safeguarding_unit(app, world, reference):
    with app.app_context():
        case = db.session.get(Case, world.cases[reference])
        assert [person.id for person in recipients(case)] == ids(world, "hos", "sgu")


def test_without_a_head_of_service_in_the_chain_the_top_of_the_chain_receives_it(app, world):
    with app.app_context():
        db.session.get(User, world.users["sm"]).line_manager = None
        db.session.get(User, world.users["sgu"]).active = False
        db.session.commit()
        case = db.session.get(Case, world.cases["CS-1001"])
        assert [person.id for person in recipients(case)] == ids(world, "sm")


def test_raising_from_an_audit_notifies_the_recipients_at_once(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    response = raise_from_audit(app, world, audit_id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/audits/{audit_id}#safeguarding-concerns"
    [concern] = concerns(app)
    assert (concern.source_type, concern.source_id) == ("audit", str(audit_id))
    assert concern.raised_by_id == world.users["tm_b"]
    assert concern.is_open
    assert sorted(concern_notifications(app)) == sorted(
        [(user_id, "Safeguarding concern: CS-1001") for user_id in ids(world, "hos", "sgu")]
    )
    [entry] = activity(app, "raised")
    assert entry.actor_id == world.users["tm_b"]
    assert entry.object_id == str(concern.id)
    assert entry.after["sent_to"] == [world.emails["hos"], world.emails["sgu"]]


def test_the_auditor_is_told_who_received_it_and_sees_it_on_the_audit(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    client = as_person(app, world, "tm_b")
    page = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Raise a safeguarding concern" in page and "Describe the concern" in page
    assert "No safeguarding concern has been raised here." in page
    response = client.post_form(
        f"/concerns/audit/{audit_id}", {"description": "Bruising"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Your safeguarding concern has been sent to Hana Head and Saffron Unit." in page
    assert "Awaiting a response" in page


def test_it_shows_on_the_recipients_dashboards_until_answered(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    hos, sgu = as_person(app, world, "hos"), as_person(app, world, "sgu")
    for client in (hos, sgu):
        page = client.get("/").get_data(as_text=True)
        assert PANEL in page and NO_OPEN in page
    raise_from_audit(app, world, audit_id)
    for client in (hos, sgu):
        page = client.get("/").get_data(as_text=True)
        assert PANEL in page and NO_OPEN not in page
        assert "CS-1001" in page and "Tom Manager" in page
        assert "Respond to the 1 open concern" in page
    [concern] = concerns(app)
    response = sgu.post_form(f"/concerns/{concern.id}/respond", {"response": "Strategy meeting."})
    assert response.status_code == 302
    for client in (hos, sgu):
        assert NO_OPEN in client.get("/").get_data(as_text=True)


def test_the_panel_is_only_for_recipients_and_the_qa_lead(app, world):
    for short in ("sw_a", "tm_a", "sm"):
        assert PANEL not in as_person(app, world, short).get("/").get_data(as_text=True)
    for short in ("mash_hos", "qa_lead"):  # the QA lead oversees every concern (issue 12)
        assert PANEL in as_person(app, world, short).get("/").get_data(as_text=True)


def test_a_recipient_responds_once_and_the_raiser_is_told(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    raise_from_audit(app, world, audit_id)
    [concern] = concerns(app)
    hos = as_person(app, world, "hos")
    page = hos.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Your response" in page and "Send the response" in page
    response = hos.post_form(f"/concerns/{concern.id}/respond", {"response": "Visited today."})
    assert response.status_code == 302
    [answered] = concerns(app)
    assert not answered.is_open
    assert answered.response == "Visited today."
    assert answered.responded_by_id == world.users["hos"]
    with app.app_context():
        told = db.session.scalars(
            select(Notification.subject).where(Notification.user_id == world.users["tm_b"])
        ).all()
    assert "Response to your safeguarding concern: CS-1001" in told
    [entry] = activity(app, "responded")
    assert entry.actor_id == world.users["hos"]
    second = as_person(app, world, "sgu").post_form(
        f"/concerns/{concern.id}/respond", {"response": "Me too."}, follow_redirects=True
    )
    assert "already responded" in second.get_data(as_text=True)
    assert concerns(app)[0].response == "Visited today."
    assert len(activity(app, "responded")) == 1
    page = as_person(app, world, "tm_b").get(f"/audits/{audit_id}").get_data(as_text=True)
    assert "Answered" in page


def test_the_service_refuses_a_second_response(app, world):
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1001"])
        hos, sgu = (db.session.get(User, world.users[s]) for s in ("hos", "sgu"))
        concern = raise_concern(case, "home_visit_note", 4, "Worry", sgu)
        respond(concern, "Done", hos)
        db.session.commit()
        with pytest.raises(Exception, match="already has a response"):
            respond(concern, "Again", sgu)


@pytest.mark.parametrize("short", ["sm", "tm_a", "ad", "qa_lead", "sw_a", "eh_m"])
def test_only_recipients_may_respond(app, world, allocated, short):
    audit_id = allocated("CS-1001", "tm_b")
    raise_from_audit(app, world, audit_id)
    [concern] = concerns(app)
    client = as_person(app, world, short)
    response = client.post_form(f"/concerns/{concern.id}/respond", {"response": "Mine"})
    assert response.status_code == 403
    assert concerns(app)[0].is_open


def test_an_unknown_concern_is_not_found(app, world):
    client = as_person(app, world, "sgu")
    assert client.get("/concerns/999").status_code == 404
    assert client.post_form("/concerns/999/respond", {"response": "x"}).status_code == 404


def test_a_response_is_required(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    raise_from_audit(app, world, audit_id)
    [concern] = concerns(app)
    response = as_person(app, world, "sgu").post_form(
        f"/concerns/{concern.id}/respond", {"response": "  "}
    )
    assert response.status_code == 400
    assert "Enter your response to the concern" in response.get_data(as_text=True)
    assert concerns(app)[0].is_open


def test_someone_who_may_not_see_the_audit_cannot_raise_from_it(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    assert raise_from_audit(app, world, audit_id, short="sw_b").status_code == 403
    assert raise_from_audit(app, world, 999999, short="sw_b").status_code == 404
    assert concerns(app) == []


def test_a_safeguarding_unit_member_may_raise_from_any_audit(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    assert raise_from_audit(app, world, audit_id, short="sgu").status_code == 302
    assert concern_notifications(app) == [(world.users["hos"], "Safeguarding concern: CS-1001")]


def test_an_empty_description_is_refused_and_nothing_is_created(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    response = raise_from_audit(app, world, audit_id, text="   ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter a description of the safeguarding concern" in page
    assert 'href="#concern-description"' in page and 'id="concern-description"' in page
    assert concerns(app) == []
    assert concern_notifications(app) == []


def test_raising_needs_the_csrf_token(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    client = as_person(app, world, "tm_b")
    response = client.post(f"/concerns/audit/{audit_id}", data={"description": "Bruising"})
    assert response.status_code == 400
    assert concerns(app) == []


def test_the_list_shows_what_each_person_receives_or_raised(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    raise_from_audit(app, world, audit_id)
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1002"])
        raise_concern(case, "home_visit_note", 1, "Other", db.session.get(User, world.users["sgu"]))
        db.session.commit()
    for short, expected in {
        "hos": 2,
        "sgu": 2,
        "qa_lead": 2,
        "tm_b": 1,  # raised it
        "sm": 0,  # in the chain but not a recipient
        "sw_a": 0,
        "mash_hos": 0,
    }.items():
        page = as_person(app, world, short).get("/concerns/").get_data(as_text=True)
        assert len(CONCERN_LINK.findall(page)) == expected, short


def test_open_concerns_come_first(app, world):
    with app.app_context():
        sgu = db.session.get(User, world.users["sgu"])
        first = raise_concern(db.session.get(Case, world.cases["CS-1001"]), "note", 1, "First", sgu)
        raise_concern(db.session.get(Case, world.cases["CS-1002"]), "note", 2, "Second", sgu)
        db.session.flush()
        respond(first, "Handled", db.session.get(User, world.users["hos"]))
        db.session.commit()
    page = as_person(app, world, "qa_lead").get("/concerns/").get_data(as_text=True)
    results = page.split('<div id="concern-results">')[1]
    assert results.index("CS-1002") < results.index("CS-1001")
    assert results.index("Awaiting a response") < results.index("Answered")


def test_the_concern_page(app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    raise_from_audit(app, world, audit_id, text="Line one\n<script>alert(1)</script>")
    [concern] = concerns(app)
    page = as_person(app, world, "hos").get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Case CS-1001" in page
    assert f'href="/audits/{audit_id}"' in page
    assert "Tom Manager" in page
    assert "Line one\n&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert 'class="govuk-summary-list__value portal-pre"' in page
    raiser = as_person(app, world, "tm_b").get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Send the response" not in raiser and "No response has been recorded yet." in raiser
    for short in ("sw_b", "sm", "police"):
        assert as_person(app, world, short).get(f"/concerns/{concern.id}").status_code == 403


def test_a_plugin_can_raise_a_concern_from_its_own_object(app, world):
    with app.app_context():
        case = db.session.get(Case, world.cases["EH-2001"])
        raiser = db.session.get(User, world.users["eh_m"])
        concern = raise_concern(case, "home_visit_note", 12, "Said she is scared", raiser)
        db.session.commit()
        concern_id = concern.id
    page = as_person(app, world, "sgu").get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Home Visit Note 12" in page
    assert sorted(concern_notifications(app)) == sorted(
        [(user_id, "Safeguarding concern: EH-2001") for user_id in ids(world, "hos", "sgu")]
    )


@pytest.mark.parametrize(
    ("short", "shown"),
    [("hos", True), ("mash_hos", True), ("sgu", True), ("qa_lead", True), ("sw_a", False)],
)
def test_the_menu_item(app, world, short, shown):
    page = as_person(app, world, short).get("/").get_data(as_text=True)
    assert ('href="/concerns/"' in page) is shown


@pytest.mark.browser
def test_raise_and_answer_in_a_browser(page, live_server, sign_in, axe_check, allocated):
    from playwright.sync_api import expect

    audit_id = allocated("CS-1001", "tm_b")
    sign_in("tm_b")
    page.goto(f"{live_server}/audits/{audit_id}")
    axe_check()
    page.get_by_text("Raise a safeguarding concern").click()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a description")
    axe_check("the concern form with an error")
    page.get_by_label("Describe the concern").fill("Bruising seen on the child's arm.")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_text("Your safeguarding concern has been sent to")).to_be_visible()
    axe_check("the audit page with a concern")
    page.get_by_role("button", name="Sign out").click()
    axe_check("signed out")
    sign_in("sgu")
    navigation = page.get_by_role("navigation", name="Main menu")
    expect(navigation.get_by_role("link", name="Notifications (1)")).to_be_visible()
    navigation.get_by_role("link", name="Notifications (1)").click()
    axe_check()
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case CS-1001")
    axe_check()
    page.get_by_label("Your response").fill("Strategy meeting held.")
    page.get_by_role("button", name="Send the response").click()
    expect(page.get_by_text("Your response has been sent to Tom Manager.")).to_be_visible()
    axe_check("the answered concern")
    page.get_by_role("link", name="Safeguarding concerns").first.click()
    expect(page.locator("#concern-results").get_by_role("cell", name="Answered")).to_be_visible()
    axe_check()


def test_the_list_and_the_concern_page_agree_on_who_sees_what(app, world):
    """visible_concerns (the list) is the SQL twin of can_view (the concern page)."""
    from portal.concerns.service import can_view, visible_concerns
    from portal.testing.world import PEOPLE

    with app.app_context():
        for reference, short in (("CS-1001", "tm_b"), ("CS-1002", "sw_a"), ("EH-2001", "police")):
            raiser = db.session.get(User, world.users[short])
            raise_concern(db.session.get(Case, world.cases[reference]), "note", 1, "x", raiser)
        db.session.commit()
        everything = db.session.scalars(select(SafeguardingConcern)).all()
        for short, *_ in PEOPLE:
            user = db.session.get(User, world.users[short])
            listed = set(db.session.scalars(visible_concerns(user)))
            assert listed == {c for c in everything if can_view(user, c)}, short


def add_concerns(app, world, count, reference="CS-1001", *, at=datetime(2026, 11, 2, 10)):
    """*count* concerns about *reference* raised by the safeguarding unit from *at* on."""
    with app.app_context():
        sgu = db.session.get(User, world.users["sgu"])
        case = db.session.get(Case, world.cases[reference])
        for n in range(count):
            concern = raise_concern(case, "note", n, f"Concern {n}", sgu)
            concern.raised_at = at + timedelta(hours=n)
        db.session.commit()


def words(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_the_list_is_paged_and_filtered(app, world):
    add_concerns(app, world, 52)
    add_concerns(app, world, 3, "CS-1002", at=datetime(2026, 9, 8, 10))
    with app.app_context():
        answered = db.session.scalars(
            select(SafeguardingConcern).where(SafeguardingConcern.case_id == world.cases["CS-1002"])
        ).first()
        respond(answered, "Seen to", db.session.get(User, world.users["hos"]))
        db.session.commit()
    client = as_person(app, world, "qa_lead")

    first = client.get("/concerns/")
    last = client.get("/concerns/?page=2")
    september = client.get("/concerns/?raised=2026-09")
    open_ones = client.get("/concerns/?status=open&raised=2026-09")
    answered_ones = client.get("/concerns/?status=answered")

    assert "1–50 of 55 concerns" in words(first) and len(CONCERN_LINK.findall(last.text)) == 5
    assert "51–55 of 55 concerns" in words(last) and "Answered" in last.text  # answered last
    assert "3 concerns" in words(september) and "CS-1001" not in september.text.split("results")[1]
    assert "2 concerns" in words(open_ones)
    assert "1 concern" in words(answered_ones)
    assert "No safeguarding concerns match" in words(client.get("/concerns/?raised=2025-01"))


def test_a_malformed_month_is_explained_and_htmx_gets_the_results_alone(app, world):
    add_concerns(app, world, 2)
    client = as_person(app, world, "sgu")
    htmx = {"HX-Request": "true", "HX-Target": "concern-results"}

    bad = client.get("/concerns/?raised=Nov")
    fragment = client.get("/concerns/?status=open", headers=htmx)

    assert bad.status_code == 400
    assert "There is a problem Month raised must be a year and month, like 2026-11" in words(bad)
    assert "2 concerns" in words(bad)
    assert client.get("/concerns/?raised=Nov", headers=htmx).headers["HX-Redirect"]
    assert fragment.text.lstrip().startswith('<div id="concern-results">')
    assert "<html" not in fragment.text and "2 concerns" in words(fragment)


@pytest.mark.parametrize("short", ["sgu", "hos", "tm_b"])
def test_the_list_sends_as_many_statements_for_60_concerns_as_for_2(app, world, short):
    from portal.testing.statements import statements_for

    add_concerns(app, world, 2)
    client = as_person(app, world, short)
    few = statements_for(app, client, "/concerns/")
    add_concerns(app, world, 30, "CS-1002")
    add_concerns(app, world, 30, "EH-2001")

    assert statements_for(app, client, "/concerns/") == few
