"""The draw knows what is already allocated in the month (issue 12, point 3)."""

from portal.audits.definition import Quota
from portal.scheduling.selection import Allocated, draw
from tests.scheduling.test_selection import MONTH, auditor, case, process


def test_an_auditor_with_an_audit_of_the_tool_this_month_is_not_drawn_for_it_again():
    cases = [case(i, team=9) for i in range(1, 40)]
    staff = [auditor(500), auditor(501), auditor(502)]
    before = draw(MONTH, 8, [process()], cases, staff)
    assert sorted(a.auditor.id for a in before.allocations) == [500, 501, 502]

    after = draw(MONTH, 8, [process()], cases, staff, allocated=[Allocated("tier_audit", 501)])
    assert sorted(a.auditor.id for a in after.allocations) == [500, 502]
    assert after.shortfalls == []  # 501's audit counts: no quota is short


def test_an_audit_of_another_tool_does_not_count():
    staff = [auditor(500)]
    result = draw(
        MONTH, 8, [process()], [case(1, team=9)], staff, allocated=[Allocated("other", 500)]
    )
    assert [a.auditor.id for a in result.allocations] == [500]


def test_a_shared_quota_wants_only_what_is_missing():
    hub = process(
        "hub_audit",
        quotas=(Quota("3 by CSC", ("team_manager",), total=3, auditor_agency="CSC"),),
        case_types=("MASH_CONTACT",),
    )
    cases = [case(i, case_type="MASH_CONTACT", service="MASH") for i in range(1, 20)]
    staff = [auditor(1), auditor(2)]
    two_done = [Allocated("hub_audit", 1), Allocated("hub_audit", 2)]
    assert len(draw(MONTH, 5, [hub], cases, staff, allocated=two_done).allocations) == 1
    three_done = [*two_done, Allocated("hub_audit", 2)]
    result = draw(MONTH, 5, [hub], cases, staff, allocated=three_done)
    assert result.allocations == [] and result.shortfalls == []
    # someone outside the quota (another agency) does not fill it
    outsider = [Allocated("hub_audit", 99)] * 3
    assert len(draw(MONTH, 5, [hub], cases, staff, allocated=outsider).allocations) == 3


def test_an_audit_counts_once_when_its_auditor_is_in_two_quotas():
    both = process(
        quotas=(
            Quota("first", ("team_manager",), per_auditor=1),
            Quota("second", ("team_manager",), per_auditor=1),
        )
    )
    result = draw(
        MONTH,
        2,
        [both],
        [case(i, team=9) for i in range(1, 9)],
        [auditor(500)],
        allocated=[Allocated("tier_audit", 500)],
    )
    assert [a.quota for a in result.allocations] == ["second"]
