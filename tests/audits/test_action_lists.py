"""The action lists at scale: who signs off what (the SQL against the rule for one action),
which audits link, filters, pages, htmx answers, the home page's counts, and a fixed number
of statements whatever the number of actions."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.actions import queries
from portal.actions.rules import sign_off_manager
from portal.audits.access import can_view
from portal.extensions import db
from portal.models import Action, ActionStatus, Audit, AuditStatus, SafeguardingConcern, User
from portal.testing.statements import statements_for
from portal.timeutil import utcnow

TODAY = date.today()
ROW = re.compile(r'<tbody class="govuk-table__body" id="action-(\d+)">')
CARD = re.compile(r'<div class="govuk-summary-card" id="action-(\d+)">')
TEAM_ROW = re.compile(r'<tr class="govuk-table__row" id="team-action-(\d+)">')
OWNERS = ["sw_a", "sw_b", "tm_a", "tm_b", "eh_w", "eh_m", None]


def words(page: str) -> str:
    """The visible words of *page*, tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def submitted(app, world, allocated):
    """A submitted audit of *reference* by *auditor*; returns its id."""

    def make(reference: str, auditor: str = "tm_b", submitted: bool = True) -> int:
        audit_id = allocated(reference, auditor)
        if submitted:
            with app.app_context():
                audit = db.session.get(Audit, audit_id)
                audit.submitted_at = utcnow()
                audit.status = AuditStatus.ACTIONS_OPEN.value
                db.session.commit()
        return audit_id

    return make


def add_actions(world, audit_id: int, owner: str | None, count: int, **fields) -> list[int]:
    """*count* issued actions of *audit_id* owned by *owner* (inside an app context)."""
    status = fields.pop("status", ActionStatus.OPEN)
    actions = [
        Action(
            audit_id=audit_id,
            section_key=fields.get("section_key", "plan"),
            description=fields.get("description", f"Action {n} for {owner}"),
            priority=fields.get("priority", "medium"),
            owner_id=world.users[owner] if owner else None,
            due_on=fields.get("due_on", TODAY + timedelta(days=n % 40 - 10)),
            status=status.value,
            evidence="Done" if status != ActionStatus.OPEN else "",
            completed_at=utcnow() if status == ActionStatus.COMPLETED else None,
        )
        for n in range(count)
    ]
    db.session.add_all(actions)
    db.session.flush()
    return [action.id for action in actions]


# The sign-off rule in SQL agrees with sign_off_manager


def _set_up(world, scenario: str) -> None:
    users = {short: db.session.get(User, uid) for short, uid in world.users.items()}
    changes = {
        "as built": lambda: None,
        "inactive team manager": lambda: setattr(users["tm_a"], "active", False),
        "inactive chain": lambda: (
            setattr(users["tm_a"], "active", False),
            setattr(users["sm"], "active", False),
        ),
        "owner without a manager": lambda: setattr(users["sw_a"], "line_manager", None),
        "owner without a manager, team manager inactive": lambda: (
            setattr(users["sw_a"], "line_manager", None),
            setattr(users["tm_a"], "active", False),
        ),
        "team manager's own action": lambda: setattr(users["tm_a"], "line_manager", None),
        "the chain leads back to the owner": lambda: (
            setattr(users["tm_a"], "active", False),
            setattr(users["tm_a"], "line_manager", users["sw_a"]),
        ),
        "a loop of inactive managers": lambda: (
            setattr(users["tm_a"], "active", False),
            setattr(users["sm"], "active", False),
            setattr(users["sm"], "line_manager", users["tm_a"]),
        ),
    }
    changes[scenario]()
    db.session.commit()


