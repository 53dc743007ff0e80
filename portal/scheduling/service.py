"""The monthly selection against the database: candidates, preview, confirmation,
manual allocation and joint audits."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy import case as sql_case

from portal.activity import record
from portal.audits.definition import INADEQUATE, AuditProcess
from portal.audits.service import allocate
from portal.extensions import db
from portal.models import (
    Agency,
    Audit,
    AuditAuditor,
    AuditStatus,
    Case,
    CaseFlag,
    CaseType,
    MonthlySelection,
    Role,
    Service,
    Team,
    ThemeMonth,
    User,
    UserRole,
)
from portal.models.characteristics import FLAGS
from portal.notify import notify
from portal.plugins import plugin_host
from portal.scheduling.selection import (
    Allocated,
    Auditor,
    CandidateCase,
    Draw,
    ThemeFilter,
    conflict_of_interest,
    draw,
)
from portal.scheduling.working_days import add_working_days, is_working_day
from portal.timeutil import first_of_month, utcnow


class SelectionError(ValueError):
    """A selection that cannot be made, with a message for the person who asked."""


def parse_month(text: str) -> date:
    """The first day of the month written ``YYYY-MM``; ``SelectionError`` otherwise."""
    try:
        year, month = text.strip().split("-")
        return first_of_month(int(year), int(month))
    except ValueError:
        raise SelectionError(
            f"Enter the month as YYYY-MM, for example 2027-01, not {text!r}"
        ) from None


def check_month(month: date, today: date) -> None:
    """Refuse a month in the past."""
    if (month.year, month.month) < (today.year, today.month):
        raise SelectionError(f"{month:%B %Y} is in the past: choose this month or a later one")


def parse_seed(text: str | None) -> int:
    """A seed from *text*, or a new random one when it is empty."""
    if text is None or not str(text).strip():
        return secrets.randbelow(2**31)
    value = str(text).strip()
    if not value.isdigit() or len(value) > 18:
        raise SelectionError("The seed must be a whole number, such as 20270101")
    return int(value)


def first_working_day(month: date) -> date:
    """The first working day of *month*."""
    day = month
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def allocation_date(month: date, today: date) -> date:
    """Audits of *month* are allocated today in the current month, else on its first working day."""
    return max(today, first_working_day(month))


def candidate_cases(
    closed_since: date | None = None,
    theme: ThemeFilter | None = None,
    reaudit_keys: Sequence[str] = (),
) -> list[CandidateCase]:
    """Every open case (and those closed on or after *closed_since*) that *theme* admits,
    with its service, the date it was last audited and its flags.

    For each process of *reaudit_keys* (those that re-audit cases graded Inadequate), a
    case whose last audit of that process was graded Inadequate carries it in
    ``inadequate_audits``. The theme's filter is applied in SQL; two statements whatever
    the number of cases.
    """
    per_process = []
    for number, key in enumerate(reaudit_keys):
        of_process = Audit.process_key == key
        inadequate = and_(of_process, Audit.record_grade == INADEQUATE.key)
        per_process += [
            func.max(sql_case((of_process, Audit.allocated_on))).label(f"last_{number}"),
            func.max(sql_case((inadequate, Audit.allocated_on))).label(f"inadequate_{number}"),
        ]
    last_audit = (
        select(Audit.case_id, func.max(Audit.allocated_on).label("last"), *per_process)
        .where(Audit.status != AuditStatus.CANCELLED.value)  # a cancelled one audited nothing
        .group_by(Audit.case_id)
        .subquery()
    )
    query = (
        select(
            Case.id,
            Case.reference,
            Case.case_type,
            Case.team_id,
            Service.code,
            Case.allocated_worker_id,
            last_audit.c.last,
            Case.closed_on,
            *(column for column in last_audit.c if column.name not in ("case_id", "last")),
        )
        .join(Team, Case.team_id == Team.id)
        .join(Service, Team.service_id == Service.id)
        .outerjoin(last_audit, last_audit.c.case_id == Case.id)
        .where(
            Case.closed_on.is_(None)
            if closed_since is None
            else (Case.closed_on.is_(None) | (Case.closed_on >= closed_since))
        )
    )
    if theme is not None:
        query = _within_theme(query, theme)
    flags: dict[int, set[str]] = {}
    for case_id, flag in db.session.execute(
        select(CaseFlag.case_id, CaseFlag.flag).where(
            CaseFlag.case_id.in_(query.with_only_columns(Case.id))
        )
    ):
        flags.setdefault(case_id, set()).add(flag)
    return [
        CandidateCase(
            *row[:8],
            flags=frozenset(flags.get(row[0], ())),
            inadequate_audits=tuple(
                (key, inadequate)
                for key, last, inadequate in zip(reaudit_keys, row[8::2], row[9::2], strict=True)
                if inadequate is not None and inadequate == last
            ),
        )
        for row in db.session.execute(query)
    ]


def _within_theme(query, theme: ThemeFilter):
    """*query* of cases (joined to their team and service) narrowed to what *theme* admits."""
    if theme.case_types:
        query = query.where(Case.case_type.in_(theme.case_types))
    if theme.service_codes:
        query = query.where(Service.code.in_(theme.service_codes))
    if theme.team_ids:
        query = query.where(Case.team_id.in_(theme.team_ids))
    if theme.flags:
        query = query.where(
            exists().where(CaseFlag.case_id == Case.id, CaseFlag.flag.in_(theme.flags))
        )
    return query


def auditors() -> list[Auditor]:
    """Every active member of staff, with roles, agency and the teams they manage directly."""
    roles: dict[int, set[str]] = {}
    for user_id, role in db.session.execute(select(UserRole.user_id, UserRole.role)):
        roles.setdefault(user_id, set()).add(role)
    managed: dict[int, set[int]] = {}
    for team_id, manager_id in db.session.execute(select(Team.id, Team.manager_id)):
        if manager_id is not None:
            managed.setdefault(manager_id, set()).add(team_id)
    rows = db.session.execute(
        select(User.id, User.name, Agency.code, Agency.is_partner)
        .outerjoin(Agency, User.agency_id == Agency.id)
        .where(User.active)
    )
    return [
        Auditor(
            id=user_id,
            name=name,
            roles=frozenset(roles.get(user_id, ())),
            agency=agency,
            teams_managed=frozenset(managed.get(user_id, ())),
            partner=bool(partner),
        )
        for user_id, name, agency, partner in rows
    ]


def theme_filter(month: date) -> tuple[ThemeMonth | None, ThemeFilter]:
    """The month's theme, if one is scheduled, and its filter."""
    theme = db.session.scalar(select(ThemeMonth).where(ThemeMonth.month == month))
    if theme is None:
        return None, ThemeFilter()
    return theme, ThemeFilter(
        case_types=tuple(theme.case_types),
        service_codes=tuple(theme.service_codes),
        team_ids=tuple(theme.team_ids),
        process_keys=tuple(theme.process_keys),
        flags=tuple(theme.flags),
    )


