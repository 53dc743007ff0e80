"""The csc_audit process description, and the hook that hands it to the portal."""

from plugins.csc_audit import grading
from plugins.csc_audit.process import CSC_AUDIT
from portal.plugin_api import (
    OFSTED_GRADES,
    CaseType,
    FormDefinition,
    problems_with,
    sections_graded_for_action,
)
from portal.plugin_api.testing import PluginHost


def test_the_process_passes_the_start_up_checks():
    assert problems_with(CSC_AUDIT, "csc_audit", {c.value for c in CaseType}) == []


def test_the_process_is_the_csc_case_file_audit():
    assert CSC_AUDIT.key == "csc_audit"
    assert CSC_AUDIT.title == "Children's Social Care case file audit"
    assert CSC_AUDIT.version == "1"
    assert CSC_AUDIT.services == ("CSC",)
    assert CSC_AUDIT.case_types == ("CIN", "CP", "CLA", "CARE_LEAVER", "FOSTERING")
    assert CSC_AUDIT.grades == OFSTED_GRADES
    assert CSC_AUDIT.due.working_days == 20
    assert CSC_AUDIT.suggest_judgement is grading.suggest_judgement
    assert CSC_AUDIT.actions_required is sections_graded_for_action


def test_ten_standards_and_the_impact_are_graded():
    graded = CSC_AUDIT.form.graded_sections
    assert len(graded) == 11
    assert [section.key for section in graded] == [
        *(f"standard_{n}" for n in range(1, 11)),
        grading.IMPACT_KEY,
    ]
    assert [section.title for section in graded] == [
        "Standard 1: Assessment",
        "Standard 2: Plan",
        "Standard 3: Parents and carers",
        "Standard 4: Analysis",
        "Standard 5: Seeing the child alone",
        "Standard 6: Chronology, genogram and summary",
        "Standard 7: Case recording",
        "Standard 8: Risk assessment and contingency",
        "Standard 9: Reflective supervision",
        "Standard 10: Management oversight",
        "Impact and outcomes",
    ]
    assert CSC_AUDIT.form.section(grading.RISK_STANDARD_KEY).title.startswith("Standard 8:")


def test_each_standard_quotes_the_framework():
    form = CSC_AUDIT.form
    assert form.section("standard_1").guidance == (
        "All children will have an assessment which reflects a clear picture of the "
        "child\u2019s experience and wishes and feelings."
    )
    assert form.section("standard_8").guidance == (
        "Every case file will include a relevant risk assessment on a child and will include "
        "a contingency plan."
    )
    assert form.section("standard_10").guidance == (
        "Every case will contain evidence of management oversight ensuring that tasks have "
        "been completed to the required quality standard."
    )
    for section in form.graded_sections:
        assert section.guidance.endswith(".")
        assert section.evidence_hint != "What in the case file supports this grade?"


def test_the_impact_section_asks_what_was_intended_and_what_changed():
    impact = CSC_AUDIT.form.section(grading.IMPACT_KEY)
    assert [(q.key, q.label, q.kind, q.required) for q in impact.questions] == [
        ("intended", "What did the social worker set out to achieve?", "text", True),
        ("changed", "What has changed for the child?", "text", True),
    ]
    assert "Audit should consider what the social worker set out to achieve" in impact.guidance
    assert (
        "Outstanding Outcomes are the result of adherence to practice standards coupled with "
        "positive impacts for the child." in impact.guidance
    )


def test_the_form_survives_being_stored_as_json():
    form = CSC_AUDIT.form
    assert FormDefinition.from_json(form.to_json()) == form


def test_sections_graded_requires_improvement_or_inadequate_need_actions():
    answers = {f"standard_{n}": {"grade": "good"} for n in range(1, 11)}
    answers["standard_3"] = {"grade": "requires_improvement"}
    answers["standard_8"] = {"grade": "inadequate"}
    answers["impact"] = {"grade": "outstanding"}
    assert CSC_AUDIT.actions_required(CSC_AUDIT.form, answers) == ("standard_3", "standard_8")


def test_hook_portal_audit_process_describes_the_csc_audit():
    host = PluginHost()
    host.discover()
    assert host.process("csc_audit") is CSC_AUDIT
    assert "portal_audit_process" in host.installed["csc_audit"].hooks
