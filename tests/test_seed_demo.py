"""``flask --app portal seed-demo``: a realistic demo council, the same on every run."""

import dataclasses
import re
from datetime import date, timedelta

import pytest
from email_validator import validate_email
from sqlalchemy import func, select

from portal.audits.definition import Quota
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, build_plan
from portal.extensions import db
from portal.models import (
    ActivityEntry,
    Agency,
    Audit,
    Case,
    CaseType,
    PluginState,
    Role,
    Service,
    Team,
    User,
    UserRole,
)
from portal.plugins import SHIPPED_FOLDER
from portal.testing.fixtures import login
from portal.testing.world import build_world
from tests.audits.conftest import MINI, mini_module

REFERENCE = re.compile(r"^(CS|EH|MC)-\d{6}$")
# the service whose teams hold each case type; the others are Children's Social Care's
SERVICE_OF = {CaseType.EARLY_HELP: "EH", CaseType.MASH_CONTACT: "MASH"}


def seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot() -> dict:
    """Every row the seed writes, by natural key, to compare two runs."""
    return {
        "services": sorted(db.session.execute(select(Service.code, Service.name)).all()),
        "agencies": sorted(
            db.session.execute(select(Agency.code, Agency.name, Agency.is_partner)).all()
        ),
        "teams": sorted(
            (team.name, team.service.code, team.manager.email if team.manager else None)
            for team in db.session.scalars(select(Team))
        ),
        "users": sorted(
            (
                user.email,
                user.name,
                user.job_title,
                user.password_hash,
                user.team.name if user.team else None,
                user.agency.code if user.agency else None,
                user.line_manager.email if user.line_manager else None,
                tuple(sorted(user.roles)),
            )
            for user in db.session.scalars(select(User))
        ),
        "cases": sorted(
            (
                case.reference,
                case.case_type,
                case.team.name,
                case.allocated_worker.email,
                case.opened_on,
                case.closed_on,
            )
            for case in db.session.scalars(select(Case))
        ),
        "user_roles": count(UserRole),
        "activity": count(ActivityEntry),
    }


def test_seed_demo_builds_a_council_of_realistic_size(app, runner):
    result = seed(runner)
    with app.app_context():
        assert {service.code for service in db.session.scalars(select(Service))} == {
            "CSC",
            "EH",
            "MASH",
        }
        partners = {agency.code: agency.is_partner for agency in db.session.scalars(select(Agency))}
        assert partners == {
            "CSC": False,
            "EH": False,
            "POLICE": True,
            "HEALTH": True,
            "EDT": True,
        }
        assert count(Team) >= 12
        assert count(User) >= 60
        assert count(Case) >= 500
        held = set(db.session.scalars(select(UserRole.role).distinct()))
        assert held == {role.value for role in Role}
        types = set(db.session.scalars(select(Case.case_type).distinct()))
        assert types == {case_type.value for case_type in CaseType}
    assert "Added: 3 services, 5 agencies" in result.output


def test_every_team_has_a_manager_and_a_chain_up_to_the_assistant_director(app, runner):
    seed(runner)
    with app.app_context():
        for team in db.session.scalars(select(Team)):
            chain = team.management_chain()
            assert len(chain) == 4, (team.name, [person.name for person in chain])
            assert chain[0].has_role(Role.TEAM_MANAGER)
            assert chain[0].team == team
            assert chain[1].has_role(Role.SERVICE_MANAGER)
            assert chain[2].has_role(Role.HEAD_OF_SERVICE, Role.MASH_HEAD_OF_SERVICE)
            assert chain[3].has_role(Role.ASSISTANT_DIRECTOR)
        workers = db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role.in_([Role.SOCIAL_WORKER, Role.EARLY_HELP_WORKER]))
        ).all()
        assert workers
        for worker in workers:
            assert worker.team is not None
            assert worker.line_manager == worker.team.manager


def test_staff_have_agencies_and_plausible_unique_emails(app, runner):
    seed(runner)
    with app.app_context():
        users = db.session.scalars(select(User)).all()
        emails = [user.email for user in users]
        assert len(set(emails)) == len(emails)
        assert len({user.name for user in users}) == len(users)
        for user in users:
            assert user.agency is not None, user.email
            assert user.email.endswith("@council.example")
            assert validate_email(user.email, check_deliverability=False).normalized == user.email
        partners = [user for user in users if user.has_role(Role.PARTNER_AUDITOR)]
        assert {user.agency.code for user in partners} == {"POLICE", "HEALTH", "EDT"}
        assert all(user.team is None for user in partners)
        # one Argon2 hash, computed once and shared by every demo account
        assert len({user.password_hash for user in users}) == 1


