"""The observation of practice: its form, its quota in the monthly draw, and the hooks."""

from datetime import date

from plugins.practice_observation import grading
from plugins.practice_observation.process import PRACTICE_OBSERVATION
from portal.plugin_api import Auditor, CandidateCase, FormDefinition, Quota, draw, problems_with

FORM = PRACTICE_OBSERVATION.form
CASE_TYPES = {"EARLY_HELP", "CIN", "CP", "CLA", "CARE_LEAVER", "FOSTERING", "MASH_CONTACT", "S47"}


def test_the_process_passes_the_start_up_checks():
    assert problems_with(PRACTICE_OBSERVATION, "practice_observation", CASE_TYPES) == []
    assert FormDefinition.from_json(FORM.to_json()) == FORM
    assert PRACTICE_OBSERVATION.extra_checks is grading.extra_checks


def test_the_visit_five_graded_sections_the_familys_view_and_the_feedback():
    assert [(s.key, s.title, s.graded) for s in FORM.sections] == [
        ("visit", "The visit observed", False),
        ("preparation", "Preparation and purpose", True),
        ("relationship", "Relationship and communication with the family", True),
        ("child_focus", "The child's voice and experience", True),
        ("analysis", "Curiosity, risk and analysis", True),
        ("next_steps", "Ending the visit and next steps", True),
        ("family_view", "The family's view of the visit", False),
        ("feedback", "Feedback to the practitioner", False),
    ]
    view = FORM.section("family_view")
    assert [(q.key, q.kind, q.required) for q in view.questions] == [
        ("view_given", "choice", True),
        ("family_words", "text", True),
        ("ideas", "text", False),
    ]


def test_at_least_four_observations_a_month_shared_by_social_care_managers():
    assert PRACTICE_OBSERVATION.quotas == (
        Quota(
            name="At least 4 observations of practice a month by CSC managers",
            auditor_roles=("team_manager", "service_manager"),
            total=4,
            auditor_agency="CSC",
        ),
    )


def test_the_draw_shares_four_observations_and_keeps_managers_off_their_own_teams():
    cases = [
        CandidateCase(n, f"C-{n}", "CP" if n % 2 else "CIN", team, "CSC", worker_id=100 + n)
        for n, team in [(1, 10), (2, 10), (3, 20), (4, 20), (5, 10), (6, 20)]
    ]
    cases.append(CandidateCase(7, "EH-7", "EARLY_HELP", 30, "EH", worker_id=107))
    auditors = [
        Auditor(1, "Ann", frozenset({"team_manager"}), "CSC", frozenset({10})),
        Auditor(2, "Bea", frozenset({"team_manager"}), "CSC", frozenset({20})),
        Auditor(3, "Cal", frozenset({"team_manager"}), "EH", frozenset({30})),
    ]
    for seed in range(10):
        result = draw(date(2026, 12, 1), seed, [PRACTICE_OBSERVATION], cases, auditors)
        assert result.shortfalls == []
        assert len(result.allocations) == 4
        for allocation in result.allocations:
            assert allocation.auditor.name in {"Ann", "Bea"}
            assert allocation.case.team_id not in allocation.auditor.teams_managed
            assert allocation.case.service_code == "CSC"


def test_the_hooks_hand_the_process_pages_panel_and_report_to_the_portal(app):
    host = app.extensions["portal.plugins"]
    assert host.process("practice_observation") is PRACTICE_OBSERVATION
    assert {
        "portal_audit_process",
        "portal_blueprints",
        "portal_dashboard_panels",
        "portal_report_section",
    } <= set(host.installed["practice_observation"].hooks)
