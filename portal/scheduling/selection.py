"""The monthly random selection: which cases are audited, by whom, under which process.

A pure function of its inputs (no Flask, no database): the same seed on the same data
gives the same draw. The independence rules are the core's; the quotas and any extra
eligibility rule come from each audit process.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from portal.audits.definition import AuditProcess, Quota

#: A case audited this recently (in days before the month starts) is not drawn again.
RECENT_AUDIT_DAYS = 365


@dataclass(frozen=True)
class CandidateCase:
    """What the draw needs to know about a case."""

    id: int
    reference: str
    case_type: str
    team_id: int
    service_code: str
    worker_id: int | None
    last_audited_on: date | None = None
    closed_on: date | None = None
    #: ``(process key, allocation day)`` for each process whose last audit of this case
    #: was graded Inadequate (only the processes that re-audit such cases are asked).
    inadequate_audits: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class Auditor:
    """What the draw needs to know about a member of staff who may audit."""

    id: int
    name: str
    roles: frozenset[str]
    agency: str | None
    teams_managed: frozenset[int] = frozenset()
    partner: bool = False  # employed by a partner agency (police, health), not the council


@dataclass(frozen=True)
class ThemeFilter:
    """The month's theme: which cases and processes the selection draws from.

    An empty tuple means "no restriction".
    """

    case_types: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    team_ids: tuple[int, ...] = ()
    process_keys: tuple[str, ...] = ()

    def admits_case(self, case: CandidateCase) -> bool:
        """True when *case* matches the theme's case filter."""
        return (
            (not self.case_types or case.case_type in self.case_types)
            and (not self.service_codes or case.service_code in self.service_codes)
            and (not self.team_ids or case.team_id in self.team_ids)
        )

    def admits_process(self, key: str) -> bool:
        """True when the theme applies to the process *key*."""
        return not self.process_keys or key in self.process_keys


@dataclass(frozen=True)
class Allocation:
    """One drawn audit: this case, this process, this auditor, to fill this quota."""

    case: CandidateCase
    process_key: str
    auditor: Auditor
    quota: str
    role: str


@dataclass(frozen=True)
class Shortfall:
    """A quota the draw could not fill, and why."""

    process_key: str
    quota: str
    wanted: int
    got: int
    reason: str


@dataclass
class Draw:
    """The outcome of a draw."""

    seed: int
    allocations: list[Allocation] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)


def conflict_of_interest(case: CandidateCase, auditor: Auditor) -> str | None:
    """Why *auditor* may not audit *case*, or None when they may (the independence rules)."""
    if case.worker_id == auditor.id:
        return f"{auditor.name} holds case {case.reference}"
    if case.team_id in auditor.teams_managed:
        return f"{auditor.name} manages the team that holds case {case.reference}"
    return None


def recently_audited(case: CandidateCase, month_start: date) -> bool:
    """True when *case* was audited in the 12 months before *month_start*."""
    return (
        case.last_audited_on is not None
        and (month_start - case.last_audited_on).days < RECENT_AUDIT_DAYS
    )


