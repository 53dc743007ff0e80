"""A realistic demo council for trying the portal out: ``flask --app portal seed-demo``.

:func:`build_plan` describes the council (services, agencies, teams, staff and cases) as
plain data drawn from a fixed random seed, so it is the same on every run.
:func:`seed_demo_council` then adds whatever of that plan the database lacks, looking rows
up by their natural keys (service and agency code, team name, email, case reference), so
running it again changes nothing. Every account it adds gets :data:`DEMO_PASSWORD`:
demo only.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.activity import record
from portal.auth.passwords import hash_password
from portal.demo_cases import demo_case_details
from portal.extensions import db
from portal.models import Agency, Case, CaseType, Role, Service, Team, User
from portal.timeutil import LONDON

#: The password of every demo account. Demo only: never seed a live system.
DEMO_PASSWORD = "demo-password-1"
#: The seed of the random generator that draws names, job titles and cases.
DEMO_SEED = 20170701
DOMAIN = "council.example"

SERVICES = [
    ("CSC", "Children's Social Care"),
    ("EH", "Early Help"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
]

# code, name, is_partner
AGENCIES = [
    ("CSC", "Children's Social Care", False),
    ("EH", "Early Help", False),
    ("POLICE", "Police", True),
    ("HEALTH", "Health", True),
    ("EDT", "Emergency Duty Team", True),
]

# post key, job title, role, agency, the line manager's post key
POSTS = [
    ("ad", "Assistant Director, Children's Services", Role.ASSISTANT_DIRECTOR, "CSC", None),
    ("hos_csc", "Head of Service, Children's Social Care", Role.HEAD_OF_SERVICE, "CSC", "ad"),
    ("hos_eh", "Head of Service, Early Help", Role.HEAD_OF_SERVICE, "EH", "ad"),
    ("hos_hub", "Head of Service, MASH", Role.MASH_HEAD_OF_SERVICE, "CSC", "ad"),
    ("sm_front", "Service Manager, Assessment", Role.SERVICE_MANAGER, "CSC", "hos_csc"),
    ("sm_cin_cp", "Service Manager, CIN and CP", Role.SERVICE_MANAGER, "CSC", "hos_csc"),
    ("sm_care", "Service Manager, Children in Care", Role.SERVICE_MANAGER, "CSC", "hos_csc"),
    ("sm_eh", "Service Manager, Early Help", Role.SERVICE_MANAGER, "EH", "hos_eh"),
    ("sm_hub", "Service Manager, MASH", Role.SERVICE_MANAGER, "CSC", "hos_hub"),
    ("qa_lead", "Quality Assurance and Audit Lead", Role.QA_LEAD, "CSC", "ad"),
    ("qa_admin_1", "Quality Assurance Administrator", Role.QA_ADMIN, "CSC", "qa_lead"),
    ("qa_admin_2", "Quality Assurance Administrator", Role.QA_ADMIN, "CSC", "qa_lead"),
    ("sgu_lead", "Safeguarding Unit Manager", Role.SAFEGUARDING_UNIT, "CSC", "ad"),
    ("sgu_iro", "Independent Reviewing Officer", Role.SAFEGUARDING_UNIT, "CSC", "sgu_lead"),
    ("admin", "Systems Administrator", Role.ADMIN, "CSC", None),
    ("police_1", "Detective Sergeant, Public Protection", Role.PARTNER_AUDITOR, "POLICE", None),
    ("police_2", "Detective Constable, Public Protection", Role.PARTNER_AUDITOR, "POLICE", None),
    ("health_1", "Named Nurse, Safeguarding Children", Role.PARTNER_AUDITOR, "HEALTH", None),
    ("health_2", "Safeguarding Health Practitioner", Role.PARTNER_AUDITOR, "HEALTH", None),
    ("edt_1", "Senior Practitioner, Emergency Duty", Role.PARTNER_AUDITOR, "EDT", None),
]

# team workers: role, agency, job titles (repeated ones are drawn more often)
WORKERS = {
    Role.SOCIAL_WORKER: (
        "CSC",
        ("Social Worker", "Social Worker", "Senior Social Worker", "Advanced Practitioner"),
    ),
    Role.EARLY_HELP_WORKER: (
        "EH",
        ("Early Help Practitioner", "Early Help Practitioner", "Family Support Worker"),
    ),
}

CIN, CP, S47, CLA = CaseType.CIN, CaseType.CP, CaseType.S47, CaseType.CLA

# team, service, the service manager's post key, number of social workers and of Early
# Help workers, the case types it holds with their weights
TEAMS = [
    ("Assessment Team 1", "CSC", "sm_front", 5, 0, {CIN: 5, S47: 4, CP: 1}),
    ("Assessment Team 2", "CSC", "sm_front", 5, 0, {CIN: 5, S47: 4, CP: 1}),
    ("Child in Need Team", "CSC", "sm_cin_cp", 5, 0, {CIN: 1}),
    ("Child Protection Team", "CSC", "sm_cin_cp", 5, 0, {CP: 4, S47: 1}),
    ("Children in Care Team", "CSC", "sm_care", 4, 0, {CLA: 1}),
    ("Care Leavers Team", "CSC", "sm_care", 3, 0, {CaseType.CARE_LEAVER: 1}),
    ("Fostering Team", "CSC", "sm_care", 3, 0, {CaseType.FOSTERING: 1}),
    ("Court and Permanence Team", "CSC", "sm_care", 3, 0, {CLA: 3, CP: 1}),
    ("Early Help North", "EH", "sm_eh", 0, 4, {CaseType.EARLY_HELP: 1}),
    ("Early Help South", "EH", "sm_eh", 0, 4, {CaseType.EARLY_HELP: 1}),
    ("Early Help Central", "EH", "sm_eh", 0, 4, {CaseType.EARLY_HELP: 1}),
    ("MASH Team", "MASH", "sm_hub", 3, 1, {CaseType.MASH_CONTACT: 1}),
]

# post (a POSTS key, "<team>/manager", or "<team>/<n>" for its n-th worker), the email
# before the domain, name, and what the account is for
_DEMO_PEOPLE = [
    ("admin", "admin@", "Dafydd Pritchard", "Administrator"),
    ("qa_lead", "qa.lead@", "Helen Okafor", "QA and audit lead"),
    ("qa_admin_1", "qa.admin@", "Priya Shah", "QA administrator"),
    ("ad", "assistant.director@", "Margaret Sinclair", "Assistant director"),
    ("hos_csc", "head.of.service@", "Gareth Llewellyn", "Head of service, Children's Social Care"),
    ("sm_front", "service.manager@", "Joanne Fraser", "Service manager, assessment teams"),
    (
        "Assessment Team 1/manager",
        "team.manager@",
        "Rachel Hughes",
        "Team manager, Assessment Team 1",
    ),
    ("Assessment Team 1/1", "social.worker@", "Tom Bennett", "Social worker, Assessment Team 1"),
    (
        "Early Help North/manager",
        "early.help.manager@",
        "Siobhan Kelly",
        "Team manager, Early Help North",
    ),
    (
        "Early Help North/1",
        "early.help.worker@",
        "Kwame Mensah",
        "Early Help worker, Early Help North",
    ),
    ("hos_hub", "hub.head@", "Aisha Rahman", "MASH head of service"),
    ("police_1", "police.auditor@", "Daniel Whitfield", "Partner-agency auditor, Police"),
    ("sgu_lead", "safeguarding@", "Catrin Bowen", "Safeguarding unit"),
]

#: The well-known demo accounts: (email, what the account shows). Password: DEMO_PASSWORD.
DEMO_ACCOUNTS = [(f"{local}{DOMAIN}", description) for _, local, _, description in _DEMO_PEOPLE]

# names are drawn from these, split on white space
FIRST_NAMES = """Amelia Olivia Isla Grace Lucy Hannah Chloe Megan Rebecca Laura Sarah Claire
Joanne Nicola Gemma Aisha Fatima Zainab Amina Nia Ffion Rhiannon Eilidh Niamh Aoife Mei
Yasmin Harpreet Sunita Chantelle Abigail Bethan Kirsty Leanne Shabana Adaeze Ewa Lauren
James Oliver Thomas Daniel Matthew Liam Connor Callum Jamie Ryan Mark Paul Stephen Rhys
Owen Dylan Hamish Ewan Ciaran Declan Mohammed Imran Tariq Arjun Rajesh Tunde Chidi Marcus
Nathan Samuel Kieran Wei Lewis Craig Andrew Simon Jakub Dev"""

SURNAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Roberts Johnson Lewis
Walker Robinson Wood Thompson White Watson Jackson Wright Green Harris Cooper King Lee
Martin Clarke Morgan Edwards Hill Moore Harrison Scott Young Morris Hall Ward Turner
Carter Phillips Mitchell Patel Khan Ali Hussain Begum Singh Kaur Ahmed Adeyemi Campbell
MacDonald Murphy O'Brien Byrne Doyle Kowalski Nowak Chen Wong Nguyen Stewart Griffiths
Owusu Osei Dhillon Chowdhury Fletcher Barker Reid Gallagher Jenkins Parry"""