@pytest.mark.parametrize(
    "scenario",
    [
        "as built",
        "inactive team manager",
        "inactive chain",
        "owner without a manager",
        "owner without a manager, team manager inactive",
        "team manager's own action",
        "the chain leads back to the owner",
        "a loop of inactive managers",
    ],
)
def test_the_sign_off_lists_in_sql_agree_with_the_rule(app, world, submitted, scenario):
    audits = [submitted("CS-1001"), submitted("CS-1002"), submitted("EH-2001", "tm_a")]
    with app.app_context():
        for audit_id in audits:
            for owner in OWNERS:
                add_actions(world, audit_id, owner, 1, status=ActionStatus.COMPLETED)
                add_actions(world, audit_id, owner, 1)  # open: never awaiting sign-off
        db.session.commit()
        _set_up(world, scenario)
        actions = db.session.scalars(select(Action)).all()
        for user in db.session.scalars(select(User)):
            expected = {
                action.id
                for action in actions
                if action.state == ActionStatus.COMPLETED
                and (manager := sign_off_manager(action)) is not None
                and manager.id == user.id
            }
            reach = queries.reach_of(user)
            found = set(db.session.scalars(queries.awaiting(reach).with_only_columns(Action.id)))
            assert found == expected, (scenario, user.name)
            assert queries.count_awaiting(reach) == len(expected)


@pytest.mark.parametrize(
    ("scenario", "manager", "owner"),
    [
        ("inactive team manager", "sm", "sw_a"),
        ("owner without a manager", "tm_a", "sw_a"),
    ],
)
def test_the_sign_off_page_shows_what_the_rule_gives_that_manager(
    app, world, submitted, login_as, scenario, manager, owner
):
    audit_id = submitted("CS-1001")
    with app.app_context():
        [theirs] = add_actions(world, audit_id, owner, 1, status=ActionStatus.COMPLETED)
        [other] = add_actions(world, audit_id, "sw_b", 1, status=ActionStatus.COMPLETED)
        db.session.commit()
        _set_up(world, scenario)
        expected = {
            str(a.id)
            for a in db.session.scalars(select(Action))
            if (m := sign_off_manager(a)) is not None and m.id == world.users[manager]
        }
    client = login_as(manager)

    page = client.get("/actions/sign-off").get_data(as_text=True)

    assert set(CARD.findall(page)) == expected
    assert str(theirs) in expected and str(other) not in expected
    assert client.post_form(f"/actions/{theirs}/sign-off").status_code == 302


# Which audits link: the SQL against can_view


def test_the_linked_audits_are_exactly_those_the_reader_may_view(app, world, submitted):
    audits = [
        submitted("CS-1001"),
        submitted("CS-1002", "tm_a"),
        submitted("EH-2001", "police"),
        submitted("CS-1002", "police", submitted=False),
    ]
    with app.app_context():
        add_actions(world, audits[1], "sw_a", 1)  # sw_a owns an action of CS-1002's audit
        db.session.commit()
        for user in db.session.scalars(select(User)):
            expected = {a for a in audits if can_view(user, db.session.get(Audit, a))}
            found = queries.viewable(user, set(audits), queries.reach_of(user))
            assert found == expected, user.name


# Filters, pages and htmx on "My actions"


@pytest.fixture
def many(app, world, submitted):
    """sw_a owns 60 open actions (12 overdue, 15 high), 5 completed and 5 signed off on
    CS-1001; and 3 open on EH-2001 (Early Help)."""
    csc = submitted("CS-1001")
    early_help = submitted("EH-2001", "tm_a")
    with app.app_context():
        ids = {
            "open": add_actions(world, csc, "sw_a", 60, due_on=TODAY + timedelta(days=30)),
            "completed": add_actions(world, csc, "sw_a", 5, status=ActionStatus.COMPLETED),
            "signed_off": add_actions(world, csc, "sw_a", 5, status=ActionStatus.SIGNED_OFF),
            "early_help": add_actions(world, early_help, "sw_a", 3, due_on=date(2027, 3, 9)),
        }
        open_ones = db.session.scalars(select(Action).where(Action.id.in_(ids["open"]))).all()
        for n, action in enumerate(open_ones):
            if n < 12:
                action.due_on = TODAY - timedelta(days=n + 1)
            if n % 4 == 0:
                action.priority = "high"
        db.session.commit()
    return ids