def months_after(day: date, months: int) -> date:
    """The day *months* months after *day* (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_for_reaudit(case: CandidateCase, process: AuditProcess, month_start: date) -> bool:
    """True when *process* re-audits cases graded Inadequate and *case*'s last audit of it,
    graded Inadequate, was allocated at least that many months before *month_start*."""
    months = process.reaudit_inadequate_after_months
    if not months:
        return False
    allocated = dict(case.inadequate_audits).get(process.key)
    return allocated is not None and months_after(allocated, months) <= month_start


def _still_live(case: CandidateCase, process: AuditProcess, month_start: date) -> bool:
    """Open, or closed recently enough for a process that audits short-lived cases."""
    return case.closed_on is None or (
        process.recently_closed_days > 0
        and (month_start - case.closed_on).days <= process.recently_closed_days
    )


def _eligible_auditors(
    process: AuditProcess, quota: Quota, auditors: Sequence[Auditor]
) -> list[Auditor]:
    return [
        auditor
        for auditor in auditors
        if not auditor.roles.isdisjoint(quota.auditor_roles)
        and (quota.auditor_agency is None or auditor.agency == quota.auditor_agency)
        and process.admits_agency(auditor.agency, auditor.partner)
    ]


def _role_for(quota: Quota, auditor: Auditor) -> str:
    return next(role for role in quota.auditor_roles if role in auditor.roles)


class _Pool:
    """The cases a process may draw from, in the order the seed shuffled them."""

    def __init__(
        self,
        process: AuditProcess,
        cases: Iterable[CandidateCase],
        theme: ThemeFilter,
        month_start: date,
        rng: random.Random,
    ) -> None:
        self.process = process
        self.matching = [
            case
            for case in cases
            if _still_live(case, process, month_start)
            and (not process.case_types or case.case_type in process.case_types)
            and (not process.services or case.service_code in process.services)
            and theme.admits_case(case)
        ]
        self.recent = []
        self.order = []
        for case in self.matching:  # one pass: a case is in exactly one of the two
            held_back = recently_audited(case, month_start) and not due_for_reaudit(
                case, process, month_start
            )
            (self.recent if held_back else self.order).append(case)
        self.order.sort(key=lambda case: case.id)
        rng.shuffle(self.order)
        self.month_start = month_start

    def _eligible(self, case: CandidateCase, auditor: Auditor) -> bool:
        """The process's own eligibility rule (given the month's first day as today)."""
        return self.process.apply("eligible", case, auditor, today=self.month_start)

    def take(self, auditor: Auditor, chosen: set[int]) -> CandidateCase | None:
        """The first case in the shuffled order that *auditor* may audit, now taken."""
        for case in self.order:
            if case.id in chosen or conflict_of_interest(case, auditor):
                continue
            if self.process.eligible is not None and not self._eligible(case, auditor):
                continue
            chosen.add(case.id)
            return case
        return None

    def options(self, auditors: Sequence[Auditor], chosen: set[int]) -> dict[int, int]:
        """How many cases still in the pool each of *auditors* may audit, by auditor id.

        One pass over the pool, not one per auditor: the cases left are counted by
        worker, by team and by both, and an auditor's conflicts (their own cases, and
        those of the teams they manage) are subtracted. A process with an eligibility
        rule of its own is asked case by case.
        """
        left = [case for case in self.order if case.id not in chosen]
        if self.process.eligible is not None:
            return {
                auditor.id: sum(
                    conflict_of_interest(case, auditor) is None and self._eligible(case, auditor)
                    for case in left
                )
                for auditor in auditors
            }
        by_worker = Counter(case.worker_id for case in left)
        by_team = Counter(case.team_id for case in left)
        by_both = Counter((case.worker_id, case.team_id) for case in left)
        return {
            auditor.id: len(left)
            - by_worker[auditor.id]
            - sum(by_team[team] - by_both[auditor.id, team] for team in auditor.teams_managed)
            for auditor in auditors
        }

    def explain(self, auditor: Auditor | None, chosen: set[int]) -> str:
        """Why no case was left, in numbers a QA administrator can check."""
        parts = [
            f"{len(self.matching)} cases match the process and the theme",
            f"{len(self.recent)} of them were audited in the last 12 months",
            f"{sum(case.id in chosen for case in self.order)} are already drawn this month",
        ]
        if auditor is not None:
            conflicts = sum(conflict_of_interest(case, auditor) is not None for case in self.order)
            parts.append(f"{conflicts} are held by {auditor.name} or in a team they manage")
        return "; ".join(parts) + "."


def draw(
    month_start: date,
    seed: int,
    processes: Sequence[AuditProcess],
    cases: Sequence[CandidateCase],
    auditors: Sequence[Auditor],
    theme: ThemeFilter | None = None,
) -> Draw:
    """Draw the month's audits: every quota of every process, under the independence rules.

    No case is drawn twice in a month, nor when it was audited in the previous 12 months
    (unless the process re-audits cases graded Inadequate and the case is due for that);
    nobody audits a case they hold or one from a team they manage directly.
    """
    theme = theme or ThemeFilter()
    rng = random.Random(seed)
    result = Draw(seed=seed)
    chosen: set[int] = set()
    staff = sorted(auditors, key=lambda auditor: auditor.id)
    for process in sorted(processes, key=lambda process: process.key):
        if not theme.admits_process(process.key) or not process.quotas:
            continue
        pool = _Pool(process, cases, theme, month_start, rng)
        for quota in process.quotas:
            eligible = _eligible_auditors(process, quota, staff)
            rng.shuffle(eligible)  # a seeded order, not the order of ids
            if quota.per_auditor:
                # those with the fewest cases they may audit choose first, so that one
                # person's free choice does not leave another with nothing
                options = pool.options(eligible, chosen)
                eligible.sort(key=lambda auditor: options[auditor.id])
            _fill(result, process, quota, pool, eligible, chosen)
    return result


def _fill(
    result: Draw,
    process: AuditProcess,
    quota: Quota,
    pool: _Pool,
    auditors: list[Auditor],
    chosen: set[int],
) -> None:
    if not auditors:
        agency = f" employed by {quota.auditor_agency}" if quota.auditor_agency else ""
        wanted = quota.total or quota.per_auditor
        result.shortfalls.append(
            Shortfall(
                process.key,
                quota.name,
                wanted,
                0,
                f"nobody{agency} holds the role {' or '.join(quota.auditor_roles)}",
            )
        )
        return
    # per_auditor: each auditor in turn; total: the slots go round the auditors, and a
    # slot its auditor cannot fill passes to the next one who can.
    if quota.per_auditor:
        slots = [[auditor] for auditor in auditors for _ in range(quota.per_auditor)]
    else:
        slots = [
            [auditors[(index + offset) % len(auditors)] for offset in range(len(auditors))]
            for index in range(quota.total)
        ]
    got = 0
    missed: dict[int, str] = {}
    for candidates in slots:
        for auditor in candidates:
            case = pool.take(auditor, chosen)
            if case is not None:
                result.allocations.append(
                    Allocation(case, process.key, auditor, quota.name, _role_for(quota, auditor))
                )
                got += 1
                break
            missed.setdefault(
                auditor.id, f"None left for {auditor.name}: {pool.explain(auditor, chosen)}"
            )
    if got < len(slots):
        result.shortfalls.append(
            Shortfall(process.key, quota.name, len(slots), got, " ".join(missed.values()))
        )