def describe_theme(theme: ThemeMonth) -> list[tuple[str, str]]:
    """What *theme* draws from, as (what, which) lines for the selection page: the flags,
    case types, services, teams and audit tools it is restricted to; one line saying
    every case can be drawn when it restricts nothing."""
    rules = ThemeFilter(
        case_types=tuple(theme.case_types),
        service_codes=tuple(theme.service_codes),
        team_ids=tuple(theme.team_ids),
        flags=tuple(theme.flags),
    )
    lines = []
    if theme.flags:
        lines.append(("Flags", ", ".join(FLAGS.get(flag, flag) for flag in theme.flags)))
    if theme.case_types:
        labels = [CaseType(code).label for code in theme.case_types if code in CaseType]
        lines.append(("Case types", ", ".join(labels)))
    if theme.service_codes:
        names = db.session.scalars(
            select(Service.name).where(Service.code.in_(theme.service_codes)).order_by(Service.name)
        )
        lines.append(("Services", ", ".join(names)))
    if theme.team_ids:
        names = db.session.scalars(
            select(Team.name).where(Team.id.in_(theme.team_ids)).order_by(Team.name)
        )
        lines.append(("Teams", ", ".join(names)))
    if theme.process_keys:
        host = plugin_host()
        titles = [
            process.title if (process := host.process(key)) else key for key in theme.process_keys
        ]
        lines.append(("Audit tools", ", ".join(titles)))
    if not rules.restricts_cases:
        lines.insert(0, ("Cases", "Every open case can be drawn"))
    else:
        lines.insert(0, ("Cases", f"Only {rules.cases_wanted()}"))
    return lines


