"""The early_help process description, and the hook that hands it to the portal."""

from datetime import date

from plugins.early_help import grading
from plugins.early_help.process import EARLY_HELP_AUDIT
from portal.plugin_api import (
    OFSTED_GRADES,
    Auditor,
    CandidateCase,
    CaseType,
    FormDefinition,
    Quota,
    draw,
    problems_with,
    sections_graded_for_action,
    submission_errors,
)
from portal.plugin_api.testing import PluginHost

FORM = EARLY_HELP_AUDIT.form
GRADED_KEYS = [
    "assessment",
    "family_plan",
    "voice_of_child",
    "working_with_family",
    "multi_agency",
    "management_oversight",
    "impact",
]


def complete_answers() -> dict[str, dict[str, str]]:
    """A fully completed Good audit, with the optional questions left empty."""
    given: dict[str, dict[str, str]] = {
        key: {"grade": "good", "evidence": "Seen on EHM."} for key in GRADED_KEYS
    }
    given["impact"] |= {"intended": "Regular school attendance.", "changed": "Attends daily."}
    given["reflective_interview"] = {
        "participants": "A. Worker, family support worker",
        "interview_date": "2026-11-02",
        "learning": "Earlier school involvement would have helped.",
    }
    given["child_family_views"] = {"views_obtained": "yes"}
    given["overall"] = {"summary": "Good help that made a difference."}
    return given


def test_the_process_passes_the_start_up_checks():
    assert problems_with(EARLY_HELP_AUDIT, "early_help", {c.value for c in CaseType}) == []


def test_the_process_is_the_early_help_deep_dive_audit():
    assert EARLY_HELP_AUDIT.key == "early_help"
    assert EARLY_HELP_AUDIT.title == "Early Help deep-dive audit"
    assert EARLY_HELP_AUDIT.version == "2"
    assert EARLY_HELP_AUDIT.services == ("EH",)
    assert EARLY_HELP_AUDIT.case_types == ("EARLY_HELP",)
    assert EARLY_HELP_AUDIT.grades == OFSTED_GRADES
    assert EARLY_HELP_AUDIT.due.working_days == 20
    assert EARLY_HELP_AUDIT.suggest_judgement is grading.suggest_judgement
    assert EARLY_HELP_AUDIT.actions_required is sections_graded_for_action


def test_seven_sections_are_graded_then_three_are_not():
    assert [section.key for section in FORM.graded_sections] == GRADED_KEYS
    assert [section.title for section in FORM.graded_sections] == [
        "Assessment and understanding of need",
        "The family plan",
        "Voice of the child",
        "Working with the family",
        "Multi-agency working",
        "Management oversight and supervision",
        "Impact and outcomes",
    ]
    assert [(s.key, s.title, s.graded) for s in FORM.sections[len(GRADED_KEYS) :]] == [
        ("reflective_interview", "Reflective interview with the worker", False),
        ("child_family_views", "Child and family views", False),
        ("supervision", "Discussed in supervision", False),
    ]


def test_the_decisive_sections_of_the_grading_rules_are_on_the_form():
    assert FORM.section(grading.IMPACT_KEY).graded
    assert FORM.section(grading.VOICE_KEY).title == "Voice of the child"


def test_each_graded_section_has_early_help_guidance_and_an_evidence_hint():
    for section in FORM.graded_sections:
        assert section.guidance.endswith(".")
        assert section.evidence_hint.endswith("?")
        assert section.evidence_hint != "What in the case file supports this grade?"
    assert "as soon as a problem emerges" in FORM.section("assessment").guidance
    assert "prevent issues escalating" in FORM.section("working_with_family").guidance
    assert (
        "help us to consider the impact and outcomes of the work undertaken with children and "
        "families" in FORM.section("impact").guidance
    )


def test_the_impact_section_asks_what_was_intended_and_what_changed():
    impact = FORM.section("impact")
    assert [(q.key, q.label, q.kind, q.required) for q in impact.questions] == [
        ("intended", "What did the worker and the family set out to achieve?", "text", True),
        ("changed", "What has changed for the child and the family?", "text", True),
    ]


def test_the_reflective_interview_records_who_when_and_what_was_learnt():
    section = FORM.section("reflective_interview")
    assert [(q.key, q.label, q.kind, q.required) for q in section.questions] == [
        ("participants", "Who took part", "line", True),
        ("interview_date", "The date of the interview", "date", True),
        ("learning", "What the worker and the auditor learnt", "text", True),
    ]


