"""The fostering_oversight process: its form, the start-up checks, its quota in the draw."""

from datetime import date

from plugins.fostering_oversight.process import FOSTERING_OVERSIGHT
from portal.plugin_api import (
    Auditor,
    CandidateCase,
    Case,
    CaseType,
    FormDefinition,
    db,
    draw,
    problems_with,
    run_draw,
    submission_errors,
)

FORM = FOSTERING_OVERSIGHT.form
QUOTA = "Two fostering households a month, reviewed by CSC team managers"


def test_the_process_passes_the_start_up_checks():
    assert problems_with(FOSTERING_OVERSIGHT, "fostering_oversight", set(CaseType)) == []
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_the_process_reviews_fostering_households():
    process = FOSTERING_OVERSIGHT
    assert (process.key, process.title) == ("fostering_oversight", "Fostering management oversight")
    assert (process.services, process.case_types) == (("CSC",), ("FOSTERING",))
    assert process.due.working_days == 15
    assert [s.title for s in FORM.graded_sections] == [
        "Supervising social worker visits",
        "Unannounced visits",
        "Annual review of approval",
        "Training and development",
        "Safer caring",
    ]


def test_a_blank_form_lists_every_required_answer():
    judgement = FOSTERING_OVERSIGHT.suggest_judgement(FORM, {})
    errors = {error.html_id for error in submission_errors(FORM, {}, judgement, (), ())}
    assert {
        "supervisory_visits-as_often_as_policy",
        "supervisory_visits-last_visit_on-day",
        "unannounced_visits-in_last_year",
        "annual_review-last_review_on-day",
        "training-tsd_standards",
        "safer_caring-plan_current",
        "direction-direction",
    } <= errors
    assert "unannounced_visits-last_unannounced_on-day" not in errors  # none may be recorded


def test_the_draw_shares_two_households_among_team_managers_not_their_own_team():
    fostering_team, other_team = 100, 200
    cases = [
        CandidateCase(n, f"F-{n}", "FOSTERING", fostering_team, "CSC", worker_id=50 + n)
        for n in range(1, 6)
    ]
    cases.append(CandidateCase(9, "CIN-9", "CIN", other_team, "CSC", worker_id=59))
    auditors = [
        Auditor(1, "Fay", frozenset({"team_manager"}), "CSC", frozenset({fostering_team})),
        Auditor(2, "Tom", frozenset({"team_manager"}), "CSC", frozenset({other_team})),
        Auditor(3, "Eve", frozenset({"team_manager"}), "EH"),
    ]
    for seed in range(10):
        result = draw(date(2026, 12, 1), seed, [FOSTERING_OVERSIGHT], cases, auditors)
        assert result.shortfalls == []
        assert [a.auditor.name for a in result.allocations] == ["Tom", "Tom"]
        assert {a.case.case_type for a in result.allocations} == {"FOSTERING"}


def test_the_monthly_selection_draws_a_household_of_the_test_council(app, world, enable_plugins):
    enable_plugins("fostering_oversight")
    with app.app_context():
        db.session.add(
            Case(
                reference="FC-4001",
                case_type="FOSTERING",
                team_id=world.teams["Child Protection Team"],
                allocated_worker_id=world.users["sw_b"],
                opened_on=date(2025, 3, 2),
            )
        )
        db.session.commit()
        result = run_draw(date(2026, 12, 1), 5, date(2026, 11, 25))
    (allocation,) = result["allocations"]
    assert (allocation["case_ref"], allocation["quota"]) == ("FC-4001", QUOTA)
    # Tom manages the household's team: only Tara may review it
    assert allocation["auditor_email"] == world.emails["tm_a"]
    (shortfall,) = result["shortfalls"]
    assert (shortfall["wanted"], shortfall["got"]) == (2, 1)


def test_hook_portal_audit_process_gives_the_fostering_oversight(app):
    plugin = app.extensions["portal.plugins"].installed["fostering_oversight"]
    assert plugin.process is FOSTERING_OVERSIGHT
    assert "portal_audit_process" in plugin.hooks