# case system reference prefix and first number, by service
REFERENCES = {"CSC": ("CS", 100000), "EH": ("EH", 200000), "MASH": ("MC", 300000)}

# how long a case of each type stays open: shortest and longest, in days
DURATIONS = {
    CaseType.EARLY_HELP: (60, 365),
    CaseType.CIN: (45, 540),
    CaseType.CP: (90, 700),
    CaseType.CLA: (180, 1400),
    CaseType.CARE_LEAVER: (365, 1500),
    CaseType.FOSTERING: (365, 2000),
    CaseType.MASH_CONTACT: (1, 3),
    CaseType.S47: (10, 45),
}

# each worker's current caseload, and the cases they closed in the last three years
OPEN_CASES_PER_WORKER = (6, 12)
CLOSED_CASES_PER_WORKER = (4, 8)
HISTORY_DAYS = 3 * 365


@dataclass(frozen=True)
class PlannedPerson:
    """A member of staff of the demo council."""

    email: str
    name: str
    job_title: str
    role: Role
    agency: str
    team: str | None = None
    line_manager: str | None = None  # the line manager's email


@dataclass(frozen=True)
class PlannedCase:
    """A case of the demo council, by reference; no personal data."""

    reference: str
    case_type: CaseType
    team: str
    worker: str  # the allocated worker's email
    opened_on: date
    closed_on: date | None