def test_my_actions_are_paginated_open_first_with_a_caption(client, login_as, many):
    login_as("sw_a")

    first = client.get("/actions/").get_data(as_text=True)
    last = client.get("/actions/?page=2").get_data(as_text=True)

    assert "1–50 of 73 actions" in words(first)
    assert "51–73 of 73 actions" in words(last)
    assert len(ROW.findall(first)) == 50
    overdue_first = [int(i) for i in ROW.findall(first)[:12]]
    assert set(overdue_first) == set(many["open"][:12])
    assert 'href="/actions/?page=2"' in first
    shown = ROW.findall(first) + ROW.findall(last)
    assert len(set(shown)) == 73  # nothing lost between pages
    assert [int(i) for i in ROW.findall(last)[-10:]] == sorted(
        many["completed"] + many["signed_off"],
        key=lambda i: (i in many["signed_off"], i),
    )


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("status=open", 63),
        ("status=completed", 5),
        ("status=signed_off", 5),
        ("status=open&overdue=1", 12),
        ("overdue=1&priority=high", 3),
        ("priority=high", 15),
        ("due=2027-03", 3),
        ("service=EH", 3),
    ],
)
def test_my_actions_filters(app, world, client, login_as, many, query, count):
    if "service=" in query:
        query = query.replace("service=EH", f"service={world.services['EH']}")
    login_as("sw_a")

    page = client.get(f"/actions/?{query}").get_data(as_text=True)

    assert len(ROW.findall(page)) == min(count, 50)
    caption = f"1–50 of {count} actions" if count > 50 else f"{count} actions"
    assert f">{caption}</caption>" in page
    assert "Clear filters" in page


def test_a_bad_filter_value_is_ignored(client, login_as, many):
    login_as("sw_a")

    page = client.get("/actions/?status=nonsense&priority=urgent&due=2027-13&page=x")

    assert page.status_code == 200
    assert "1–50 of 73 actions" in words(page.get_data(as_text=True))


def test_htmx_filters_answer_with_the_results_block_and_page_links_keep_filters(
    client, login_as, many
):
    login_as("sw_a")
    hx = {"HX-Request": "true", "HX-Target": "my-action-results"}

    fragment = client.get("/actions/?status=open", headers=hx).get_data(as_text=True)

    assert "<html" not in fragment and "Apply filters" not in fragment
    assert fragment.lstrip().startswith('<div id="my-action-results">')
    assert "1–50 of 63 actions" in words(fragment)
    assert 'href="/actions/?status=open&amp;page=2"' in fragment
    assert 'hx-target="#my-action-results"' in fragment


def test_completing_on_a_filtered_page_comes_back_to_it(client, login_as, many):
    login_as("sw_a")
    action_id = many["open"][0]
    page = client.get("/actions/?status=open&page=1").get_data(as_text=True)
    assert f'action="/actions/{action_id}/complete?status=open&amp;page=1"' in page

    done = client.post_form(
        f"/actions/{action_id}/complete?status=open&page=1", {"evidence": "Done it"}
    )
    refused = client.post_form(
        f"/actions/{many['open'][1]}/complete?status=open&page=1", {"evidence": ""}
    )

    assert done.headers["Location"] == "/actions/?status=open&page=1"
    assert refused.status_code == 400
    again = refused.get_data(as_text=True)
    assert "There is a problem" in again and '<option value="open" selected>' in again
    assert "1–50 of 62 actions" in words(again)


# The sign-off page's two lists


