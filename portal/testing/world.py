"""A small council for tests: services, agencies, teams, one person per role, a few cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import Agency, Case, CaseType, Role, Service, Team, User

TEST_PASSWORD = "correct-horse-battery-1"


@cache
def test_password_hash() -> str:
    """One Argon2 hash of :data:`TEST_PASSWORD`, computed once per test run."""
    return hash_password(TEST_PASSWORD)


@dataclass
class World:
    """Ids of what :func:`build_world` created, by short name."""

    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    agencies: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)


# short name, name, roles, team, agency, line manager
PEOPLE = [
    ("ad", "Alex Director", {Role.ASSISTANT_DIRECTOR}, None, "CSC", None),
    ("hos", "Hana Head", {Role.HEAD_OF_SERVICE}, None, "CSC", "ad"),
    ("sm", "Sam Service", {Role.SERVICE_MANAGER}, None, "CSC", "hos"),
    ("tm_a", "Tara Manager", {Role.TEAM_MANAGER}, "Assessment Team", "CSC", "sm"),
    ("tm_b", "Tom Manager", {Role.TEAM_MANAGER}, "Child Protection Team", "CSC", "sm"),
    ("sw_a", "Sophie Worker", {Role.SOCIAL_WORKER}, "Assessment Team", "CSC", "tm_a"),
    ("sw_b", "Sunil Worker", {Role.SOCIAL_WORKER}, "Child Protection Team", "CSC", "tm_b"),
    ("eh_m", "Erin Manager", {Role.TEAM_MANAGER}, "Early Help North", "EH", "hos"),
    ("eh_w", "Eddie Worker", {Role.EARLY_HELP_WORKER}, "Early Help North", "EH", "eh_m"),
    ("mash_hos", "Maya Hub", {Role.MASH_HEAD_OF_SERVICE}, None, "CSC", "ad"),
    ("police", "Pat Constable", {Role.PARTNER_AUDITOR}, None, "POLICE", None),
    ("qa_lead", "Quinn Lead", {Role.QA_LEAD}, None, "CSC", "ad"),
    ("qa_admin", "Quentin Admin", {Role.QA_ADMIN}, None, "CSC", "qa_lead"),
    ("sgu", "Saffron Unit", {Role.SAFEGUARDING_UNIT}, None, "CSC", "ad"),
    ("admin", "Ada Admin", {Role.ADMIN}, None, "CSC", None),
]

TEAMS = [
    ("Assessment Team", "CSC", "tm_a"),
    ("Child Protection Team", "CSC", "tm_b"),
    ("Early Help North", "EH", "eh_m"),
]

CASES = [
    ("CS-1001", CaseType.CIN, "Assessment Team", "sw_a"),
    ("CS-1002", CaseType.CP, "Child Protection Team", "sw_b"),
    ("EH-2001", CaseType.EARLY_HELP, "Early Help North", "eh_w"),
]


def build_world() -> World:
    """Create the test council in the current app context and commit it."""
    world = World()
    services = {
        "CSC": Service(code="CSC", name="Children's Social Care"),
        "EH": Service(code="EH", name="Early Help"),
        "MASH": Service(code="MASH", name="Multi-Agency Safeguarding Hub"),
    }
    agencies = {
        "CSC": Agency(code="CSC", name="Children's Social Care"),
        "EH": Agency(code="EH", name="Early Help"),
        "POLICE": Agency(code="POLICE", name="Police", is_partner=True),
        "HEALTH": Agency(code="HEALTH", name="Health", is_partner=True),
        "EDT": Agency(code="EDT", name="Emergency Duty Team", is_partner=True),
    }
    db.session.add_all([*services.values(), *agencies.values()])
    teams = {name: Team(name=name, service=services[code]) for name, code, _ in TEAMS}
    db.session.add_all(teams.values())
    users: dict[str, User] = {}
    for short, name, roles, team, agency, _ in PEOPLE:
        user = User(
            email=f"{short.replace('_', '.')}@council.example",
            name=name,
            job_title=", ".join(sorted(role.label for role in roles)),
            password_hash=test_password_hash(),
            team=teams.get(team) if team else None,
            agency=agencies[agency],
        )
        user.set_roles(roles)
        users[short] = user
    for short, *_, manager in PEOPLE:
        users[short].line_manager = users.get(manager) if manager else None
    db.session.add_all(users.values())
    for name, _, manager in TEAMS:
        teams[name].manager = users[manager]
    cases = {
        reference: Case(
            reference=reference,
            case_type=case_type.value,
            team=teams[team],
            allocated_worker=users[worker],
            opened_on=date(2026, 1, 5),
        )
        for reference, case_type, team, worker in CASES
    }
    db.session.add_all(cases.values())
    db.session.commit()
    world.users = {short: user.id for short, user in users.items()}
    world.emails = {short: user.email for short, user in users.items()}
    world.teams = {name: team.id for name, team in teams.items()}
    world.services = {code: service.id for code, service in services.items()}
    world.agencies = {code: agency.id for code, agency in agencies.items()}
    world.cases = {reference: case.id for reference, case in cases.items()}
    return world
