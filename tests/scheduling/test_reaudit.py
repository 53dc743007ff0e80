"""Re-audit: a process may take again a case whose last audit of it was graded Inadequate,
a set number of months on; the 12-month rule otherwise stands."""

import dataclasses
from datetime import date, datetime

import pytest

from portal.audits.definition import AuditProcess, Section
from portal.extensions import db
from portal.models import Audit
from portal.scheduling.selection import CandidateCase, due_for_reaudit, months_after
from portal.scheduling.service import candidate_cases
from tests.scheduling.test_selection import auditor, process

JANUARY = date(2026, 1, 5)  # the audit graded Inadequate was allocated then


def reaudited(months):
    return dataclasses.replace(process(), reaudit_inadequate_after_months=months)


def inadequate_case(id=1, key="tier_audit", on=JANUARY):
    return CandidateCase(
        id, f"C-{id}", "CIN", 1, "CSC", None, last_audited_on=on, inadequate_audits=((key, on),)
    )


def drawn(process, month, cases):
    from portal.scheduling.selection import draw

    result = draw(month, 5, [process], cases, [auditor(900)])
    return [allocation.case.id for allocation in result.allocations]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 5), 6, date(2026, 7, 5)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


def test_a_case_graded_inadequate_is_drawn_again_after_the_months_set():
    assert drawn(reaudited(6), date(2026, 8, 1), [inadequate_case()]) == [1]


def test_not_before_the_months_set():
    assert drawn(reaudited(6), date(2026, 7, 1), [inadequate_case()]) == []  # 5 months 26 days
    assert not due_for_reaudit(inadequate_case(), reaudited(6), date(2026, 7, 1))
    assert due_for_reaudit(inadequate_case(on=date(2026, 1, 1)), reaudited(6), date(2026, 7, 1))


def test_not_when_the_process_does_not_switch_it_on():
    assert drawn(reaudited(None), date(2026, 8, 1), [inadequate_case()]) == []


def test_not_for_another_process_nor_a_case_whose_last_audit_was_not_inadequate():
    other = inadequate_case(key="another_process")
    graded_good = dataclasses.replace(inadequate_case(), inadequate_audits=())
    assert drawn(reaudited(6), date(2026, 8, 1), [other, graded_good]) == []


def test_the_setting_must_be_a_positive_number_of_months():
    from portal.audits.definition import problems_with

    for bad in (0, -1, 1.5):
        problems = problems_with(reaudited(bad), "tier_audit", {"CIN", "CP"})
        assert "reaudit_inadequate_after_months must be a whole number of at least 1" in problems


# The candidates query ------------------------------------------------------------------


def add_audit(world, form_id, reference, key, allocated_on, grade):
    audit = Audit(
        case_id=world.cases[reference],
        process_key=key,
        process_version="1",
        form_id=form_id,
        allocated_on=allocated_on,
        due_on=allocated_on,
        status="submitted",
        record_grade=grade,
        submitted_at=datetime.combine(allocated_on, datetime.min.time()),
    )
    db.session.add(audit)


@pytest.fixture
def form_id(app):
    """A stored form, for the audits written straight to the table."""
    from portal.audits.service import form_row

    with app.app_context():
        row = form_row(AuditProcess("tier_audit", "Tier", "1", (Section("s", "S"),)))
        db.session.commit()
        return row.id


def test_the_candidates_carry_the_last_inadequate_audit_of_each_reauditing_process(
    app, world, form_id
):
    with app.app_context():
        for reference, key, day, grade in [
            ("CS-1001", "tier_audit", date(2026, 1, 5), "inadequate"),  # last: inadequate
            ("CS-1002", "tier_audit", date(2026, 1, 5), "inadequate"),
            ("CS-1002", "tier_audit", date(2026, 3, 2), "good"),  # audited again since
            ("EH-2001", "tier_audit", date(2026, 2, 2), "requires_improvement"),
            ("EH-2001", "other", date(2026, 4, 1), "inadequate"),  # not a re-auditing process
        ]:
            add_audit(world, form_id, reference, key, day, grade)
        db.session.commit()
        found = {c.reference: c for c in candidate_cases(None, reaudit_keys=["tier_audit"])}
        assert found["CS-1001"].inadequate_audits == (("tier_audit", date(2026, 1, 5)),)
        assert found["CS-1002"].inadequate_audits == ()
        assert found["CS-1002"].last_audited_on == date(2026, 3, 2)
        assert found["EH-2001"].inadequate_audits == ()
        assert all(c.inadequate_audits == () for c in candidate_cases())


def test_csc_audit_switches_it_on_at_six_months(app):
    with app.app_context():
        process = app.extensions["portal.plugins"].process("csc_audit")
    assert process.reaudit_inadequate_after_months == 6