@dataclass
class DemoPlan:
    """Everything the demo council holds, as plain data."""

    people: list[PlannedPerson] = field(default_factory=list)
    team_managers: dict[str, str] = field(default_factory=dict)  # team name -> email
    cases: list[PlannedCase] = field(default_factory=list)


@dataclass
class SeedReport:
    """What :func:`seed_demo_council` added, and what the database holds afterwards."""

    created: dict[str, int]
    managers_assigned: int
    plugins_enabled: list[str]
    totals: dict[str, int]


def _email(name: str) -> str:
    """``firstname.lastname@council.example``, without apostrophes or spaces."""
    first, last = name.lower().split(" ", 1)
    return f"{re.sub('[^a-z-]', '', first)}.{re.sub('[^a-z-]', '', last)}@{DOMAIN}"


class _NameDrawer:
    """Draws unique full names; the demo accounts keep their own names and emails."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first_names = FIRST_NAMES.split()
        self.surnames = SURNAMES.split()
        self.demo = {post: (local + DOMAIN, name) for post, local, name, _ in _DEMO_PEOPLE}
        self.taken = {name for _, name in self.demo.values()}

    def person(self, post: str) -> tuple[str, str]:
        """The email and name of whoever holds *post*."""
        if post in self.demo:
            return self.demo[post]
        while True:
            name = f"{self.rng.choice(self.first_names)} {self.rng.choice(self.surnames)}"
            if name not in self.taken:
                self.taken.add(name)
                return _email(name), name


def build_plan(today: date) -> DemoPlan:
    """Describe the demo council, with cases opened over the three years before *today*.

    Everything is drawn from ``random.Random(DEMO_SEED)``, so the plan for a given day is
    the same on every run.
    """
    rng = random.Random(DEMO_SEED)
    names = _NameDrawer(rng)
    plan = DemoPlan()
    emails: dict[str, str] = {}
    for key, job_title, role, agency, line_manager in POSTS:
        email, name = names.person(key)
        emails[key] = email
        manager = emails[line_manager] if line_manager else None
        plan.people.append(PlannedPerson(email, name, job_title, role, agency, None, manager))
    drafts: dict[str, list[tuple[CaseType, str, str, date, date | None]]] = {}
    for team, service, service_manager, social_workers, eh_workers, case_types in TEAMS:
        manager, manager_name = names.person(f"{team}/manager")
        plan.team_managers[team] = manager
        plan.people.append(
            PlannedPerson(
                manager,
                manager_name,
                f"Team Manager, {team}",
                Role.TEAM_MANAGER,
                "EH" if service == "EH" else "CSC",
                team,
                emails[service_manager],
            )
        )
        roles = [Role.SOCIAL_WORKER] * social_workers + [Role.EARLY_HELP_WORKER] * eh_workers
        for number, role in enumerate(roles, start=1):
            agency, titles = WORKERS[role]
            email, name = names.person(f"{team}/{number}")
            plan.people.append(
                PlannedPerson(email, name, rng.choice(titles), role, agency, team, manager)
            )
            caseload = [True] * rng.randint(*OPEN_CASES_PER_WORKER)
            caseload += [False] * rng.randint(*CLOSED_CASES_PER_WORKER)
            for is_open in caseload:
                case_type = rng.choices(list(case_types), weights=list(case_types.values()))[0]
                drafts.setdefault(service, []).append(
                    (case_type, team, email, *_case_dates(rng, case_type, today, is_open))
                )
    for service, service_drafts in drafts.items():
        prefix, start = REFERENCES[service]
        numbers = sorted(rng.sample(range(start, start + 100000), len(service_drafts)))
        service_drafts.sort(key=lambda draft: draft[3])  # older cases have lower numbers
        plan.cases.extend(
            PlannedCase(f"{prefix}-{number}", *draft)
            for number, draft in zip(numbers, service_drafts, strict=True)
        )
    return plan


def _case_dates(
    rng: random.Random, case_type: CaseType, today: date, is_open: bool
) -> tuple[date, date | None]:
    """When a case was opened, within the last three years, and when it closed, if it has."""
    shortest, longest = DURATIONS[case_type]
    if is_open:
        return today - timedelta(days=rng.randint(0, min(longest, HISTORY_DAYS))), None
    duration = min(rng.randint(shortest, longest), HISTORY_DAYS - 1)
    opened = today - timedelta(days=rng.randint(duration, HISTORY_DAYS))
    return opened, opened + timedelta(days=duration)


def seed_demo_council(today: date | None = None) -> SeedReport:
    """Add to the database whatever of the demo council it lacks, enable every plugin shipped
    in ``plugins/`` (one installed from outside stays as it was), and commit once.

    Rows that exist already (same service or agency code, team name, email or case
    reference) are left as they are, so a second run changes nothing; a team found
    without a manager gets the demo one. One ``seeded`` activity entry is written when
    anything was added. *today* (by default today in London) anchors the case dates.
    """
    plan = build_plan(today or datetime.now(LONDON).date())
    # Every lookup is loaded once, before anything is added (and flushed).
    services = {row.code: row for row in db.session.scalars(select(Service))}
    agencies = {row.code: row for row in db.session.scalars(select(Agency))}
    teams = {row.name: row for row in db.session.scalars(select(Team))}
    users = {row.email.lower(): row for row in db.session.scalars(select(User))}
    references = set(db.session.scalars(select(Case.reference)))
    unmanaged = {name for name, team in teams.items() if team.manager_id is None}

    created = {
        "services": _add_missing(
            services, [Service(code=code, name=name) for code, name in SERVICES]
        ),
        "agencies": _add_missing(
            agencies,
            [Agency(code=code, name=name, is_partner=partner) for code, name, partner in AGENCIES],
        ),
    }
    new_teams = {name: service for name, service, *_ in TEAMS if name not in teams}
    for name, service in new_teams.items():
        teams[name] = Team(name=name, service=services[service])
    db.session.add_all(teams[name] for name in new_teams)
    created["teams"] = len(new_teams)
    created["staff"] = _add_missing_people(plan.people, users, teams, agencies)

    managers_assigned = len(unmanaged & plan.team_managers.keys())
    for name, manager in plan.team_managers.items():
        if name in new_teams or name in unmanaged:
            teams[name].manager = users[manager]

    new_cases = [
        _new_case(case, teams, users) for case in plan.cases if case.reference not in references
    ]
    db.session.add_all(new_cases)
    created["cases"] = len(new_cases)

    host = current_app.extensions["portal.plugins"]
    plugins_enabled = [  # the shipped tools only: a plugin installed from outside stays off
        key
        for key, plugin in sorted(host.installed.items())
        if plugin.shipped and host.set_enabled(key, True, actor_id=None)
    ]
    if any(created.values()) or managers_assigned:
        record(
            "seeded",
            "demo",
            "council",
            actor_id=None,
            summary="Demo council: " + _describe(created),
            after={**created, "team managers assigned": managers_assigned},
        )
    db.session.commit()
    return SeedReport(created, managers_assigned, plugins_enabled, _totals())


def _new_case(case: PlannedCase, teams: dict[str, Team], users: dict[str, User]) -> Case:
    """The planned *case* as a row, with the details the demo's case import carries."""
    details = demo_case_details(case.reference, case.case_type)
    row = Case(
        reference=case.reference,
        case_type=case.case_type.value,
        team=teams[case.team],
        allocated_worker=users[case.worker],
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        **details.columns(),
    )
    row.set_flags(details.flags)
    return row


