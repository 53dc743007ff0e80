"""Every leader's home page answers "what needs me, and how is my part of the service
doing?" (issue 12, point 1): each panel's figures against the data made in
``leaders_world`` (tests/conftest.py), who sees which services, and the QA lead's and
senior leaders' "Actions across services"."""

from __future__ import annotations

import html
import re
import time

import pytest
from sqlalchemy import delete

from portal.extensions import db
from portal.models import Audit, AuditAuditor, MonthlySelection, SafeguardingConcern
from portal.reports.monthly import add_months
from portal.scheduling.working_days import add_working_days
from portal.testing.fixtures import login
from portal.testing.statements import statements_for
from portal.timeutil import govuk_date, utcnow


def words(page: str) -> str:
    """The visible words of *page*, tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def panel(page: str, title: str) -> str:
    """The words of the home page panel headed *title* (empty when there is none)."""
    match = re.search(rf">{re.escape(title)}</h2>(.*?)</section>", html.unescape(page), re.S)
    return words(match.group(1)) if match else ""


@pytest.fixture
def home(app, world):
    """The home page of one of the world's people, as HTML."""

    def get(short: str, url: str = "/") -> str:
        client = app.test_client()
        assert login(client, world.emails[short]).status_code == 302
        response = client.get(url)
        assert response.status_code == 200, (short, url, response.status_code)
        return response.get_data(as_text=True)

    return get


def test_the_qa_lead_sees_moderation_selection_overdue_audits_services_and_concerns(
    home, leaders_world, enable_plugins
):
    enable_plugins()
    today = leaders_world.today
    page = home("qa_lead")

    backlog = panel(page, "Audits waiting for moderation")
    earlier = add_months(today, -2)
    assert "3 audits are waiting" in backlog
    assert (
        f"Children's Social Care case file audit {earlier:%B %Y} 1 audit "
        f"Children's Social Care case file audit {today:%B %Y} 2 audits" in backlog
    )

    selection = panel(page, "Monthly selection")
    following = add_months(today, 1)
    # the month's four audits, as the schedule counts them: the two drawn and two by hand
    assert f"{today:%B %Y} Confirmed 4 None" in selection
    assert (
        f"{following:%B %Y} Drawn, not confirmed 3 "
        "At least 3 audits a month by Police auditors: 1 of 3" in selection
    )

    overdue = panel(page, "Overdue audits")
    assert "Children's Social Care case file audit 1" in overdue
    assert "MASH audit 1" in overdue

    services = panel(page, "How each service is doing")
    # CSC: 2 this month, 1 Good; before: 1 Outstanding; actions: 1 open and overdue (the
    # completed one awaiting sign-off is not overdue); weights 3+2+1, 1 signed off; a concern
    assert "Children's Social Care 2 1 of 2 (50%) 1 of 1 (100%) 1 1 17% 1" in services
    assert "Early Help 0 No audits 0 of 1 (0%) 1 1 0% 1" in services
    assert "Multi-Agency Safeguarding Hub 0 No audits No audits 0 0 No actions 0" in services
    assert 'href="/reports/monthly"' in page

    concerns = panel(page, "Safeguarding concerns awaiting a response")
    due_now = add_working_days(today, 1)
    assert f"Response due {govuk_date(due_now)}" in concerns
    assert "Overdue: response was due" in concerns
    assert "See the 2 open concerns" in concerns


def test_a_month_whose_audits_exist_without_a_draw_on_record_is_drawn_as_on_the_schedule(
    app, home, leaders_world
):
    """Audits allocated with no stored draw (by hand, or before the portal kept draws):
    the home page and the schedule agree the month is drawn, with its audits."""
    today = leaders_world.today
    with app.app_context():
        db.session.execute(delete(MonthlySelection).where(MonthlySelection.month <= today))
        db.session.commit()

    selection = panel(home("qa_lead"), "Monthly selection")
    assert f"{today:%B %Y} Drawn 4 No draw on record" in selection
    assert "Drawn · 4 audits" in words(home("qa_lead", "/schedule/"))


def test_the_qa_administrator_sees_the_months_to_draw_audits_to_chase_and_the_last_import(
    home, leaders_world, enable_plugins
):
    enable_plugins()
    page = home("qa_admin")

    assert "Drawn, not confirmed" in panel(page, "Monthly selection")
    chase = panel(page, "Overdue audits to chase")
    assert "CS-1002 Children's Social Care case file audit Tara Manager" in chase
    assert "CS-1002 MASH audit Pat Constable" in chase
    assert chase.index("Tara Manager") < chase.index("Pat Constable")  # longest overdue first
    assert "Last import:" in panel(page, "Case records")
    assert "2 created, 1 updated." in panel(page, "Case records")


@pytest.mark.parametrize(
    ("who", "services", "not_shown"),
    [
        ("sm", ["Children's Social Care 2 1 of 2 (50%) 1 of 1 (100%) 1 1 17% 1"], "Early Help"),
        (
            "hos",
            [
                "Children's Social Care 2 1 of 2 (50%) 1 of 1 (100%) 1 1 17% 1",
                "Early Help 0 No audits 0 of 1 (0%) 1 1 0% 1",
            ],
            "Multi-Agency",
        ),
        (
            "ad",
            [
                "Children's Social Care 2 1 of 2 (50%) 1 of 1 (100%) 1 1 17% 1",
                "Early Help 0 No audits 0 of 1 (0%) 1 1 0% 1",
            ],
            "Multi-Agency",
        ),
    ],
)
def test_senior_leaders_see_only_their_services(home, leaders_world, who, services, not_shown):
    page = home(who)

    figures = panel(page, "How your services are doing")
    for row in services:
        assert row in figures
    assert not_shown not in figures
    assert "You do not manage a team" not in words(page)
    assert "See the monthly learning report" in figures


