"""The monthly draw: reproducible, and never breaking an allocation rule."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.audits.definition import AuditProcess, Quota, Section
from portal.scheduling.selection import (
    Auditor,
    CandidateCase,
    ThemeFilter,
    conflict_of_interest,
    draw,
    recently_audited,
)

MONTH = date(2027, 1, 1)
MANAGERS = ("team_manager", "service_manager", "head_of_service")


def process(key="tier_audit", quotas=None, case_types=("CIN", "CP")):
    return AuditProcess(
        key=key,
        title=key,
        version="1",
        sections=(Section("s", "S"),),
        case_types=case_types,
        quotas=quotas
        or (Quota("Each manager audits one case", MANAGERS, per_auditor=1, auditor_agency="CSC"),),
    )


def case(id, team=1, worker=None, case_type="CIN", last=None, service="CSC"):
    return CandidateCase(id, f"C-{id}", case_type, team, service, worker, last)


def auditor(id, roles=("team_manager",), agency="CSC", manages=()):
    return Auditor(id, f"Person {id}", frozenset(roles), agency, frozenset(manages))


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    cases = [case(i, team=i % 4) for i in range(1, 200)]
    staff = [auditor(1000 + i, manages=(i,)) for i in range(4)]
    first = draw(MONTH, 42, [process()], cases, staff)
    again = draw(MONTH, 42, [process()], list(reversed(cases)), list(reversed(staff)))
    other = draw(MONTH, 43, [process()], cases, staff)
    picked = [(a.case.id, a.auditor.id) for a in first.allocations]
    assert picked == [(a.case.id, a.auditor.id) for a in again.allocations]
    assert picked != [(a.case.id, a.auditor.id) for a in other.allocations]
    assert len(picked) == 4


def test_nobody_audits_their_own_team_or_their_own_case():
    cases = [case(1, team=7), case(2, team=8, worker=501)]
    staff = [auditor(500, manages=(7,)), auditor(501)]
    result = draw(MONTH, 1, [process()], cases, staff)
    pairs = {(a.auditor.id, a.case.id) for a in result.allocations}
    assert pairs == {(500, 2), (501, 1)}


def test_a_case_audited_in_the_last_twelve_months_is_not_drawn():
    recent = case(1, last=MONTH - timedelta(days=200))
    old = case(2, last=MONTH - timedelta(days=400))
    result = draw(MONTH, 1, [process()], [recent, old], [auditor(500), auditor(501)])
    assert [a.case.id for a in result.allocations] == [2]
    [shortfall] = result.shortfalls
    assert (shortfall.wanted, shortfall.got) == (2, 1)
    assert "1 of them were audited in the last 12 months" in shortfall.reason


def test_a_total_quota_is_shared_and_explained_when_nobody_can_fill_it():
    hub = process(
        "hub_audit",
        quotas=(
            Quota("3 by CSC", ("team_manager", "partner_auditor"), total=3, auditor_agency="CSC"),
            Quota(
                "3 by Police", ("team_manager", "partner_auditor"), total=3, auditor_agency="POLICE"
            ),
        ),
        case_types=("MASH_CONTACT",),
    )
    cases = [case(i, case_type="MASH_CONTACT", service="MASH") for i in range(1, 20)]
    staff = [auditor(1), auditor(2)]
    result = draw(MONTH, 5, [hub], cases, staff)
    assert len(result.allocations) == 3
    assert {a.auditor.id for a in result.allocations} == {1, 2}
    [shortfall] = result.shortfalls
    assert shortfall.quota == "3 by Police"
    assert "nobody employed by POLICE holds the role" in shortfall.reason


def test_the_theme_narrows_the_cases_and_the_processes():
    cases = [case(1, case_type="CIN"), case(2, case_type="CP")]
    theme = ThemeFilter(case_types=("CP",))
    result = draw(MONTH, 1, [process()], cases, [auditor(500), auditor(501)], theme)
    assert [a.case.id for a in result.allocations] == [2]
    assert (
        draw(
            MONTH, 1, [process()], cases, [auditor(500)], ThemeFilter(process_keys=("x",))
        ).allocations
        == []
    )


def test_an_extra_eligibility_rule_from_the_plugin_is_applied():
    only_even = process()
    only_even = AuditProcess(**{**only_even.__dict__, "eligible": lambda c, a: c.id % 2 == 0})
    result = draw(MONTH, 3, [only_even], [case(i) for i in range(1, 10)], [auditor(500)])
    assert all(a.case.id % 2 == 0 for a in result.allocations)


# Property: on any generated council, no allocation breaks a rule ----------------------

ROLES = ("team_manager", "service_manager", "head_of_service", "partner_auditor", "social_worker")


@st.composite
def councils(draw_from):
    team_count = draw_from(st.integers(1, 12))
    staff_count = draw_from(st.integers(1, 40))
    staff = []
    for index in range(staff_count):
        roles = draw_from(st.sets(st.sampled_from(ROLES), min_size=1, max_size=2))
        managed = draw_from(st.sets(st.integers(0, team_count - 1), max_size=2))
        agency = draw_from(st.sampled_from(["CSC", "EH", "POLICE"]))
        staff.append(auditor(10_000 + index, tuple(roles), agency, tuple(managed)))
    case_count = draw_from(st.integers(0, 600))
    days = st.one_of(st.none(), st.integers(1, 800))
    cases = []
    for index in range(case_count):
        ago = draw_from(days)
        cases.append(
            case(
                index + 1,
                team=draw_from(st.integers(0, team_count - 1)),
                worker=draw_from(st.one_of(st.none(), st.sampled_from([a.id for a in staff]))),
                case_type=draw_from(st.sampled_from(["CIN", "CP", "EARLY_HELP", "MASH_CONTACT"])),
                last=None if ago is None else MONTH - timedelta(days=ago),
            )
        )
    return cases, staff


PROCESSES = [
    process(),
    process(
        "family_audit",
        quotas=(Quota("EH managers", ("team_manager",), per_auditor=1, auditor_agency="EH"),),
        case_types=("EARLY_HELP",),
    ),
    process(
        "hub_audit",
        quotas=tuple(
            Quota(
                f"3 by {agency}",
                ("team_manager", "partner_auditor"),
                total=3,
                auditor_agency=agency,
            )
            for agency in ("CSC", "EH", "POLICE")
        ),
        case_types=("MASH_CONTACT",),
    ),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(council=councils(), seed=st.integers(0, 2**31))
def test_no_allocation_ever_breaks_a_rule(council, seed):
    cases, staff = council
    result = draw(MONTH, seed, PROCESSES, cases, staff)
    drawn = [a.case.id for a in result.allocations]
    assert len(drawn) == len(set(drawn)), "a case was drawn twice"
    by_key = {p.key: p for p in PROCESSES}
    for allocation in result.allocations:
        assert conflict_of_interest(allocation.case, allocation.auditor) is None
        assert not recently_audited(allocation.case, MONTH)
        assert allocation.case.case_type in by_key[allocation.process_key].case_types
        quota = next(q for q in by_key[allocation.process_key].quotas if q.name == allocation.quota)
        assert (
            allocation.role in quota.auditor_roles and allocation.role in allocation.auditor.roles
        )
        assert allocation.auditor.agency == quota.auditor_agency
    for process_ in PROCESSES:
        for quota in process_.quotas:
            mine = [a for a in result.allocations if a.quota == quota.name]
            if quota.per_auditor:
                per_person = {}
                for allocation in mine:
                    per_person[allocation.auditor.id] = per_person.get(allocation.auditor.id, 0) + 1
                assert all(count <= quota.per_auditor for count in per_person.values())
            else:
                assert len(mine) <= quota.total
            short = [s for s in result.shortfalls if s.quota == quota.name]
            expected = quota.total or quota.per_auditor * len(
                [
                    a
                    for a in staff
                    if not a.roles.isdisjoint(quota.auditor_roles)
                    and a.agency == quota.auditor_agency
                ]
            )
            if len(mine) < expected or expected == 0:
                assert short and short[0].reason, f"{quota.name} short without a reason"


def test_a_shared_quota_does_not_always_fall_to_the_same_people():
    hub = process(
        "hub_audit",
        quotas=(Quota("3 by CSC", ("team_manager",), total=3, auditor_agency="CSC"),),
        case_types=("MASH_CONTACT",),
    )
    cases = [case(i, case_type="MASH_CONTACT", service="MASH") for i in range(1, 40)]
    staff = [auditor(i) for i in range(1, 8)]
    chosen = {
        frozenset(a.auditor.id for a in draw(MONTH, seed, [hub], cases, staff).allocations)
        for seed in range(10)
    }
    assert len(chosen) > 1


def test_the_most_constrained_auditors_choose_first():
    """Two managers who may each audit only the other's team's case, and a free senior."""
    cases = [case(1, team=1), case(2, team=2)]
    staff = [
        auditor(1, roles=("head_of_service",)),  # may audit either case
        auditor(2, manages=(1,)),
        auditor(3, manages=(2,)),
    ]
    for seed in range(20):
        result = draw(MONTH, seed, [process()], cases, staff)
        assert {(a.auditor.id, a.case.id) for a in result.allocations} == {(2, 2), (3, 1)}
