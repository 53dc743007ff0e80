"""A user's relation to a case decides what they see."""

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Audit, AuditAuditor, Case, User
from portal.permissions import CaseRelation, case_relations, managed_team_ids, visible_cases

H, M, A, OV = CaseRelation.HOLDS, CaseRelation.MANAGES, CaseRelation.AUDITS, CaseRelation.OVERSEES


@pytest.mark.parametrize(
    ("person", "reference", "expected"),
    [
        ("sw_a", "CS-1001", {H}),
        ("sw_a", "CS-1002", set()),  # another team's case
        ("sw_b", "CS-1001", set()),
        ("tm_a", "CS-1001", {M}),
        ("tm_a", "CS-1002", set()),  # a manager of another team
        ("sm", "CS-1001", {M}),  # up the chain: service manager
        ("hos", "CS-1002", {M}),
        ("ad", "EH-2001", {M}),  # eh_m reports to hos, who reports to ad
        ("eh_m", "CS-1001", set()),
        ("qa_lead", "CS-1001", {OV}),
        ("qa_admin", "EH-2001", {OV}),
        ("sgu", "CS-1002", {OV}),
        ("police", "CS-1001", set()),
        ("admin", "CS-1001", set()),  # administrators do not see case content by default
    ],
)
def test_case_relations(app, world, person, reference, expected):
    with app.app_context():
        user = db.session.get(User, world.users[person])
        case = db.session.get(Case, world.cases[reference])
        assert case_relations(user, case) == expected


def test_an_auditor_stands_in_relation_to_the_case_they_audit(app, world):
    with app.app_context():
        audit = Audit(
            case_id=world.cases["CS-1002"],
            process_key="any_process",
            process_version="1",
            allocated_on=date(2026, 11, 2),
            due_on=date(2026, 11, 30),
        )
        audit.auditor_rows.append(AuditAuditor(user_id=world.users["tm_a"]))
        db.session.add(audit)
        db.session.commit()
        user = db.session.get(User, world.users["tm_a"])
        case = db.session.get(Case, world.cases["CS-1002"])
        assert case_relations(user, case) == {A}
        assert {c.reference for c in db.session.scalars(visible_cases(user))} == {
            "CS-1001",
            "CS-1002",
        }


@pytest.mark.parametrize(
    ("person", "references"),
    [
        ("sw_a", {"CS-1001"}),
        ("tm_b", {"CS-1002"}),
        ("sm", {"CS-1001", "CS-1002"}),
        ("hos", {"CS-1001", "CS-1002", "EH-2001"}),
        ("qa_lead", {"CS-1001", "CS-1002", "EH-2001"}),
        ("police", set()),
        ("admin", set()),
    ],
)
def test_visible_cases(app, world, person, references):
    with app.app_context():
        user = db.session.get(User, world.users[person])
        assert {case.reference for case in db.session.scalars(visible_cases(user))} == references


def test_managed_team_ids_follow_the_chain(app, world):
    with app.app_context():
        sm = db.session.get(User, world.users["sm"])
        assert managed_team_ids(sm) == {
            world.teams["Assessment Team"],
            world.teams["Child Protection Team"],
        }
        sw = db.session.get(User, world.users["sw_a"])
        assert managed_team_ids(sw) == set()