def test_the_team_list_has_its_own_filters_and_pages(app, world, client, login_as, submitted):
    audit_id = submitted("CS-1001")
    with app.app_context():
        open_ids = add_actions(world, audit_id, "sw_a", 55)
        done = add_actions(world, audit_id, "sw_a", 25, status=ActionStatus.COMPLETED)
        db.session.commit()
    login_as("tm_a")

    page = client.get("/actions/sign-off").get_data(as_text=True)
    second = client.get("/actions/sign-off?page=2&team-page=2").get_data(as_text=True)
    completed = client.get("/actions/sign-off?team-status=completed").get_data(as_text=True)
    fragment = client.get(
        "/actions/sign-off?team-status=all&page=2",
        headers={"HX-Request": "true", "HX-Target": "team-results"},
    ).get_data(as_text=True)

    assert "1–20 of 25 actions await your sign-off" in words(page)
    assert len(CARD.findall(page)) == 20 and set(CARD.findall(second)) <= set(map(str, done))
    assert len(CARD.findall(second)) == 5
    assert "1–50 of 55 actions of the people who report to you" in words(page)
    assert len(TEAM_ROW.findall(second)) == 5
    assert {int(i) for i in TEAM_ROW.findall(page) + TEAM_ROW.findall(second)} == set(open_ids)
    assert 'href="/actions/sign-off?team-page=2"' in page
    assert len(TEAM_ROW.findall(completed)) == 25
    assert '<input type="hidden" name="team-status" value="completed">' in completed
    assert fragment.lstrip().startswith('<div id="team-results">')
    assert "1–50 of 80 actions" in words(fragment)
    assert 'href="/actions/sign-off?team-status=all&amp;page=2&amp;team-page=2"' in fragment


def test_the_sign_off_list_filters_by_owner(app, world, client, login_as, submitted):
    audit_id = submitted("CS-1001")
    with app.app_context():
        mine = add_actions(world, audit_id, "sw_a", 2, status=ActionStatus.COMPLETED)
        add_actions(world, audit_id, "tm_a", 2, status=ActionStatus.COMPLETED)  # to sm
        db.session.commit()
    login_as("tm_a")

    page = client.get(f"/actions/sign-off?owner={world.users['sw_a']}").get_data(as_text=True)

    assert set(CARD.findall(page)) == set(map(str, mine))
    assert f'<option value="{world.users["sw_a"]}" selected>Sophie Worker</option>' in page


# Home pages


def test_the_home_page_counts_match_the_lists_they_link_to(client, login_as, many):
    login_as("sw_a")

    home = client.get("/").get_data(as_text=True)
    overdue = client.get("/actions/?status=open&overdue=1").get_data(as_text=True)
    every_open = client.get("/actions/?status=open").get_data(as_text=True)

    panel = words(home).split("Your actions")[1]
    assert "You have 63 open actions: 12 are overdue" in panel
    table = home.split("Your actions")[1].split("</section>")[0]
    assert table.count('<tr class="govuk-table__row">') == 6  # the head and five actions
    assert 'href="/actions/?status=open&amp;overdue=1">12 are overdue</a>' in home
    assert 'href="/actions/?status=open">See all 63 open actions</a>' in home
    assert ">12 actions</caption>" in overdue
    assert "1–50 of 63 actions" in words(every_open)


def test_the_home_page_counts_what_awaits_sign_off(app, world, client, login_as, submitted):
    audit_id = submitted("CS-1001")
    with app.app_context():
        add_actions(world, audit_id, "sw_a", 7, status=ActionStatus.COMPLETED)
        add_actions(world, audit_id, "tm_a", 3, status=ActionStatus.COMPLETED)  # to sm
        db.session.commit()
    login_as("tm_a")

    assert "7 actions are waiting for your sign-off." in words(client.get("/").get_data(True))