def test_cases_sit_in_teams_of_the_right_service_with_a_worker_of_that_team(app, runner):
    seed(runner)
    today = date.today()
    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        for case in cases:
            assert REFERENCE.match(case.reference), case.reference
            assert case.team.service.code == SERVICE_OF.get(case.type, "CSC"), case.reference
            assert case.allocated_worker.team == case.team, case.reference
            assert today - timedelta(days=3 * 366) <= case.opened_on <= today + timedelta(days=1)
            if case.closed_on is not None:
                assert case.opened_on <= case.closed_on <= today + timedelta(days=1)
        early_help_teams = {
            case.team.service.code for case in cases if case.type is CaseType.EARLY_HELP
        }
        assert early_help_teams == {"EH"}
        assert {case.reference[:2] for case in cases if case.type is CaseType.EARLY_HELP} == {"EH"}
        closed = [case for case in cases if case.closed_on is not None]
        assert 0 < len(closed) < len(cases)
        opened_years = {case.opened_on.year for case in cases}
        assert len(opened_years) >= 3


def test_running_it_twice_changes_nothing(app, runner):
    seed(runner)
    with app.app_context():
        first = snapshot()
    result = seed(runner)
    with app.app_context():
        assert snapshot() == first
        seeded = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.verb == "seeded")
        ).all()
        assert len(seeded) == 1
        assert seeded[0].actor_id is None
        assert seeded[0].object_type == "demo"
    assert "Nothing to add" in result.output


def outside_plugin(app):
    """A plugin installed from outside the repository (with pip, say), with a quota."""
    outside = dataclasses.replace(
        MINI, quotas=(Quota("Every manager", ("team_manager", "service_manager"), per_auditor=1),)
    )
    host = app.extensions["portal.plugins"]
    host.add("mini_audit", mini_module(outside))
    assert not host.installed["mini_audit"].shipped
    return host


def test_every_shipped_plugin_is_enabled_afterwards_and_an_outside_one_is_not(app, runner):
    host = outside_plugin(app)
    seed(runner)
    with app.app_context():
        shipped = {key for key, plugin in host.installed.items() if plugin.shipped}
        assert shipped == {path.parent.name for path in SHIPPED_FOLDER.glob("*/plugin.py")}
        enabled = set(db.session.scalars(select(PluginState.key).where(PluginState.enabled)))
        assert enabled == shipped


def test_an_outside_plugin_gets_no_invented_history_even_when_enabled(app, runner):
    host = outside_plugin(app)
    with app.app_context():
        host.set_enabled("mini_audit", True, actor_id=None)  # an administrator turned it on
        db.session.commit()
    seed(runner)
    with app.app_context():
        assert host.is_enabled("mini_audit")  # left as it was
        assert count(Audit) > 0
        assert not db.session.scalar(select(func.count()).where(Audit.process_key == "mini_audit"))


def test_it_completes_a_database_that_already_holds_some_of_the_council(app, runner):
    with app.app_context():
        world = build_world()
        services = {service.code: service for service in db.session.scalars(select(Service))}
        db.session.add(Team(name="Fostering Team", service=services["CSC"]))
        db.session.add(Team(name="Early Help South", service=services["EH"]))
        db.session.commit()
        before_users = count(User)
    result = seed(runner)
    assert "Existing teams given a team manager: 2." in result.output
    with app.app_context():
        assert count(Service) == 3
        assert count(Agency) == 5
        names = db.session.scalars(select(Team.name)).all()
        assert len(names) == len(set(names))
        assert "Assessment Team" in names  # the world's own team stays
        kept = db.session.get(Team, world.teams["Child Protection Team"])
        assert kept.manager_id == world.users["tm_b"]
        for team in db.session.scalars(select(Team)):
            assert team.manager is not None, team.name
        assert count(User) > before_users
        first = snapshot()
    seed(runner)
    with app.app_context():
        assert snapshot() == first


@pytest.mark.parametrize("email", ["social.worker@council.example", "admin@council.example"])
def test_a_demo_account_signs_in_with_the_demo_password(app, runner, client, email):
    seed(runner)
    assert login(client, email, "not-the-password-1").status_code != 302
    response = login(client, email, DEMO_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_demo_accounts_cover_every_role_and_sit_sensibly_in_the_structure(app, runner):
    result = seed(runner)
    assert "demo only" in result.output.lower()
    assert DEMO_PASSWORD in result.output
    with app.app_context():
        accounts = {
            email: db.session.scalar(select(User).where(User.email == email))
            for email, _ in DEMO_ACCOUNTS
        }
        assert all(accounts.values())
        assert set().union(*(user.roles for user in accounts.values())) == set(Role)
        manager = accounts["team.manager@council.example"]
        worker = accounts["social.worker@council.example"]
        assert manager.managed_teams == [worker.team]
        assert worker.line_manager == manager
        assert manager.line_manager == accounts["service.manager@council.example"]
        held = db.session.scalars(
            select(Case).where(Case.allocated_worker_id == worker.id, Case.closed_on.is_(None))
        ).all()
        assert held and all(case.team == worker.team for case in held)
        eh_worker = accounts["early.help.worker@council.example"]
        assert eh_worker.team.manager == accounts["early.help.manager@council.example"]
        police = accounts["police.auditor@council.example"]
        assert police.roles == {Role.PARTNER_AUDITOR}
        assert police.agency.code == "POLICE"


def test_the_plan_is_the_same_on_every_run():
    day = date(2026, 3, 2)
    assert build_plan(day) == build_plan(day)
    assert build_plan(day).cases != build_plan(day - timedelta(days=1)).cases
