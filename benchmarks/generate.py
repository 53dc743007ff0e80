"""Build a large council for the report benchmark: five years of audits in one database.

``python -m benchmarks.generate [--database-url URL] [--scale 1.0] [--seed N]``

The database is migrated (every head) and given the demo council
(:func:`portal.demo.seed_demo_council`: services, agencies, teams, staff and their
cases). On top of it, at scale 1, come about 20,000 more cases opened over six years and
60,000 case file audits (Children's Social Care 60%, Early Help 25%, MASH 15%), submitted
over the 60 months up to the last complete month (a council taking up the portal: ten
times as many in the last month as in the first), each with its auditors (their agency
codes too), the answers the report reads (every graded section's grade and evidence, the
overall grade, reason, summary and learning areas, and the Early Help supervision date),
learning areas, a moderation for about a third of them, and 200,000 actions in every
state (draft, open, completed, signed off), with priorities and due dates. About 2% of
the audits are allocated and not yet submitted.

The rows are written with SQLAlchemy Core bulk inserts, 5,000 rows a statement, not
through the ORM or the audit engine: the engine's save and submit, with their revisions,
notifications and activity entries, would take hours at this volume. Everything is drawn
from ``random.Random(seed)``, so a given seed, scale and last month give the same council.

The default database is a SQLite file in ``benchmarks/results/`` (git-ignored), replaced
on every run; any other database must hold no audits yet. On PostgreSQL the counters are
moved past the generated ids and the tables vacuumed and analysed, as autovacuum would
after a bulk load.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import flask_migrate
from flask import Flask
from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.engine import make_url

from benchmarks import history
from benchmarks.history import write_history
from plugins.tool_builder import tools
from portal import create_app
from portal.audits.definition import OFSTED_GRADES, AuditProcess
from portal.audits.service import form_row
from portal.demo import DURATIONS, REFERENCES, TEAMS, seed_demo_council
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    Agency,
    Audit,
    AuditAnswer,
    AuditAuditor,
    AuditLearning,
    AuditStatus,
    Case,
    LearningArea,
    Moderation,
    Priority,
    Role,
    Service,
    Team,
    User,
    UserRole,
)
from portal.plugins import plugin_host
from portal.reports.monthly import add_months, last_complete_month
from portal.scheduling.working_days import add_working_days

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_DATABASE_URL = f"sqlite:///{RESULTS / 'council.sqlite3'}"
DEFAULT_SEED = 20261126
#: How many months of audits the council holds, the last complete month the last of them.
MONTHS = 60
#: The volumes at scale 1.
CASES, AUDITS, ACTIONS = 20_000, 60_000, 200_000
#: Rows per INSERT statement, and audits generated before their rows are written.
CHUNK = 5_000
#: The share of the audits allocated in the last month and not submitted by its end.
UNSUBMITTED_SHARE = 0.02
#: The share of the submitted audits the QA lead moderates, and of those regraded.
MODERATED_SHARE, REGRADED_SHARE = 0.35, 0.2
#: The share of the audits that are joint (two auditors).
JOINT_SHARE = 0.08
#: The mix of the audits' processes and of the new cases' services.
PROCESS_MIX = {"csc_audit": 0.6, "early_help": 0.25, "mash": 0.15}
#: Grades of the audits, by rank (4 Outstanding ... 1 Inadequate).
GRADE_MIX = {4: 0.08, 3: 0.42, 2: 0.36, 1: 0.14}
GRADE_KEYS = {grade.rank: grade.key for grade in OFSTED_GRADES}
#: The actions an audit of each grade rank gets on average, before scaling to ACTIONS.
ACTIONS_BY_RANK = {4: 1.0, 3: 2.0, 2: 5.0, 1: 7.0}
PRIORITY_MIX = {Priority.HIGH.value: 0.25, Priority.MEDIUM.value: 0.5, Priority.LOW.value: 0.25}

SUMMARIES = (
    "The child's lived experience is clear throughout the file and drives the plan.",
    "Visits are regular but the analysis of risk is thin and the plan lacks timescales.",
    "Strong direct work with the child; the chronology needs bringing up to date.",
    "Management oversight is visible and challenges drift; partners are well engaged.",
    "The assessment describes rather than analyses; supervision is task-focused.",
    "Good multi-agency working; the family's own views shape the plan.",
)
EVIDENCE = (
    "Seen in the latest assessment and the visit records of the last three months.",
    "The plan and the review minutes; the child's words are recorded in the notes.",
    "Case notes and supervision records; the manager's decisions are dated.",
    "Partners' reports and the core group minutes show the agreed actions.",
)
ACTION_TEXTS = (
    "Update the chronology and the genogram.",
    "Record the child's wishes and feelings at the next visit.",
    "Review the contingency plan with the family and partners.",
    "Discuss the case in reflective supervision and record the analysis.",
    "Add timescales and named people to every action of the plan.",
)


@dataclass
class Council:
    """What the generator draws from: the demo council's teams, staff and cases."""

    teams: dict[str, list[int]]  # service code -> team ids
    team_types: dict[int, dict[str, int]]  # team id -> case type -> weight
    team_managers: dict[int, int | None]  # team id -> manager's user id
    workers: dict[int, list[int]]  # team id -> the ids of its workers
    auditor_pools: dict[str, list[list[tuple[int, str | None]]]]  # process -> quota pools
    processes: dict[str, AuditProcess]
    form_ids: dict[str, int]
    qa_lead: int
    qa_admin: int


