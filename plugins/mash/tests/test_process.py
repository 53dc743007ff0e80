"""The mash process description, its quotas in the monthly draw, and its hook."""

from datetime import date

from plugins.mash.process import MASH_AUDIT
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
    worst_section_grade,
)
from portal.plugin_api.testing import PluginHost

FORM = MASH_AUDIT.form
MASH_ROLES = ("team_manager", "service_manager", "mash_head_of_service", "partner_auditor")
CSC_QUOTA = "At least 3 audits a month by Children's Social Care auditors"
EH_QUOTA = "At least 3 audits a month by Early Help auditors"
POLICE_QUOTA = "At least 3 audits a month by Police auditors"
MASH_TEAM = 50

CASES = [
    *(
        CandidateCase(n, f"MASH-{n}", "MASH_CONTACT", MASH_TEAM, "MASH", worker_id=200 + n)
        for n in range(1, 13)
    ),
    CandidateCase(13, "EH-13", "EARLY_HELP", 60, "EH", worker_id=213),
]
AUDITORS = [
    Auditor(1, "MASH team manager", frozenset({"team_manager"}), "CSC", frozenset({MASH_TEAM})),
    Auditor(2, "CSC team manager", frozenset({"team_manager"}), "CSC", frozenset({70})),
    Auditor(3, "EH service manager", frozenset({"service_manager"}), "EH", frozenset({60})),
    Auditor(4, "Police auditor", frozenset({"partner_auditor"}), "POLICE"),
    Auditor(5, "Health auditor", frozenset({"partner_auditor"}), "HEALTH"),
    Auditor(6, "CSC social worker", frozenset({"social_worker"}), "CSC"),
]


def complete_answers() -> dict[str, dict[str, str]]:
    """A fully completed MASH audit graded Good throughout."""
    given: dict[str, dict[str, str]] = {
        section.key: {"grade": "good", "evidence": "Seen on the MASH record."}
        for section in FORM.graded_sections
    }
    given["reflective_interview"] = {
        "participants": "The MASH social worker and the school's safeguarding lead",
        "interview_date": "2026-11-03",
        "learning": "Consent was sought well; feedback to the school was late.",
    }
    given["overall"] = {"summary": "A sound contact, well handled."}
    return given


def test_the_process_passes_the_start_up_checks():
    assert problems_with(MASH_AUDIT, "mash", {c.value for c in CaseType}) == []


def test_the_process_is_the_mash_audit():
    assert MASH_AUDIT.key == "mash"
    assert MASH_AUDIT.title == "MASH audit"
    assert MASH_AUDIT.version == "1"
    assert MASH_AUDIT.services == ("MASH",)
    assert MASH_AUDIT.case_types == ("MASH_CONTACT",)
    assert MASH_AUDIT.grades == OFSTED_GRADES
    assert MASH_AUDIT.suggest_judgement is worst_section_grade
    assert MASH_AUDIT.actions_required is sections_graded_for_action


def test_the_audit_is_due_in_15_working_days():
    assert MASH_AUDIT.due.working_days == 15


def test_contact_episode_and_management_are_graded_then_the_interview():
    assert [(s.key, s.title, s.graded) for s in FORM.sections] == [
        ("quality_of_contact", "Quality of contact", True),
        ("mash_episode", "The MASH episode", True),
        ("contact_management", "Contact management", True),
        ("reflective_interview", "Reflective interview", False),
    ]


def test_each_graded_section_has_guidance_and_an_evidence_hint():
    for section in FORM.graded_sections:
        assert section.guidance.endswith(".")
        assert section.evidence_hint.endswith("?")
        assert section.evidence_hint != "What in the case file supports this grade?"
    assert "consent" in FORM.section("quality_of_contact").guidance
    assert "RAG rated" in FORM.section("mash_episode").guidance
    assert "the referrer is told the outcome" in FORM.section("contact_management").guidance


def test_the_reflective_interview_records_who_when_and_what_was_learnt():
    section = FORM.section("reflective_interview")
    assert [(q.key, q.label, q.kind, q.required) for q in section.questions] == [
        ("participants", "Who took part", "text", True),
        ("interview_date", "The date of the interview", "date", True),
        ("learning", "What was learnt", "text", True),
    ]
    assert "referrers or family members" in section.questions[0].hint
    assert "other related professionals, referrers or family members" in section.guidance