def test_the_audit_panels_show_five_and_count_the_rest(app, world, client, login_as, allocated):
    for _ in range(7):
        allocated("CS-1001", "tm_b")
    login_as("tm_b")

    home = client.get("/").get_data(as_text=True)

    panel = home.split("Audits to complete")[1].split("</section>")[0]
    assert panel.count('href="/audits/') == 6  # five audits and "See all"
    assert "The 5 due soonest of 7 audits to complete." in words(panel)
    assert "See all 7 audits to complete" in words(panel)


# A fixed number of statements whatever the volume


def grow(app, world, submitted, allocated, times: int) -> None:
    """*times* more of everything: submitted audits with actions in every state for every
    owner and a safeguarding concern each, and audits allocated and not yet submitted."""
    audits = []
    for _ in range(times):
        audits += [submitted("CS-1001"), submitted("CS-1002", "tm_a"), submitted("EH-2001", "sm")]
        for auditor in ("tm_b", "tm_a", "sm"):
            allocated("CS-1001", auditor)
    with app.app_context():
        for audit_id in audits:
            for owner in OWNERS:
                for status in (ActionStatus.OPEN, ActionStatus.COMPLETED, ActionStatus.SIGNED_OFF):
                    add_actions(world, audit_id, owner, 2, status=status)
            audit = db.session.get(Audit, audit_id)
            db.session.add(
                SafeguardingConcern(
                    case_id=audit.case_id,
                    source_type="audit",
                    source_id=str(audit_id),
                    description="Worried",
                    raised_by_id=world.users["tm_b"],
                )
            )
        db.session.commit()


PAGES = ["/", "/actions/", "/actions/?status=open&overdue=1", "/actions/sign-off"]


@pytest.mark.parametrize("who", ["sw_a", "tm_a", "sm", "ad", "qa_lead", "admin"])
def test_the_action_pages_and_home_send_the_same_statements_at_ten_times_the_volume(
    app, world, login_as, submitted, allocated, who
):
    grow(app, world, submitted, allocated, 1)
    client = login_as(who)
    for url in PAGES:
        client.get(url)  # anything done once per process is done
    small = {url: statements_for(app, client, url) for url in PAGES}

    grow(app, world, submitted, allocated, 9)
    large = {url: statements_for(app, client, url) for url in PAGES}

    assert large == small
    assert max(large.values()) <= 25


@pytest.mark.parametrize(
    "who",
    ["ad", "hos", "sm", "tm_b", "sw_b", "eh_m", "eh_w", "mash_hos", "police", "qa_admin", "sgu"],
)
def test_every_roles_home_page_sends_the_same_statements_at_ten_times_the_volume(
    app, world, login_as, submitted, allocated, enable_plugins, who
):
    enable_plugins()
    grow(app, world, submitted, allocated, 1)
    client = login_as(who)
    client.get("/")
    small = statements_for(app, client, "/")

    grow(app, world, submitted, allocated, 9)

    assert statements_for(app, client, "/") == small <= 25


def test_the_home_concerns_panel_counts_what_the_responder_may_answer(app, world, client, login_as):
    from portal.concerns.service import RESPONDER_ROLES, awaiting_response
    from portal.main.dashboard import _concerns_to_answer

    with app.app_context():
        for n, reference in enumerate(["CS-1001", "CS-1002", "EH-2001", "CS-1001", "CS-1002"]):
            db.session.add(
                SafeguardingConcern(
                    case_id=world.cases[reference],
                    source_type="audit",
                    source_id=str(n),
                    description="Worried",
                    raised_by_id=world.users["tm_b"],
                    responded_at=utcnow() if n == 4 else None,
                )
            )
        db.session.commit()
        for user in db.session.scalars(select(User)):
            if user.has_role(*RESPONDER_ROLES):
                expected = {concern.id for concern in awaiting_response(user)}
                found = set(
                    db.session.scalars(
                        _concerns_to_answer(user).with_only_columns(SafeguardingConcern.id)
                    )
                )
                assert found == expected, user.name
    login_as("hos")

    assert "Respond to the 4 open concerns" in words(client.get("/").get_data(as_text=True))