def test_child_and_family_views_are_sought_or_the_reason_given():
    section = FORM.section("child_family_views")
    obtained, *others = section.questions
    assert (obtained.key, obtained.kind, obtained.required) == ("views_obtained", "choice", True)
    assert obtained.choices == (("yes", "Yes"), ("no", "No"), ("not_possible", "Not possible"))
    assert [(q.key, q.kind, q.required) for q in others] == [
        ("child_views", "text", False),
        ("family_views", "text", False),
        ("not_obtained_reason", "text", False),
    ]


def test_the_supervision_is_recorded_after_submission_by_the_case_holders_manager():
    section = FORM.section("supervision")
    assert section.filled_after_by == "case_manager"
    assert [(q.key, q.kind, q.required) for q in section.questions] == [
        ("discussed_on", "date", True),
        ("note", "text", True),
    ]
    # not the auditor's to fill: a complete audit without it can be submitted
    given = complete_answers()
    judgement = EARLY_HELP_AUDIT.suggest_judgement(FORM, given)
    assert submission_errors(FORM, given, judgement, (), ()) == []


def test_a_complete_audit_can_be_submitted_without_the_optional_answers():
    given = complete_answers()
    judgement = EARLY_HELP_AUDIT.suggest_judgement(FORM, given)
    assert judgement.grade == "good"
    assert submission_errors(FORM, given, judgement, (), ()) == []


def test_the_interview_and_whether_views_were_obtained_are_required_at_submission():
    given = complete_answers()
    del given["reflective_interview"]
    given["child_family_views"] = {}
    judgement = EARLY_HELP_AUDIT.suggest_judgement(FORM, given)
    errors = {error.html_id for error in submission_errors(FORM, given, judgement, (), ())}
    assert errors == {
        "reflective_interview-participants",
        "reflective_interview-interview_date-day",
        "reflective_interview-learning",
        "child_family_views-views_obtained",
    }


def test_the_form_survives_being_stored_as_json():
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_sections_graded_requires_improvement_or_inadequate_need_actions():
    given = complete_answers()
    given["family_plan"]["grade"] = "requires_improvement"
    given["multi_agency"]["grade"] = "inadequate"
    given["impact"]["grade"] = "outstanding"
    assert EARLY_HELP_AUDIT.actions_required(FORM, given) == ("family_plan", "multi_agency")


def test_each_early_help_manager_audits_one_case_a_month():
    assert EARLY_HELP_AUDIT.quotas == (
        Quota(
            name="Each Early Help manager audits one case a month",
            auditor_roles=("team_manager",),
            per_auditor=1,
            auditor_agency="EH",
        ),
    )


def test_the_draw_gives_each_early_help_manager_a_case_from_another_team():
    cases = [
        CandidateCase(n, f"EH-{n}", "EARLY_HELP", team, "EH", worker_id=100 + n)
        for n, team in [(1, 10), (2, 10), (3, 20), (4, 20)]
    ]
    cases.append(CandidateCase(5, "CIN-5", "CIN", 30, "CSC", worker_id=105))
    auditors = [
        Auditor(1, "Ann", frozenset({"team_manager"}), "EH", frozenset({10})),
        Auditor(2, "Bea", frozenset({"team_manager"}), "EH", frozenset({20})),
        Auditor(3, "Cal", frozenset({"team_manager"}), "CSC", frozenset({30})),
        Auditor(4, "Dee", frozenset({"early_help_worker"}), "EH"),
    ]
    for seed in range(20):
        result = draw(date(2026, 12, 1), seed, [EARLY_HELP_AUDIT], cases, auditors)
        assert result.shortfalls == []
        drawn = {a.auditor.name: a.case for a in result.allocations}
        assert set(drawn) == {"Ann", "Bea"}
        assert drawn["Ann"].team_id == 20
        assert drawn["Bea"].team_id == 10
        assert {a.process_key for a in result.allocations} == {"early_help"}


def test_hook_portal_audit_process_describes_the_early_help_audit():
    host = PluginHost()
    host.discover()
    assert host.process("early_help") is EARLY_HELP_AUDIT
    assert "portal_audit_process" in host.installed["early_help"].hooks