def test_a_complete_audit_can_be_submitted():
    given = complete_answers()
    judgement = MASH_AUDIT.suggest_judgement(FORM, given)
    assert submission_errors(FORM, given, judgement, (), ()) == []


def test_the_interview_is_required_at_submission():
    given = complete_answers()
    del given["reflective_interview"]
    judgement = MASH_AUDIT.suggest_judgement(FORM, given)
    errors = {error.html_id for error in submission_errors(FORM, given, judgement, (), ())}
    assert errors == {
        "reflective_interview-participants",
        "reflective_interview-interview_date-day",
        "reflective_interview-learning",
    }


def test_the_form_survives_being_stored_as_json():
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_sections_graded_requires_improvement_or_inadequate_need_actions():
    given = complete_answers()
    given["quality_of_contact"]["grade"] = "inadequate"
    given["contact_management"]["grade"] = "requires_improvement"
    assert MASH_AUDIT.actions_required(FORM, given) == (
        "quality_of_contact",
        "contact_management",
    )


def test_each_key_mash_agency_completes_at_least_3_audits_a_month():
    assert MASH_AUDIT.quotas == tuple(
        Quota(name=name, auditor_roles=MASH_ROLES, total=3, auditor_agency=agency)
        for name, agency in [(CSC_QUOTA, "CSC"), (EH_QUOTA, "EH"), (POLICE_QUOTA, "POLICE")]
    )


def test_the_draw_gives_3_audits_to_each_key_agency():
    for seed in range(20):
        result = draw(date(2026, 12, 1), seed, [MASH_AUDIT], CASES, AUDITORS)
        assert result.shortfalls == []
        by_quota = {
            quota: [a for a in result.allocations if a.quota == quota]
            for quota in (CSC_QUOTA, EH_QUOTA, POLICE_QUOTA)
        }
        assert {quota: len(drawn) for quota, drawn in by_quota.items()} == {
            CSC_QUOTA: 3,
            EH_QUOTA: 3,
            POLICE_QUOTA: 3,
        }
        assert len(result.allocations) == 9
        assert {a.auditor.agency for a in by_quota[CSC_QUOTA]} == {"CSC"}
        assert {a.auditor.agency for a in by_quota[EH_QUOTA]} == {"EH"}
        assert {a.auditor.agency for a in by_quota[POLICE_QUOTA]} == {"POLICE"}
        # The MASH team's own manager never audits its contacts; others get none.
        assert {a.auditor.name for a in by_quota[CSC_QUOTA]} == {"CSC team manager"}
        assert all(a.case.case_type == "MASH_CONTACT" for a in result.allocations)
        assert len({a.case.id for a in result.allocations}) == 9
        assert {a.process_key for a in result.allocations} == {"mash"}


def test_the_draw_reports_a_shortfall_when_there_is_no_police_auditor():
    auditors = [auditor for auditor in AUDITORS if auditor.agency != "POLICE"]
    result = draw(date(2026, 12, 1), 7, [MASH_AUDIT], CASES, auditors)
    assert sorted(a.quota for a in result.allocations) == [CSC_QUOTA] * 3 + [EH_QUOTA] * 3
    (shortfall,) = result.shortfalls
    assert (shortfall.process_key, shortfall.quota, shortfall.wanted, shortfall.got) == (
        "mash",
        POLICE_QUOTA,
        3,
        0,
    )
    assert shortfall.reason == (
        "nobody employed by POLICE holds the role "
        "team_manager or service_manager or mash_head_of_service or partner_auditor"
    )


def test_the_draw_reports_a_shortfall_when_contacts_run_out():
    result = draw(date(2026, 12, 1), 3, [MASH_AUDIT], CASES[:7], AUDITORS)
    assert len(result.allocations) == 7
    (shortfall,) = result.shortfalls
    assert (shortfall.quota, shortfall.wanted, shortfall.got) == (POLICE_QUOTA, 3, 1)
    assert "None left for Police auditor: 7 cases match the process" in shortfall.reason


def test_hook_portal_audit_process_describes_the_mash_audit():
    host = PluginHost()
    host.discover()
    assert host.process("mash") is MASH_AUDIT
    assert "portal_audit_process" in host.installed["mash"].hooks