@dataclass
class CaseIndex:
    """The cases of each service sorted by opening date, to draw cases open by a date."""

    rows: dict[str, list[tuple[date, int, int, int | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # service -> (opened_on, case id, team id, worker id)
    opened: dict[str, list[date]] = field(default_factory=dict)

    def add(self, service: str, opened_on: date, case_id: int, team_id: int, worker: int | None):
        """Add a case (call :meth:`sort` once every case is in)."""
        self.rows[service].append((opened_on, case_id, team_id, worker))

    def sort(self) -> None:
        """Sort each service's cases by opening date."""
        for service, rows in self.rows.items():
            rows.sort()
            self.opened[service] = [row[0] for row in rows]

    def draw(self, rng: random.Random, service: str, before: date) -> tuple[int, int, int | None]:
        """A case of *service* opened before *before* (the oldest one if none was)."""
        count = max(bisect_left(self.opened[service], before), 1)
        _, case_id, team_id, worker = self.rows[service][rng.randrange(count)]
        return case_id, team_id, worker


class Writer:
    """Bulk inserts, at most :data:`CHUNK` rows a statement, counting the rows written."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert *rows* into *table*."""
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(insert(table), rows[start : start + CHUNK])
        self.counts[table.name] += len(rows)


def bench_app(url: str) -> Flask:
    """The portal on the database *url*, configured as the tests configure it."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "SECRET_KEY": "benchmark",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
        }
    )


def _weighted(rng: random.Random, mix: dict[Any, float]) -> Any:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _replace_results_file(url: str) -> None:
    """Delete the SQLite file at *url* when it is one of ours (in ``benchmarks/results``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    path = Path(parsed.database).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if RESULTS in path.parents:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _load_council() -> Council:
    """Look up the demo council's teams, staff, auditors and forms."""
    host = plugin_host()
    processes = {key: host.process(key) for key in PROCESS_MIX}
    form_ids = {}
    for key, process in processes.items():
        form = form_row(process)
        db.session.flush()
        form_ids[key] = form.id
    db.session.commit()

    types_by_name = {name: {t.value: w for t, w in types.items()} for name, *_, types in TEAMS}
    teams: dict[str, list[int]] = defaultdict(list)
    team_types, team_managers = {}, {}
    for team_id, name, service, manager in db.session.execute(
        select(Team.id, Team.name, Service.code, Team.manager_id).join(Service).order_by(Team.id)
    ):
        teams[service].append(team_id)
        team_types[team_id] = types_by_name[name]
        team_managers[team_id] = manager
    people = db.session.execute(
        select(User.id, User.team_id, Agency.code, UserRole.role)
        .join(UserRole, UserRole.user_id == User.id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .order_by(User.id)
    ).all()
    workers: dict[int, list[int]] = defaultdict(list)
    worker_roles = {Role.SOCIAL_WORKER.value, Role.EARLY_HELP_WORKER.value}
    for user_id, team_id, _, role in people:
        if role in worker_roles and team_id is not None:
            workers[team_id].append(user_id)
    pools = {
        key: [
            [
                (user_id, agency)
                for user_id, _, agency, role in people
                if role in quota.auditor_roles
                and (quota.auditor_agency is None or agency == quota.auditor_agency)
            ]
            for quota in process.quotas
        ]
        for key, process in processes.items()
    }
    by_role = {role: user_id for user_id, _, _, role in reversed(people)}
    return Council(
        teams=dict(teams),
        team_types=team_types,
        team_managers=team_managers,
        workers=dict(workers),
        auditor_pools=pools,
        processes=processes,
        form_ids=form_ids,
        qa_lead=by_role[Role.QA_LEAD.value],
        qa_admin=by_role[Role.QA_ADMIN.value],
    )


def next_ids(connection: Connection) -> dict[str, int]:
    """The next free id of each table the generator gives ids to."""
    return {
        model.__tablename__: (connection.scalar(select(func.max(model.id))) or 0) + 1
        for model in (Case, Audit, Action, Moderation)
    }


def _write_cases(
    rng: random.Random,
    writer: Writer,
    council: Council,
    count: int,
    first: date,
    end: date,
    next_id: int,
) -> CaseIndex:
    """Add *count* cases opened from a year before *first* to *end*; index every case."""
    index = CaseIndex()
    services = {council.processes[key].services[0]: share for key, share in PROCESS_MIX.items()}
    for case_id, team_id, worker, opened_on, service in writer.connection.execute(
        select(Case.id, Case.team_id, Case.allocated_worker_id, Case.opened_on, Service.code)
        .join(Team, Team.id == Case.team_id)
        .join(Service, Service.id == Team.service_id)
    ):
        index.add(service, opened_on, case_id, team_id, worker)
    earliest = first - timedelta(days=365)
    span = (end - earliest).days
    rows = []
    for number in range(count):
        service = _weighted(rng, services)
        team_id = rng.choice(council.teams[service])
        types = council.team_types[team_id]
        case_type = rng.choices(list(types), weights=list(types.values()))[0]
        worker = rng.choice(council.workers[team_id])
        opened_on = earliest + timedelta(days=rng.randrange(span))
        closed_on = opened_on + timedelta(days=rng.randint(*DURATIONS[case_type]))
        rows.append(
            {
                "id": next_id + number,
                "reference": f"{REFERENCES[service][0]}-B{number + 1:06d}",
                "case_type": case_type,
                "team_id": team_id,
                "allocated_worker_id": worker,
                "opened_on": opened_on,
                "closed_on": closed_on if closed_on < end else None,
                "updated_at": datetime.combine(opened_on, datetime.min.time()),
            }
        )
        index.add(service, opened_on, next_id + number, team_id, worker)
    writer.write(Case.__table__, rows)
    index.sort()
    return index


def _monthly_counts(total: int) -> list[int]:
    """*total* audits spread over :data:`MONTHS` months, rising tenfold from first to last."""
    weights = [1 + 9 * index / (MONTHS - 1) for index in range(MONTHS)]
    whole = sum(weights)
    reached = [round(total * sum(weights[: index + 1]) / whole) for index in range(MONTHS)]
    return [after - before for before, after in zip([0, *reached], reached, strict=False)]


@dataclass
class AuditRows:
    """The rows of a block of audits, written together so children follow their parents."""

    audits: list[dict[str, Any]] = field(default_factory=list)
    auditors: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    moderations: list[dict[str, Any]] = field(default_factory=list)
    learning: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)

    def write(self, writer: Writer) -> None:
        """Insert every row, audits first, and empty the block."""
        tables = (
            (Audit, self.audits),
            (AuditAuditor, self.auditors),
            (AuditAnswer, self.answers),
            (Moderation, self.moderations),
            (AuditLearning, self.learning),
            (Action, self.actions),
        )
        for model, rows in tables:
            writer.write(model.__table__, rows)
            rows.clear()


class AuditMaker:
    """Draws audits, their answers, moderations, learning and actions as rows."""

    def __init__(
        self,
        rng: random.Random,
        council: Council,
        cases: CaseIndex,
        now: datetime,
        ids: dict[str, int],
    ) -> None:
        self.rng = rng
        self.council = council
        self.cases = cases
        self.now = now
        self.audit_id = ids["audits"]
        self.action_id = ids["actions"]
        self.moderation_id = ids["moderations"]
        self.graded = {
            key: [section.key for section in process.form.graded_sections]
            for key, process in council.processes.items()
        }
        mean = sum(GRADE_MIX[rank] * ACTIONS_BY_RANK[rank] for rank in GRADE_MIX)
        self.action_factor = ACTIONS / (AUDITS * (1 - UNSUBMITTED_SHARE) * mean)
        self.areas = [area.value for area in LearningArea]
        self.rows = AuditRows()
        self.due_on = cache(add_working_days)

    def _auditors(self, key: str) -> list[tuple[int, str | None]]:
        pool = self.rng.choice([pool for pool in self.council.auditor_pools[key] if pool])
        if self.rng.random() < JOINT_SHARE and len(pool) > 1:
            return self.rng.sample(pool, 2)
        return [self.rng.choice(pool)]

    def _audit_row(self, key: str, case: tuple[int, int, int | None], allocated_on: date):
        process = self.council.processes[key]
        return {
            "id": self.audit_id,
            "case_id": case[0],
            "process_key": key,
            "process_version": process.version,
            "form_id": self.council.form_ids[key],
            "status": AuditStatus.ALLOCATED.value,
            "allocated_on": allocated_on,
            "due_on": self.due_on(allocated_on, process.due.working_days),
            "allocated_by_id": self.council.qa_admin,
            "allocation_reason": "Benchmark council",
            "selection_id": None,
            "revision": 0,
            "suggested_grade": None,
            "overall_grade": None,
            "record_grade": None,
            "moderation_required": False,
            "override_reason": "",
            "submitted_at": None,
            "submitted_by_id": None,
            "closed_at": None,
            "escalated_at": None,
            "created_at": datetime.combine(allocated_on, datetime.min.time()),
        }

    def _add_auditors(self, auditors: Iterable[tuple[int, str | None]]) -> None:
        self.rows.auditors.extend(
            {"audit_id": self.audit_id, "user_id": user, "agency_code": agency}
            for user, agency in auditors
        )

    def submitted(self, month_start: datetime, month_end: datetime) -> None:
        """Add an audit submitted in ``[month_start, month_end)``, with everything it has."""
        rng = self.rng
        key = _weighted(rng, PROCESS_MIX)
        process = self.council.processes[key]
        submitted_at = month_start + timedelta(
            seconds=rng.randrange(int((month_end - month_start).total_seconds()))
        )
        allocated_on = submitted_at.date() - timedelta(days=rng.randint(3, 35))
        case = self.cases.draw(rng, process.services[0], allocated_on)
        auditors = self._auditors(key)
        rank = _weighted(rng, GRADE_MIX)
        audit = self._audit_row(key, case, allocated_on)
        audit.update(
            revision=rng.randint(2, 12),
            suggested_grade=GRADE_KEYS[rank],
            overall_grade=GRADE_KEYS[rank],
            record_grade=GRADE_KEYS[rank],
            submitted_at=submitted_at,
            submitted_by_id=auditors[0][0],
        )
        self._add_auditors(auditors)
        areas = rng.sample(self.areas, rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0])
        self._answers(key, rank, areas, submitted_at)
        self.rows.learning.extend(
            {"audit_id": self.audit_id, "area": area, "tagged_by": "auditor"} for area in areas
        )
        moderated_at = self._moderation(audit, rank) if rng.random() < MODERATED_SHARE else None
        last_sign_off = self._actions(key, rank, case, auditors[0][0], submitted_at)
        if audit["moderation_required"] and moderated_at is None:
            audit["status"] = AuditStatus.SUBMITTED.value
        elif last_sign_off is not None:
            audit["status"] = AuditStatus.CLOSED.value
            audit["closed_at"] = max(last_sign_off, moderated_at or submitted_at)
        else:
            audit["status"] = AuditStatus.ACTIONS_OPEN.value
        self.rows.audits.append(audit)
        self.audit_id += 1

    def unsubmitted(self, month_start: datetime) -> None:
        """Add an audit allocated since *month_start* and not submitted (its actions drafts)."""
        rng = self.rng
        key = _weighted(rng, PROCESS_MIX)
        process = self.council.processes[key]
        allocated_on = month_start.date() + timedelta(days=rng.randrange(20))
        case = self.cases.draw(rng, process.services[0], allocated_on)
        auditors = self._auditors(key)
        audit = self._audit_row(key, case, allocated_on)
        if rng.random() < 0.5:
            audit.update(status=AuditStatus.IN_PROGRESS.value, revision=rng.randint(1, 5))
            for _ in range(rng.randint(0, 3)):
                self._action(
                    key, case, auditors[0][0], datetime.combine(allocated_on, datetime.min.time())
                )
        self._add_auditors(auditors)
        self.rows.audits.append(audit)
        self.audit_id += 1

    def _answers(self, key: str, rank: int, areas: list[str], submitted_at: datetime) -> None:
        rng = self.rng
        sections = self.graded[key]
        ranks = [min(4, rank + rng.choice((0, 0, 0, 1, 1, 2))) for _ in sections]
        ranks[rng.randrange(len(ranks))] = rank  # the worst section gives the judgement
        values = [
            (section, field, value)
            for section, section_rank in zip(sections, ranks, strict=True)
            for field, value in (
                ("grade", GRADE_KEYS[section_rank]),
                ("evidence", rng.choice(EVIDENCE)),
            )
        ]
        values += [
            ("overall", "grade", GRADE_KEYS[rank]),
            ("overall", "reason", ""),
            ("overall", "summary", rng.choice(SUMMARIES)),
            ("overall", "learning", ",".join(sorted(areas))),
        ]
        if key == "early_help":
            discussed = submitted_at.date() + timedelta(days=rng.randint(3, 40))
            values.append(("supervision", "discussed_on", discussed.isoformat()))
        self.rows.answers.extend(
            {
                "audit_id": self.audit_id,
                "section_key": section,
                "field_key": field,
                "value": value,
            }
            for section, field, value in values
        )

    def _moderation(self, audit: dict[str, Any], rank: int) -> datetime | None:
        """Mark *audit* for moderation; moderate it unless that falls after the end."""
        rng = self.rng
        audit["moderation_required"] = True
        moderated_at = audit["submitted_at"] + timedelta(
            days=rng.randint(1, 20), seconds=rng.randrange(86_400)
        )
        if moderated_at >= self.now:
            return None
        moderated = rank
        if rng.random() < REGRADED_SHARE:
            moderated = min(4, max(1, rank + rng.choice((-1, 1))))
        audit["record_grade"] = GRADE_KEYS[moderated]
        self.rows.moderations.append(
            {
                "id": self.moderation_id,
                "audit_id": self.audit_id,
                "moderator_id": self.council.qa_lead,
                "auditor_grade": GRADE_KEYS[rank],
                "moderated_grade": GRADE_KEYS[moderated],
                "rationale": "" if moderated == rank else "The evidence supports another grade.",
                "feedback": "Clear evidence; thank you.",
                "moderated_at": moderated_at,
            }
        )
        self.moderation_id += 1
        if rng.random() < 0.3:
            area = rng.choice(self.areas)
            self.rows.learning.append(
                {"audit_id": self.audit_id, "area": area, "tagged_by": "moderator"}
            )
        return moderated_at

    def _actions(
        self,
        key: str,
        rank: int,
        case: tuple[int, int, int | None],
        auditor: int,
        submitted_at: datetime,
    ) -> datetime | None:
        """Add the submitted audit's actions; return when the last was signed off, or None
        when one is still open or awaiting sign-off (or it has none: the submission then)."""
        rng = self.rng
        mean = ACTIONS_BY_RANK[rank] * self.action_factor
        signed_off = [submitted_at]
        for _ in range(int(rng.uniform(0, 2 * mean) + 0.5)):
            created_at = submitted_at - timedelta(seconds=rng.randrange(2 * 86_400))
            signed_off.append(self._action(key, case, auditor, created_at, live=True))
        return None if None in signed_off else max(signed_off)

    def _action(
        self,
        key: str,
        case: tuple[int, int, int | None],
        auditor: int,
        created_at: datetime,
        live: bool = False,
    ) -> datetime | None:
        """Add one action (a draft unless *live*); return when it was signed off, if it was."""
        rng = self.rng
        _, team_id, worker = case
        manager = self.council.team_managers[team_id]
        status, completed_at, signed_off_at = ActionStatus.DRAFT.value, None, None
        if live:
            status = ActionStatus.OPEN.value
            if rng.random() > 0.12:  # one in eight is never done
                completed_at = created_at + timedelta(
                    days=rng.randint(7, 120), seconds=rng.randrange(86_400)
                )
                if rng.random() > 0.05:  # one in twenty completed is never signed off
                    signed_off_at = completed_at + timedelta(
                        days=rng.randint(1, 30), seconds=rng.randrange(86_400)
                    )
            if completed_at is not None and completed_at >= self.now:
                completed_at = signed_off_at = None
            if signed_off_at is not None and signed_off_at >= self.now:
                signed_off_at = None
            if signed_off_at is not None:
                status = ActionStatus.SIGNED_OFF.value
            elif completed_at is not None:
                status = ActionStatus.COMPLETED.value
        self.rows.actions.append(
            {
                "id": self.action_id,
                "audit_id": self.audit_id,
                "section_key": rng.choice(self.graded[key]),
                "description": rng.choice(ACTION_TEXTS),
                "priority": _weighted(rng, PRIORITY_MIX),
                "owner_id": worker or manager,
                "due_on": created_at.date() + timedelta(days=rng.randint(28, 90)),
                "status": status,
                "evidence": "Done: see the case notes." if completed_at else "",
                "completed_at": completed_at,
                "signed_off_by_id": manager if signed_off_at else None,
                "signed_off_at": signed_off_at,
                "returned_reason": "",
                "escalated_at": None,
                "created_by_id": auditor,
                "created_at": created_at,
            }
        )
        self.action_id += 1
        return signed_off_at


def _finish_postgres() -> None:
    """Move the id counters past the generated rows; vacuum and analyse every table."""
    with db.engine.begin() as connection:
        for model in (Case, Audit, Action, Moderation, *history.WITH_IDS):
            table = model.__tablename__
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _publish_example_tools(qa_lead_id: int) -> None:
    """Import and publish the tool builder's example tools as the QA lead, so that its
    pages (the tools, each tool, its preview) and report sections are timed too; they
    have no audits."""
    qa_lead = db.session.get(User, qa_lead_id)
    for path in sorted((Path(tools.__file__).parent / "examples").glob("*.json")):
        tool, problems = tools.import_tool(json.loads(path.read_text()), qa_lead)
        if problems or tool is None or tools.publish(tool, qa_lead):
            raise ValueError(f"the example tool {path.name} did not publish: {problems}")
    db.session.commit()


def generate(
    url: str = DEFAULT_DATABASE_URL,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    last_month: date | None = None,
    out: Callable[[str], None] = print,
) -> dict[str, int]:
    """Build the large council into the database *url*; return the rows of each table.

    *scale* multiplies the volumes (1: 20,000 cases, 60,000 audits, 200,000 actions);
    the audits are submitted over the 60 months up to *last_month* (by default the last
    complete month). Raises ``ValueError`` when the database already holds audits.
    """
    started = time.perf_counter()
    last_month = (last_month or last_complete_month(date.today())).replace(day=1)
    first = add_months(last_month, 1 - MONTHS)
    end = add_months(last_month, 1)
    now = datetime.combine(end, datetime.min.time())
    _replace_results_file(url)
    app = bench_app(url)
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        if db.session.scalar(select(func.count(Audit.id))):
            raise ValueError("the database already holds audits: generate into a new one")
        seed_demo_council(today=end)  # commits
        council = _load_council()
        _publish_example_tools(council.qa_lead)
        out(f"Migrated and seeded the demo council in {time.perf_counter() - started:.1f} s")
        rng = random.Random(seed)
        with db.engine.begin() as connection:
            writer = Writer(connection)
            ids = next_ids(connection)
            cases = _write_cases(
                rng, writer, council, round(CASES * scale), first, end, ids["cases"]
            )
            total = round(AUDITS * scale)
            unsubmitted = round(total * UNSUBMITTED_SHARE)
            maker = AuditMaker(rng, council, cases, now, ids)
            for index, count in enumerate(_monthly_counts(total - unsubmitted)):
                month = add_months(first, index)
                start = datetime.combine(month, datetime.min.time())
                stop = datetime.combine(add_months(month, 1), datetime.min.time())
                for _ in range(count):
                    maker.submitted(start, stop)
                    if len(maker.rows.audits) >= CHUNK:
                        maker.rows.write(writer)
            for _ in range(unsubmitted):
                maker.unsubmitted(datetime.combine(last_month, datetime.min.time()))
            maker.rows.write(writer)
            write_history(connection, writer.write, rng, first, now, scale)
        if db.engine.dialect.name == "postgresql":
            _finish_postgres()
        totals = table_counts()
        db.engine.dispose()
    elapsed = time.perf_counter() - started
    out(
        f"Generated {_describe(writer.counts)} "
        f"(audits submitted {first:%B %Y} to {last_month:%B %Y}) in {elapsed:.1f} s"
    )
    out(f"The database now holds {_describe(totals)}")
    return totals


#: The tables :func:`table_counts` counts, in the order they are printed.
COUNTED = (
    Case,
    Audit,
    AuditAuditor,
    AuditAnswer,
    Moderation,
    AuditLearning,
    Action,
    *history.COUNTED,
)


def table_counts() -> dict[str, int]:
    """How many rows each generated table holds (needs an app context)."""
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in COUNTED
    }


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {table}" for table, count in counts.items())


def _month(text: str) -> date:
    return datetime.strptime(text, "%Y-%m").date()


def main(argv: list[str] | None = None) -> None:
    """The command line: ``python -m benchmarks.generate --help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="the database to build (default: %(default)s, replaced on every run)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the volumes (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the random seed")
    parser.add_argument(
        "--last-month",
        type=_month,
        default=None,
        help="YYYY-MM, the last month of audits (default: the last complete month)",
    )
    arguments = parser.parse_args(argv)
    try:
        generate(arguments.database_url, arguments.scale, arguments.seed, arguments.last_month)
    except ValueError as error:
        parser.exit(1, f"generate: {error}\n")


if __name__ == "__main__":
    main()