def _add_missing(existing: dict[str, Service | Agency], rows: list[Service | Agency]) -> int:
    """Add the *rows* whose code is not a key of *existing*; return how many."""
    missing = [row for row in rows if row.code not in existing]
    existing.update((row.code, row) for row in missing)
    db.session.add_all(missing)
    return len(missing)


def _add_missing_people(
    people: list[PlannedPerson],
    users: dict[str, User],
    teams: dict[str, Team],
    agencies: dict[str, Agency],
) -> int:
    """Add the *people* whose email is not a key of *users* (and put them in it).

    Their password is :data:`DEMO_PASSWORD`, hashed once for all of them.
    """
    new_people = [person for person in people if person.email not in users]
    if not new_people:
        return 0
    password_hash = hash_password(DEMO_PASSWORD)
    for person in new_people:
        user = User(
            email=person.email,
            name=person.name,
            job_title=person.job_title,
            password_hash=password_hash,
            team=teams[person.team] if person.team else None,
            agency=agencies[person.agency],
        )
        user.set_roles({person.role})
        users[person.email] = user
    for person in new_people:
        if person.line_manager:
            users[person.email].line_manager = users[person.line_manager]
    db.session.add_all(users[person.email] for person in new_people)
    return len(new_people)


def _totals() -> dict[str, int]:
    """How many services, agencies, teams, staff and cases the database holds."""
    models = {"services": Service, "agencies": Agency, "teams": Team, "staff": User, "cases": Case}
    return {
        label: db.session.scalar(select(func.count()).select_from(model))
        for label, model in models.items()
    }


def _describe(counts: dict[str, int]) -> str:
    """``3 services, 5 agencies, ...``."""
    return ", ".join(f"{count} {label}" for label, count in counts.items())


def describe_report(report: SeedReport) -> list[str]:
    """The lines ``seed-demo`` prints: what was added, the totals, and the password warning."""
    if any(report.created.values()):
        lines = [f"Added: {_describe(report.created)}."]
    else:
        lines = ["Nothing to add: the demo council is already in place."]
    if report.managers_assigned:
        lines.append(f"Existing teams given a team manager: {report.managers_assigned}.")
    if report.plugins_enabled:
        lines.append(f"Enabled plugins: {', '.join(report.plugins_enabled)}.")
    lines.append(f"The database now holds {_describe(report.totals)}.")
    lines.append("Demo accounts:")
    lines.extend(f"  {email}  ({description})" for email, description in DEMO_ACCOUNTS)
    lines.append(
        f"DEMO ONLY: every demo account's password is {DEMO_PASSWORD!r}. "
        "Never seed a live system with this data."
    )
    return lines