def test_a_team_manager_sees_their_teams_figures_and_the_audits_under_way(home, leaders_world):
    page = home("tm_b")

    teams = panel(page, "Your teams")
    assert "Child Protection Team 1 0 of 1 (0%) No audits 0 0 No actions 1" in teams
    assert "Assessment Team" not in teams
    under_way = panel(page, "Audits of your teams' cases under way")
    assert "CS-1002 Children's Social Care case file audit Allocated" in under_way
    assert "(overdue)" in under_way
    assert "CS-1002 MASH audit In progress" in under_way
    assert "How your services are doing" not in page


def test_the_mash_head_of_service_sees_this_months_mash_audits_against_the_quota(
    home, leaders_world, enable_plugins
):
    enable_plugins()
    page = home("mash_hos")

    mash = panel(page, f"MASH audits in {leaders_world.today:%B %Y}")
    assert "Children's Social Care 0 3 short of 3 0" in mash
    assert "Police 1 2 short of 3 1" in mash
    assert "1 MASH audit is overdue." in mash
    assert "MASH audits in" not in home("hos")


def test_the_mash_panel_leaves_out_next_months_and_cancelled_audits(
    app, home, leaders_world, world, enable_plugins
):
    enable_plugins()
    first = leaders_world.today.replace(day=1)
    with app.app_context():
        for status, month in (("allocated", add_months(first, 1)), ("cancelled", first)):
            audit = Audit(
                case_id=world.cases["CS-1001"],
                process_key="mash",
                process_version="1",
                status=status,
                allocated_on=month,
                due_on=month,
            )
            db.session.add(audit)
            db.session.flush()
            db.session.add(
                AuditAuditor(audit_id=audit.id, user_id=world.users["police"], agency_code="POLICE")
            )
        db.session.commit()

    mash = panel(home("mash_hos"), f"MASH audits in {leaders_world.today:%B %Y}")
    assert "Police 1 2 short of 3 1" in mash


def test_the_qa_lead_lists_every_action_across_services_with_filters(home, leaders_world):
    page = words(home("qa_lead", "/actions/all"))
    assert "4 actions" in page
    for name in ("Action high open", "Action completed", "Action signed off", "Action eh open"):
        assert name in page

    overdue = words(home("qa_lead", "/actions/all?overdue=1"))
    assert "2 actions" in overdue
    assert "Action completed" not in overdue  # awaiting sign-off: not overdue
    high = words(home("qa_lead", "/actions/all?priority=high"))
    assert "1 action " in high and "Action high open" in high


def test_a_service_manager_lists_only_their_services_actions(app, home, leaders_world, world):
    page = words(home("sm", "/actions/all"))
    assert "3 actions" in page
    assert "Action eh open" not in page and "EH-2001" not in page
    client = app.test_client()
    login(client, world.emails["tm_a"])
    assert client.get("/actions/all").status_code == 403


def test_an_action_completed_after_its_due_date_is_not_tagged_overdue(home, leaders_world):
    page = home("qa_lead", "/actions/all")
    completed = page.split(f'id="action-{leaders_world.actions["completed"]}"')[1].split("</tr>")[0]
    assert "Completed" in completed and "Overdue" not in completed
    open_one = page.split(f'id="action-{leaders_world.actions["high_open"]}"')[1].split("</tr>")[0]
    assert "Overdue" in open_one


@pytest.mark.parametrize("who", ["qa_lead", "qa_admin", "ad", "hos", "sm", "tm_b", "mash_hos"])
def test_each_leaders_home_page_stays_within_the_statement_limit(
    app, world, leaders_world, enable_plugins, who
):
    enable_plugins()
    client = app.test_client()
    login(client, world.emails[who])
    client.get("/")
    assert statements_for(app, client, "/") <= 25


def test_a_leaders_figures_are_counted_once_in_a_while_and_say_when(
    app, home, leaders_world, world
):
    app.config["HOME_FIGURES_SECONDS"] = 1
    before = "Child Protection Team 1 0 of 1 (0%) No audits 0 0 No actions 1"
    teams = panel(home("tm_b"), "Your teams")
    assert before in teams
    assert re.search(r"so far, counted at \d\d:\d\d\.", teams)
    with app.app_context():  # a second concern about a Child Protection Team case
        db.session.add(
            SafeguardingConcern(
                case_id=world.cases["CS-1002"],
                source_type="audit",
                source_id="2",
                description="Worried again",
                raised_by_id=world.users["tm_b"],
                raised_at=utcnow(),
            )
        )
        db.session.commit()
    assert before in panel(home("tm_b"), "Your teams")  # counted less than a second ago
    time.sleep(1.1)
    after = "Child Protection Team 1 0 of 1 (0%) No audits 0 0 No actions 2"
    assert after in panel(home("tm_b"), "Your teams")
