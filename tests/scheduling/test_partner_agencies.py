"""A partner agency's auditor audits only what the audit process says their agency may:
MASH (CSC, Early Help, Police); every other process the council's own staff only.
Allocation by hand, joint audits, the draw and the case import all refuse the rest."""

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audits.definition import AuditProcess, Quota, Section
from portal.cases.importer import import_case_file
from portal.extensions import db
from portal.models import Audit, AuditAuditor, Case
from portal.scheduling.selection import Auditor, CandidateCase, draw
from tests.audits.conftest import MINI, mini_module

MONTH = date(2027, 1, 1)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("agencies", "code", "partner", "allowed"),
    [
        (None, "CSC", False, True),
        (None, None, False, True),
        (None, "POLICE", True, False),
        (frozenset({"CSC", "EH", "POLICE"}), "POLICE", True, True),
        (frozenset({"CSC", "EH", "POLICE"}), "EH", False, True),
        (frozenset({"CSC", "EH", "POLICE"}), "HEALTH", True, False),
        (frozenset({"CSC", "EH", "POLICE"}), None, False, True),
    ],
)
def test_a_process_says_which_agencies_may_audit_it(agencies, code, partner, allowed):
    process = dataclasses.replace(MINI, auditor_agencies=agencies)
    assert process.admits_agency(code, partner) is allowed


def test_the_mash_process_lets_csc_early_help_and_police_audit_it():
    from plugins.mash.process import MASH_AUDIT

    assert MASH_AUDIT.auditor_agencies == frozenset({"CSC", "EH", "POLICE"})


def test_allocation_by_hand_refuses_a_police_auditor_on_a_social_care_audit(
    client, login_as, app, world, mini
):
    login_as("qa_admin")
    data = {
        "case_reference": "CS-1001",
        "process_key": "mini_audit",
        "auditor_id": str(world.users["police"]),
        "reason": "Complaint received",
    }
    response = client.post_form("/schedule/allocate", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Pat Constable works for a partner agency" in html
    assert "only the council&#39;s own staff audit a Mini audit" in html
    with app.app_context():
        assert count(Audit) == 0


def test_allocation_by_hand_lets_police_audit_a_process_that_admits_them(
    client, login_as, app, world
):
    host = app.extensions["portal.plugins"]
    joint = dataclasses.replace(MINI, auditor_agencies=frozenset({"CSC", "POLICE"}))
    host.add("mini_audit", mini_module(joint))
    with app.app_context():
        host.set_enabled("mini_audit", True, actor_id=None)
        db.session.commit()
    login_as("qa_admin")
    data = {
        "case_reference": "CS-1001",
        "process_key": "mini_audit",
        "auditor_id": str(world.users["police"]),
        "reason": "Joint review with the police",
    }
    assert client.post_form("/schedule/allocate", data).status_code == 302


def test_a_joint_audit_refuses_a_police_auditor(client, login_as, app, world, allocated):
    audit_id = allocated("CS-1001", "tm_b")
    login_as("qa_lead")
    response = client.post_form(
        f"/schedule/joint/{audit_id}",
        {"auditor_id": str(world.users["police"]), "reason": "Calibration"},
    )
    assert response.status_code == 400
    assert "Pat Constable works for a partner agency" in response.get_data(as_text=True)
    with app.app_context():
        assert {row.user_id for row in db.session.scalars(select(AuditAuditor))} == {
            world.users["tm_b"]
        }


def test_the_draw_gives_a_partner_auditor_only_processes_that_admit_their_agency():
    quota = Quota("Each auditor one case", ("partner_auditor",), per_auditor=1)
    council_only = AuditProcess(
        key="csc", title="CSC", version="1", sections=(Section("s", "S"),), quotas=(quota,)
    )
    with_police = dataclasses.replace(
        council_only, key="mash", auditor_agencies=frozenset({"POLICE"})
    )
    cases = [CandidateCase(i, f"C-{i}", "CIN", 1, "CSC", None) for i in range(1, 10)]
    police = Auditor(500, "Pat", frozenset({"partner_auditor"}), "POLICE", partner=True)
    health = Auditor(501, "Hal", frozenset({"partner_auditor"}), "HEALTH", partner=True)
    result = draw(MONTH, 3, [council_only, with_police], cases, [police, health])
    assert {(a.process_key, a.auditor.id) for a in result.allocations} == {("mash", 500)}
    assert {s.process_key for s in result.shortfalls} == {"csc"}


def test_the_draw_service_knows_who_works_for_a_partner_agency(app, world):
    from portal.scheduling.service import auditors

    with app.app_context():
        people = {auditor.id: auditor for auditor in auditors()}
    assert people[world.users["police"]].partner is True
    assert people[world.users["tm_a"]].partner is False


def test_the_case_import_refuses_a_partner_agency_worker(app, world):
    data = (
        b"reference,case_type,team,opened_on,allocated_worker_email\n"
        b"CS-3001,CIN,Assessment Team,2026-02-01,police@council.example\n"
        b"CS-3002,CIN,Assessment Team,2026-02-01,sw.a@council.example\n"
    )
    with app.app_context():
        report = import_case_file(db.session, data, "cases.csv", actor_id=None)
        assert [(error.line, error.message) for error in report.errors] == [
            (
                2,
                "'police@council.example' works for a partner agency (Police) and cannot be "
                "a case's allocated worker",
            )
        ]
        db.session.rollback()
        assert db.session.scalar(select(Case).where(Case.reference == "CS-3001")) is None
