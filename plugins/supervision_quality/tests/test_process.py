"""The quality of supervision audit: its form, its quota in the monthly draw, and the hook
that hands it to the portal."""

from datetime import date

from plugins.supervision_quality import grading
from plugins.supervision_quality.process import SUPERVISION_QUALITY_AUDIT
from portal.plugin_api import (
    Auditor,
    CandidateCase,
    FormDefinition,
    Quota,
    draw,
    problems_with,
)

FORM = SUPERVISION_QUALITY_AUDIT.form
CASE_TYPES = {"EARLY_HELP", "CIN", "CP", "CLA", "CARE_LEAVER", "FOSTERING", "MASH_CONTACT", "S47"}


def test_the_process_passes_the_start_up_checks():
    assert problems_with(SUPERVISION_QUALITY_AUDIT, "supervision_quality", CASE_TYPES) == []
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_five_graded_sections_then_the_feedback():
    assert [(s.key, s.title, s.graded) for s in FORM.sections] == [
        ("frequency", "Frequency against the supervision policy", True),
        ("reflection", "Reflective discussion", True),
        ("child_voice", "The child's voice and lived experience", True),
        ("actions", "Actions and timescales", True),
        ("direction", "Management direction and decisions", True),
        ("feedback", "Feedback to the supervisor", False),
    ]
    assert SUPERVISION_QUALITY_AUDIT.extra_checks is grading.extra_checks
    assert SUPERVISION_QUALITY_AUDIT.case_types == ("CIN", "CP", "CLA", "CARE_LEAVER")


def test_each_service_manager_audits_the_supervision_of_one_case_a_month():
    assert SUPERVISION_QUALITY_AUDIT.quotas == (
        Quota(
            name="Each service manager audits the supervision of one case a month",
            auditor_roles=("service_manager",),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    )


def test_the_draw_gives_each_service_manager_a_social_care_case():
    cases = [
        CandidateCase(1, "CIN-1", "CIN", 10, "CSC", worker_id=101),
        CandidateCase(2, "CP-2", "CP", 20, "CSC", worker_id=102),
        CandidateCase(3, "EH-3", "EARLY_HELP", 30, "EH", worker_id=103),
        CandidateCase(4, "FOS-4", "FOSTERING", 40, "CSC", worker_id=104),
    ]
    auditors = [
        Auditor(1, "Ann", frozenset({"service_manager"}), "CSC"),
        Auditor(2, "Bea", frozenset({"service_manager"}), "CSC"),
        Auditor(3, "Cal", frozenset({"team_manager"}), "CSC", frozenset({10})),
    ]
    for seed in range(10):
        result = draw(date(2026, 12, 1), seed, [SUPERVISION_QUALITY_AUDIT], cases, auditors)
        assert result.shortfalls == []
        drawn = {a.auditor.name: a.case.reference for a in result.allocations}
        assert set(drawn) == {"Ann", "Bea"}
        assert set(drawn.values()) == {"CIN-1", "CP-2"}


def test_the_hook_hands_the_process_to_the_portal(app):
    host = app.extensions["portal.plugins"]
    assert host.process("supervision_quality") is SUPERVISION_QUALITY_AUDIT
    assert {"portal_audit_process", "portal_report_section"} <= set(
        host.installed["supervision_quality"].hooks
    )
