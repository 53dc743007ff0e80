"""The QA administrator sets a theme's flags on the schedule page; the draw honours them
against the database and the selection page shows the theme and its shortfalls."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audits.definition import Quota
from portal.extensions import db
from portal.models import Case, MonthlySelection, ThemeMonth
from portal.scheduling import service
from tests.audits.conftest import MINI, mini_module

#: The mini audit with a quota: three cases in all, audited by a team manager.
DRAWN = replace(MINI, quotas=(Quota("Three by team managers", ("team_manager",), total=3),))

NEXT_MONTH = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
MONTH = f"{NEXT_MONTH:%Y-%m}"


@pytest.fixture
def drawn_mini(app):
    """The mini audit, with a quota the draw fills, installed and enabled."""
    host = app.extensions["portal.plugins"]
    host.add("mini_audit", mini_module(DRAWN))
    with app.app_context():
        host.set_enabled("mini_audit", True, actor_id=None)
        db.session.commit()
    return DRAWN


def flag(app, world, reference, *flags):
    with app.app_context():
        db.session.get(Case, world.cases[reference]).set_flags(frozenset(flags))
        db.session.commit()


def drawn_references(app) -> set[str]:
    with app.app_context():
        selection = db.session.scalar(select(MonthlySelection))
        return {item["case_ref"] for item in selection.draw["allocations"]}


def test_the_theme_page_offers_the_flags_as_checkboxes(client, login_as, world):
    login_as("qa_admin")
    page = client.get(f"/schedule/{MONTH}/theme").get_data(as_text=True)
    assert 'name="flags" type="checkbox" value="NEGLECT"' in page
    assert "Child sexual exploitation" in page


def test_a_neglect_theme_draws_only_neglect_cases_and_says_so(
    client, login_as, app, world, drawn_mini
):
    flag(app, world, "CS-1001", "NEGLECT")
    flag(app, world, "CS-1002", "DOMESTIC_ABUSE")
    login_as("qa_admin")
    response = client.post_form(
        f"/schedule/{MONTH}/theme", {"theme": "Neglect", "flags": ["NEGLECT"]}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ThemeMonth.flags)) == ["NEGLECT"]

    assert client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "3"}).status_code == 302

    assert drawn_references(app) == {"CS-1001"}
    page = client.get(f"/schedule/selection/{MONTH}").get_data(as_text=True)
    assert "Theme: <strong>Neglect</strong>" in page
    assert "Only neglect cases" in page
    assert "Not enough neglect cases." in page


def test_a_theme_no_case_matches_is_drawn_as_shortfalls(client, login_as, app, world, drawn_mini):
    login_as("qa_admin")
    client.post_form(f"/schedule/{MONTH}/theme", {"theme": "FGM", "flags": ["FGM"]})

    assert client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "3"}).status_code == 302

    assert drawn_references(app) == set()
    page = client.get(f"/schedule/selection/{MONTH}").get_data(as_text=True)
    assert "Not enough female genital mutilation cases." in page


def test_no_theme_draws_from_every_case(client, login_as, app, world, drawn_mini):
    flag(app, world, "CS-1001", "NEGLECT")
    login_as("qa_admin")

    client.post_form(f"/schedule/selection/{MONTH}/draw", {"seed": "3"})

    assert drawn_references(app) == {"CS-1001", "CS-1002"}
    page = client.get(f"/schedule/selection/{MONTH}").get_data(as_text=True)
    assert "No theme is set for this month: every open case can be drawn." in page
    assert "Not enough" not in page


def test_an_unknown_flag_is_refused_and_nothing_saved(client, login_as, app, world):
    login_as("qa_admin")
    response = client.post_form(f"/schedule/{MONTH}/theme", {"theme": "X", "flags": ["POVERTY"]})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ThemeMonth)) is None


def test_the_candidates_are_filtered_in_sql_with_their_flags(app, world):
    flag(app, world, "CS-1001", "NEGLECT", "CSE")
    flag(app, world, "CS-1002", "DOMESTIC_ABUSE")
    with app.app_context():
        rules = service.ThemeFilter(flags=("CSE", "FGM"))
        [candidate] = service.candidate_cases(None, rules)
        assert candidate.reference == "CS-1001"
        assert candidate.flags == {"NEGLECT", "CSE"}
        everyone = {case.reference: case.flags for case in service.candidate_cases()}
        assert everyone == {
            "CS-1001": {"NEGLECT", "CSE"},
            "CS-1002": {"DOMESTIC_ABUSE"},
            "EH-2001": frozenset(),
        }