def next_month(month: date) -> date:
    """The first day of the month after *month*."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def allocated_in(month: date, created_after: datetime | None = None) -> list[Allocated]:
    """The audits already allocated in *month* (by hand, or by an earlier selection), as a
    process and an auditor each: a joint audit gives one for each of its auditors. A
    cancelled audit does not count. With *created_after*, only the audits created since
    then (those allocated after a draft was drawn)."""
    query = (
        select(Audit.process_key, AuditAuditor.user_id)
        .join(AuditAuditor, AuditAuditor.audit_id == Audit.id)
        .where(
            Audit.allocated_on >= month,
            Audit.allocated_on < next_month(month),
            Audit.status != AuditStatus.CANCELLED.value,
        )
        .order_by(Audit.id, AuditAuditor.user_id)
    )
    if created_after is not None:
        query = query.where(Audit.created_at > created_after)
    rows = db.session.execute(query)
    return [Allocated(process_key, user_id) for process_key, user_id in rows]


def audits_by_month(months: list[date]) -> dict[date, int]:
    """How many audits (not cancelled) are allocated in each of *months* (one aggregate
    statement)."""
    if not months:
        return {}
    totals: dict[date, int] = dict.fromkeys(months, 0)
    rows = db.session.execute(
        select(Audit.allocated_on, func.count(Audit.id))
        .where(
            Audit.allocated_on >= min(months),
            Audit.allocated_on < next_month(max(months)),
            Audit.status != AuditStatus.CANCELLED.value,
        )
        .group_by(Audit.allocated_on)
    )
    for day, number in rows:
        first = day.replace(day=1)
        if first in totals:
            totals[first] += number
    return totals


def run_draw(month: date, seed: int, today: date) -> dict:
    """Draw *month* with *seed* against the database as it is; the result as JSON-ready data."""
    theme, rules = theme_filter(month)
    processes = plugin_host().allocatable_processes()
    window = max((process.recently_closed_days for process in processes), default=0)
    cases = candidate_cases(
        month - timedelta(days=window) if window else None,
        rules,
        [process.key for process in processes if process.reaudit_inadequate_after_months],
    )
    existing = allocated_in(month)
    result = draw(month, seed, processes, cases, auditors(), rules, existing)
    data = _as_json(result, month, today, theme, {p.key: p for p in processes})
    data["already_allocated"] = audits_by_month([month])[month]
    return data


def _as_json(
    result: Draw,
    month: date,
    today: date,
    theme: ThemeMonth | None,
    processes: dict[str, AuditProcess],
) -> dict:
    allocated_on = allocation_date(month, today)
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    team_names = dict(db.session.execute(select(Team.id, Team.name)).all())
    return {
        "month": f"{month:%Y-%m}",
        "seed": result.seed,
        "theme": theme.theme if theme else "",
        "allocations": [
            {
                "case_id": item.case.id,
                "case_ref": item.case.reference,
                "case_type": item.case.case_type,
                "case_team": team_names[item.case.team_id],
                "process": item.process_key,
                "process_title": processes[item.process_key].title,
                "auditor_id": item.auditor.id,
                "auditor_name": item.auditor.name,
                "auditor_email": emails[item.auditor.id],
                "auditor_role": item.role,
                "auditor_agency": item.auditor.agency,
                "auditor_teams_managed": sorted(
                    team_names[team_id] for team_id in item.auditor.teams_managed
                ),
                "quota": item.quota,
                "allocated_on": allocated_on.isoformat(),
                "due_date": add_working_days(
                    allocated_on, processes[item.process_key].due.working_days
                ).isoformat(),
            }
            for item in result.allocations
        ],
        "shortfalls": [asdict(shortfall) for shortfall in result.shortfalls],
    }


def preview(month: date, seed: int, user: User | None, today: date) -> MonthlySelection:
    """Draw *month* and keep it as the month's draft, replacing an earlier draft.

    Refuses a month in the past and a month already confirmed. The caller commits.
    """
    check_month(month, today)
    selection = db.session.scalar(select(MonthlySelection).where(MonthlySelection.month == month))
    if selection is not None and selection.is_confirmed:
        raise SelectionError(f"The selection for {month:%B %Y} is already confirmed")
    result = run_draw(month, seed, today)
    if selection is None:
        selection = MonthlySelection(month=month)
        db.session.add(selection)
    selection.seed = seed
    selection.draw = result
    selection.drafted_by_id = user.id if user else None
    selection.drafted_at = utcnow()
    db.session.flush()
    record(
        "drafted",
        "selection",
        f"{month:%Y-%m}",
        actor_id=user.id if user else None,
        summary=f"seed {seed}: {len(result['allocations'])} audits, "
        f"{len(result['shortfalls'])} quotas short",
        after={"seed": seed},
    )
    return selection


def confirm(selection: MonthlySelection, user: User | None, today: date) -> list[Audit]:
    """Create the drafted audits and tell the auditors; a second confirmation creates nothing.

    The month is checked again first, as the draw would see it now: a drafted audit is
    left out when its auditor has been allocated an audit of the same tool in the month
    since the draft was drawn (nobody is drawn twice for a tool in a month), when its case
    has been allocated an audit since then (no case is audited twice), and when its audit
    tool, case or auditor has gone. What is left out moves from the draft's
    ``allocations`` to its ``left_out`` (each with the ``reason``), and the history entry
    names it. Returns the audits created. The caller commits.
    """
    if selection.is_confirmed:
        raise SelectionError(f"The selection for {selection.month:%B %Y} is already confirmed")
    check_month(selection.month, today)
    host = plugin_host()
    drafted = selection.draw["allocations"]
    # what the month has gained since the draft: the draw counted what it held then
    held_since = Counter(
        (item.process_key, item.auditor_id)
        for item in allocated_in(selection.month, created_after=selection.drafted_at)
    )
    cases_since = _cases_allocated_since(
        {item["case_id"] for item in drafted}, selection.drafted_at
    )
    created, kept, left_out = [], [], []
    for item in drafted:
        process = host.process(item["process"])
        case = db.session.get(Case, item["case_id"])
        auditor = db.session.get(User, item["auditor_id"])
        reason = _left_out_because(
            item, process, case, auditor, selection.month, held_since, cases_since
        )
        if reason:
            left_out.append({**item, "reason": reason})
            continue
        audit = allocate(
            case,
            process,
            [auditor],
            allocated_by=user,
            allocated_on=date.fromisoformat(item["allocated_on"]),
        )
        audit.selection_id = selection.id
        created.append(audit)
        kept.append(item)
    if left_out:  # a new dict: the JSON column sees the change
        selection.draw = {**selection.draw, "allocations": kept, "left_out": left_out}
    selection.confirmed_at = utcnow()
    selection.confirmed_by_id = user.id if user else None
    summary = f"{len(created)} audits allocated"
    if left_out:
        summary += f"; {len(left_out)} drafted left out: {describe_left_out(left_out)}"
    record(
        "confirmed",
        "selection",
        f"{selection.month:%Y-%m}",
        actor_id=user.id if user else None,
        summary=summary,
        after={
            "seed": selection.seed,
            "audits": [audit.id for audit in created],
            "left_out": [
                {
                    "case": item["case_ref"],
                    "process": item["process"],
                    "auditor": item["auditor_email"],
                    "reason": item["reason"],
                }
                for item in left_out
            ],
        },
    )
    return created


def _cases_allocated_since(case_ids: set[int], since: datetime) -> dict[int, str]:
    """Of *case_ids*, those allocated an audit (not cancelled) created after *since*: the
    title of the audit tool of the first such audit, by case id."""
    if not case_ids:
        return {}
    host = plugin_host()
    found: dict[int, str] = {}
    for case_id, key in db.session.execute(
        select(Audit.case_id, Audit.process_key)
        .where(
            Audit.case_id.in_(case_ids),
            Audit.created_at > since,
            Audit.status != AuditStatus.CANCELLED.value,
        )
        .order_by(Audit.id)
    ):
        process = host.process(key)
        found.setdefault(case_id, process.title if process else key)
    return found


def _left_out_because(
    item: dict,
    process: AuditProcess | None,
    case: Case | None,
    auditor: User | None,
    month: date,
    held_since: Counter,
    cases_since: dict[int, str],
) -> str | None:
    """Why the drafted audit *item* is not to be created now, or None when it is.

    An allocation to its auditor since the draft uses up *held_since* (one drafted audit
    is left out for each audit of the tool allocated to them since).
    """
    if process is None:
        return f"the audit tool {item['process_title']} is no longer installed"
    if case is None:
        return f"case {item['case_ref']} no longer exists"
    if auditor is None or not auditor.active:
        return f"{item['auditor_name']} is no longer an active member of staff"
    key = (item["process"], item["auditor_id"])
    if held_since[key] > 0:
        held_since[key] -= 1
        return (
            f"{item['auditor_name']} has been allocated an audit with this tool in "
            f"{month:%B %Y} since the draw"
        )
    if item["case_id"] in cases_since:
        return (
            f"case {item['case_ref']} has been allocated an audit "
            f"({cases_since[item['case_id']]}) since the draw"
        )
    return None


def describe_left_out(left_out: Sequence[dict]) -> str:
    """The drafted audits *left_out* by a confirmation, and why, in a sentence each part:
    "Quality of supervision audit of CS-1001 for Sam Service (Sam Service has been ...)"."""
    return "; ".join(
        f"{item['process_title']} of {item['case_ref']} for {item['auditor_name']} "
        f"({item['reason']})"
        for item in left_out
    )


def conflict_for(case: Case, auditor: User) -> str | None:
    """Why *auditor* may not audit *case* (they hold it, or manage its team), or None."""
    return conflict_of_interest(
        CandidateCase(
            id=case.id,
            reference=case.reference,
            case_type=case.case_type,
            team_id=case.team_id,
            service_code=case.team.service.code,
            worker_id=case.allocated_worker_id,
        ),
        Auditor(
            id=auditor.id,
            name=auditor.name,
            roles=frozenset(role.value for role in auditor.roles),
            agency=auditor.agency.code if auditor.agency else None,
            teams_managed=frozenset(team.id for team in auditor.managed_teams),
        ),
    )


def agency_problem(process: AuditProcess, auditor: User) -> str | None:
    """Why *auditor*'s agency may not audit *process* (a partner agency's auditor on a
    social-care audit), or None when it may."""
    agency = auditor.agency
    return process.auditor_agency_problem(
        auditor.name, agency.code if agency else None, bool(agency and agency.is_partner)
    )


def allocate_by_hand(
    case: Case, process: AuditProcess, auditor: User, reason: str, user: User, today: date
) -> Audit:
    """A QA administrator's own choice: a reason is required; conflicts are still refused.

    A case audited in the last 12 months may be chosen by hand; the reason says why.
    """
    if not reason.strip():
        raise SelectionError("Give a reason for choosing this case by hand")
    if process.retired:
        raise SelectionError(f"{process.title} takes no new audits: choose another audit tool")
    problem = conflict_for(case, auditor) or agency_problem(process, auditor)
    if problem:
        raise SelectionError(f"{problem}: choose another auditor")
    if process.case_types and case.case_type not in process.case_types:
        raise SelectionError(f"{process.title} does not apply to {case.type.label} cases")
    return allocate(case, process, [auditor], allocated_by=user, allocated_on=today, reason=reason)


def add_joint_auditor(audit: Audit, auditor: User, reason: str, user: User) -> None:
    """Name a second auditor on *audit* for a joint audit (either may edit; both are told).

    The caller commits.
    """
    if audit.submitted_at is not None:
        raise SelectionError("The audit is already submitted")
    if auditor in audit.auditors:
        raise SelectionError(f"{auditor.name} is already an auditor of this audit")
    process = plugin_host().process(audit.process_key)
    problem = conflict_for(audit.case, auditor) or (process and agency_problem(process, auditor))
    if problem:
        raise SelectionError(f"{problem}: choose another auditor")
    audit.auditor_rows.append(
        AuditAuditor(user=auditor, agency_code=auditor.agency.code if auditor.agency else None)
    )
    record(
        "joint auditor added",
        "audit",
        audit.id,
        actor_id=user.id,
        summary=f"{auditor.name} joins as second auditor",
        after={"auditor": auditor.email, "reason": reason},
    )
    notify(
        [*audit.auditors, auditor],
        f"Joint audit: {audit.case.reference}",
        f"{auditor.name} and {', '.join(a.name for a in audit.auditors)} audit case "
        f"{audit.case.reference} together. Either of you can edit it; you see each "
        "other's changes as you save.",
        f"/audits/{audit.id}",
    )


def qa_administrators() -> list[User]:
    """Every active QA administrator."""
    return list(
        db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == Role.QA_ADMIN.value, User.active)
        )
    )
