"""The management_oversight process: its form, the start-up checks, its quota in the draw."""

from collections import Counter
from datetime import date

from plugins.management_oversight.process import MANAGEMENT_OVERSIGHT
from portal.plugin_api import (
    Auditor,
    CandidateCase,
    CaseType,
    FormDefinition,
    draw,
    problems_with,
    run_draw,
    submission_errors,
)

FORM = MANAGEMENT_OVERSIGHT.form
QUOTA = "Each CSC service manager and head of service dip-samples one CIN, CP or CLA case a month"


def test_the_process_passes_the_start_up_checks():
    assert problems_with(MANAGEMENT_OVERSIGHT, "management_oversight", set(CaseType)) == []
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_the_process_dip_samples_cin_cp_and_cla_cases():
    process = MANAGEMENT_OVERSIGHT
    assert (process.key, process.title) == (
        "management_oversight",
        "Management oversight dip sample",
    )
    assert (process.services, process.case_types) == (("CSC",), ("CIN", "CP", "CLA"))
    assert process.due.working_days == 10
    assert process.moderation_share == 0.25
    assert [(s.key, s.graded) for s in FORM.sections][-1] == ("direction", False)


def test_a_blank_form_lists_every_required_answer():
    judgement = MANAGEMENT_OVERSIGHT.suggest_judgement(FORM, {})
    errors = {error.html_id for error in submission_errors(FORM, {}, judgement, (), ())}
    assert {
        "visits-in_timescale",
        "visits-last_visit_on-day",
        "plan-reviewed_in_time",
        "supervision-last_supervision_on-day",
        "drift-drift_found",
        "direction-direction",
        "direction-discussed",
    } <= errors


def test_the_draw_gives_each_service_manager_and_head_of_service_one_case():
    types = ["CIN", "CP", "CLA", "CARE_LEAVER", "FOSTERING", "S47"] * 3
    cases = [
        CandidateCase(n, f"C-{n}", case_type, 100 + n % 2, "CSC", worker_id=50 + n)
        for n, case_type in enumerate(types, start=1)
    ]
    auditors = [
        Auditor(1, "Sam", frozenset({"service_manager"}), "CSC"),
        Auditor(2, "Hana", frozenset({"head_of_service"}), "CSC"),
        Auditor(3, "Tim", frozenset({"team_manager"}), "CSC", frozenset({100})),
        Auditor(4, "Eve", frozenset({"service_manager"}), "EH"),
    ]
    for seed in range(10):
        result = draw(date(2026, 12, 1), seed, [MANAGEMENT_OVERSIGHT], cases, auditors)
        assert result.shortfalls == []
        assert Counter(a.auditor.name for a in result.allocations) == {"Sam": 1, "Hana": 1}
        assert {a.case.case_type for a in result.allocations} <= {"CIN", "CP", "CLA"}


def test_the_monthly_selection_draws_the_test_councils_cases(app, world, enable_plugins):
    enable_plugins("management_oversight")
    with app.app_context():
        result = run_draw(date(2026, 12, 1), 3, date(2026, 11, 25))
    drawn = {a["auditor_email"]: a["case_ref"] for a in result["allocations"]}
    # the test council's two CSC cases, CS-1001 (CIN) and CS-1002 (CP), one each for the
    # service manager and the head of service
    assert set(drawn) == {world.emails["sm"], world.emails["hos"]}
    assert set(drawn.values()) == {"CS-1001", "CS-1002"}
    assert {a["quota"] for a in result["allocations"]} == {QUOTA}
    assert result["shortfalls"] == []


def test_hook_portal_audit_process_gives_the_dip_sample(app):
    plugin = app.extensions["portal.plugins"].installed["management_oversight"]
    assert plugin.process is MANAGEMENT_OVERSIGHT
    assert "portal_audit_process" in plugin.hooks
