"""The process description passes the portal's start-up checks and says what it should."""

from portal.plugin_api import QUESTION_KINDS, CaseType, Role, problems_with

from s47_example.grading import actions_required, extra_checks, suggest_judgement
from s47_example.process import S47_AUDIT


def test_the_process_passes_the_start_up_checks():
    assert (
        problems_with(S47_AUDIT, "s47_example", {case_type.value for case_type in CaseType}) == []
    )


def test_the_process_is_the_s47_enquiry_audit():
    assert (S47_AUDIT.key, S47_AUDIT.version) == ("s47_example", "1")
    assert S47_AUDIT.services == ("CSC",)
    assert S47_AUDIT.case_types == ("S47",)
    assert S47_AUDIT.due.working_days == 15
    assert S47_AUDIT.moderation_share == 0.5
    assert S47_AUDIT.suggest_judgement is suggest_judgement
    assert S47_AUDIT.actions_required is actions_required
    assert S47_AUDIT.extra_checks is extra_checks


def test_four_graded_sections_use_every_kind_of_question():
    sections = S47_AUDIT.sections
    assert [section.key for section in sections] == ["strategy", "enquiry", "outcome", "oversight"]
    assert all(section.graded for section in sections)
    kinds = {question.kind for section in sections for question in section.questions}
    assert kinds == set(QUESTION_KINDS)


def test_each_csc_service_manager_audits_one_s47_a_month():
    (quota,) = S47_AUDIT.quotas
    assert quota.auditor_roles == (Role.SERVICE_MANAGER.value,)
    assert (quota.per_auditor, quota.total, quota.auditor_agency) == (1, 0, "CSC")
