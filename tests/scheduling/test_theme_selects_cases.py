"""A month's theme selects the cases its draw takes from: by flag (any one of the theme's
flags), case type and team; a theme without enough cases is a shortfall that says so."""

from datetime import date

from portal.audits.definition import AuditProcess, Quota, Section
from portal.scheduling.selection import Auditor, CandidateCase, ThemeFilter, draw

MONTH = date(2027, 1, 1)


def process(per_auditor=1):
    return AuditProcess(
        key="tier_audit",
        title="Tier audit",
        version="1",
        sections=(Section("s", "S"),),
        case_types=("CIN", "CP"),
        quotas=(Quota("One each", ("team_manager",), per_auditor=per_auditor),),
    )


def case(id, flags=(), case_type="CIN", team=1):
    return CandidateCase(
        id, f"C-{id}", case_type, team, "CSC", None, None, None, flags=frozenset(flags)
    )


STAFF = [Auditor(500 + i, f"Person {i}", frozenset({"team_manager"}), "CSC") for i in range(3)]
CASES = [
    case(1, {"NEGLECT"}),
    case(2, {"NEGLECT", "DOMESTIC_ABUSE"}),
    case(3, {"DOMESTIC_ABUSE"}),
    case(4),
    case(5, {"NEGLECT"}, case_type="CP", team=2),
    case(6, {"CSE"}, team=2),
]


def drawn(theme: ThemeFilter | None, per_auditor=1, seed=7):
    result = draw(MONTH, seed, [process(per_auditor)], CASES, STAFF, theme)
    return {allocation.case.id for allocation in result.allocations}, result.shortfalls


def test_a_neglect_theme_draws_only_cases_flagged_neglect():
    for seed in range(20):
        ids, shortfalls = drawn(ThemeFilter(flags=("NEGLECT",)), seed=seed)
        assert ids == {1, 2, 5}
        assert shortfalls == []


def test_a_case_matches_a_theme_with_any_one_of_its_flags():
    ids, _ = drawn(ThemeFilter(flags=("CSE", "DOMESTIC_ABUSE")))
    assert ids == {2, 3, 6}


def test_flags_case_types_and_teams_all_apply():
    ids, shortfalls = drawn(ThemeFilter(flags=("NEGLECT",), case_types=("CIN",), team_ids=(1,)))
    assert ids == {1, 2}
    [shortfall] = shortfalls
    assert (shortfall.wanted, shortfall.got) == (3, 2)
    assert shortfall.reason.startswith(
        "Not enough neglect (child in need) cases in the theme's teams."
    )


def test_a_theme_with_no_matching_cases_reports_a_shortfall():
    ids, shortfalls = drawn(ThemeFilter(flags=("FGM",)))
    assert ids == set()
    [shortfall] = shortfalls
    assert (shortfall.wanted, shortfall.got) == (3, 0)
    assert shortfall.reason.startswith("Not enough female genital mutilation cases.")
    assert "0 cases match the process and the theme" in shortfall.reason


def test_not_enough_neglect_cases_for_every_auditor():
    ids, [shortfall] = drawn(ThemeFilter(flags=("NEGLECT",)), per_auditor=2)
    assert ids == {1, 2, 5}
    assert (shortfall.wanted, shortfall.got) == (6, 3)
    assert shortfall.reason.startswith("Not enough neglect cases.")


def test_no_theme_draws_from_every_case():
    everything, _ = drawn(None, per_auditor=2)
    assert everything == {1, 2, 3, 4, 5, 6}
    assert drawn(ThemeFilter(), per_auditor=2)[0] == everything


def test_a_shortfall_without_a_theme_does_not_blame_one():
    _, [shortfall] = drawn(None, per_auditor=3)
    assert not shortfall.reason.startswith("Not enough")


def test_the_theme_in_words():
    assert ThemeFilter().cases_wanted() == "cases"
    assert ThemeFilter(flags=("NEGLECT", "CSE")).cases_wanted() == (
        "neglect or child sexual exploitation cases"
    )
    assert ThemeFilter(case_types=("MASH_CONTACT",)).cases_wanted() == "MASH contact cases"
    assert ThemeFilter(service_codes=("EH",)).cases_wanted() == "cases in the theme's services"
