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
from portal.models.cases import CASE_TYPE_LABELS, CaseType
from portal.models.characteristics import FLAGS

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
    flags: frozenset[str] = frozenset()  # codes of ``FLAGS``
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

    An empty tuple means "no restriction". A case matches *flags* when it carries any one
    of them (a neglect theme draws the cases flagged neglect).
    """

    case_types: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    team_ids: tuple[int, ...] = ()
    process_keys: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def restricts_cases(self) -> bool:
        """True when the theme draws from some cases only."""
        return bool(self.case_types or self.service_codes or self.team_ids or self.flags)

    def admits_case(self, case: CandidateCase) -> bool:
        """True when *case* matches the theme's case filter."""
        return (
            (not self.case_types or case.case_type in self.case_types)
            and (not self.service_codes or case.service_code in self.service_codes)
            and (not self.team_ids or case.team_id in self.team_ids)
            and (not self.flags or not case.flags.isdisjoint(self.flags))
        )

    def cases_wanted(self) -> str:
        """The cases the theme draws from, in words: "neglect cases", "child protection
        cases in the theme's teams", "cases" when it draws from every case."""
        kinds = [
            " or ".join(_in_a_sentence(FLAGS.get(flag, flag)) for flag in self.flags),
            " or ".join(
                _in_a_sentence(CASE_TYPE_LABELS.get(CaseType(code), code))
                if code in CaseType.__members__
                else code
                for code in self.case_types
            ),
        ]
        kinds = [kind for kind in kinds if kind]
        if len(kinds) == 2:
            kinds[1] = f"({kinds[1]})"
        words = " ".join([*kinds, "cases"])
        if self.team_ids:
            words += " in the theme's teams"
        elif self.service_codes:
            words += " in the theme's services"
        return " ".join(words.split())

    def admits_process(self, key: str) -> bool:
        """True when the theme applies to the process *key*."""
        return not self.process_keys or key in self.process_keys


@dataclass(frozen=True)
class Allocated:
    """An audit that already exists in the month being drawn: a process and its auditor.

    Allocated by hand, or left by an earlier selection; the draw counts it towards the
    quotas, so nobody is drawn for a process they already audit this month.
    """

    process_key: str
    auditor_id: int


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


def _in_a_sentence(label: str) -> str:
    """*label* as it reads inside a sentence: "Neglect" is "neglect"; names stay as they
    are ("MASH contact", "Early Help", "Section 47 enquiry")."""
    first, *rest = label.split()
    if first.isupper() or any(word[:1].isupper() or word[:1].isdigit() for word in rest):
        return label
    return label[:1].lower() + label[1:]


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
    allocated: Iterable[Allocated] = (),
) -> Draw:
    """Draw the month's audits: every quota of every process, under the independence rules.

    No case is drawn twice in a month, nor when it was audited in the previous 12 months
    (unless the process re-audits cases graded Inadequate and the case is due for that);
    nobody audits a case they hold or one from a team they manage directly. Only the cases
    the *theme* admits are drawn; a quota they cannot fill is a shortfall that says so
    ("Not enough neglect cases"). The audits *allocated* in the month already count
    towards the quotas: an auditor who has one of a process is not drawn for it again, and
    a shared quota wants only what is missing.
    """
    theme = theme or ThemeFilter()
    rng = random.Random(seed)
    result = Draw(seed=seed)
    chosen: set[int] = set()
    staff = sorted(auditors, key=lambda auditor: auditor.id)
    held = Counter((item.process_key, item.auditor_id) for item in allocated)
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
            has = {auditor.id: held.pop((process.key, auditor.id), 0) for auditor in eligible}
            _fill(result, process, quota, pool, eligible, chosen, has, theme)
    return result


def _fill(
    result: Draw,
    process: AuditProcess,
    quota: Quota,
    pool: _Pool,
    auditors: list[Auditor],
    chosen: set[int],
    has: dict[int, int],
    theme: ThemeFilter,
) -> None:
    """Fill *quota* from *pool*, less what the *auditors* already have (*has*, by id)."""
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
        slots = [
            [auditor]
            for auditor in auditors
            for _ in range(max(0, quota.per_auditor - has[auditor.id]))
        ]
    else:
        slots = [
            [auditors[(index + offset) % len(auditors)] for offset in range(len(auditors))]
            for index in range(max(0, quota.total - sum(has.values())))
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
        reasons = list(missed.values())
        if theme.restricts_cases:
            reasons.insert(0, f"Not enough {theme.cases_wanted()}.")
        result.shortfalls.append(
            Shortfall(process.key, quota.name, len(slots), got, " ".join(reasons))
        )
