"""The s47_audit process: its form, the start-up checks, and its quota in the monthly draw."""

from datetime import date

from plugins.s47_audit.process import S47_AUDIT
from portal.plugin_api import (
    OFSTED_GRADES,
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

FORM = S47_AUDIT.form
QUOTA = "Each CSC service manager audits one S.47 enquiry a month"


def test_the_process_passes_the_start_up_checks():
    assert problems_with(S47_AUDIT, "s47_audit", {c.value for c in CaseType}) == []
    assert FormDefinition.from_json(FORM.to_json()) == FORM


def test_the_process_audits_csc_section_47_enquiries():
    assert (S47_AUDIT.key, S47_AUDIT.title, S47_AUDIT.version) == (
        "s47_audit",
        "Section 47 enquiry audit",
        "1",
    )
    assert (S47_AUDIT.services, S47_AUDIT.case_types) == (("CSC",), ("S47",))
    assert S47_AUDIT.grades == OFSTED_GRADES
    assert S47_AUDIT.due.working_days == 15
    assert S47_AUDIT.recently_closed_days == 31


def test_every_graded_section_has_guidance_and_an_evidence_hint():
    assert [s.title for s in FORM.graded_sections] == [
        "Strategy discussion",
        "Timeliness of the enquiry",
        "Seeing the child",
        "Multi-agency information",
        "Outcome and plan",
        "Management oversight",
    ]
    for section in FORM.graded_sections:
        assert section.guidance.endswith(".") and section.evidence_hint


def test_a_blank_form_lists_every_required_answer():
    judgement = S47_AUDIT.suggest_judgement(FORM, {})
    errors = {error.html_id for error in submission_errors(FORM, {}, judgement, (), ())}
    assert {
        "strategy-held_on-day",
        "strategy-attendance",
        "timeliness-in_timescale",
        "seeing_child-child_seen",
        "multi_agency-consent",
        "outcome-outcome",
        "oversight-decision",
    } <= errors
    # required only after another answer: extra checks
    assert "multi_agency-consent_not_sought_why" not in errors
    assert "seeing_child-seen_on-day" not in errors


def staff(*people):
    return [
        Auditor(number, name, frozenset({role}), agency, frozenset(teams))
        for number, (name, role, agency, teams) in enumerate(people, start=1)
    ]


def test_the_draw_gives_each_csc_service_manager_one_enquiry():
    cases = [
        CandidateCase(10 + n, f"S47-{n}", "S47", 100, "CSC", worker_id=50 + n) for n in range(4)
    ]
    cases.append(CandidateCase(20, "CIN-20", "CIN", 100, "CSC", worker_id=60))
    auditors = staff(
        ("Sam", "service_manager", "CSC", ()),
        ("Sue", "service_manager", "CSC", ()),
        ("Eve", "service_manager", "EH", ()),
        ("Tim", "team_manager", "CSC", ()),
    )
    for seed in range(10):
        result = draw(date(2026, 12, 1), seed, [S47_AUDIT], cases, auditors)
        assert result.shortfalls == []
        assert sorted(a.auditor.name for a in result.allocations) == ["Sam", "Sue"]
        assert {a.case.case_type for a in result.allocations} == {"S47"}
        assert {a.quota for a in result.allocations} == {QUOTA}


def test_an_enquiry_closed_in_the_month_before_is_still_drawn():
    closed = CandidateCase(1, "S47-1", "S47", 100, "CSC", 5, closed_on=date(2026, 11, 20))
    auditors = staff(("Sam", "service_manager", "CSC", ()))
    (allocation,) = draw(date(2026, 12, 1), 1, [S47_AUDIT], [closed], auditors).allocations
    assert allocation.case.reference == "S47-1"
    old = CandidateCase(1, "S47-1", "S47", 100, "CSC", 5, closed_on=date(2026, 10, 1))
    result = draw(date(2026, 12, 1), 1, [S47_AUDIT], [old], auditors)
    assert result.allocations == [] and result.shortfalls[0].quota == QUOTA


def test_the_monthly_selection_draws_the_test_councils_enquiry(app, world, enable_plugins):
    enable_plugins("s47_audit")
    with app.app_context():
        db.session.add(
            Case(
                reference="S47-3001",
                case_type="S47",
                team_id=world.teams["Child Protection Team"],
                allocated_worker_id=world.users["sw_b"],
                opened_on=date(2026, 11, 2),
            )
        )
        db.session.commit()
        result = run_draw(date(2026, 12, 1), 7, date(2026, 11, 25))
    (allocation,) = result["allocations"]
    assert (allocation["case_ref"], allocation["process"], allocation["quota"]) == (
        "S47-3001",
        "s47_audit",
        QUOTA,
    )
    assert allocation["auditor_email"] == world.emails["sm"]
    assert result["shortfalls"] == []


def test_hook_portal_audit_process_gives_the_s47_audit(app):
    plugin = app.extensions["portal.plugins"].installed["s47_audit"]
    assert plugin.process is S47_AUDIT
    assert "portal_audit_process" in plugin.hooks
    assert plugin.info.name == "Section 47 enquiry audit"
