"""Rows for the calibration tests, written straight to the test database.

The audits use the mini process of ``tests/audits/conftest.py`` (installed as
``mini_audit``, "Mini audit") so the core's tests name no real audit process.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.extensions import db
from portal.models import Audit, AuditAuditor, AuditStatus, JointJudgement, Moderation
from portal.testing.world import World

O, G, R, I = "outstanding", "good", "requires_improvement", "inadequate"  # noqa: E741

# The hand-worked table of tests/moderation/test_calibration_stats.py:
# exact agreement 0.7, weighted kappa 12/17 ≈ 0.71, auditors 0.3 of a grade higher.
MIXED = [(O, O), (O, G), (G, G), (G, G), (G, G), (G, R), (R, R), (R, R), (R, I), (I, I)]


def audit(
    world: World,
    reference: str = "CS-1001",
    auditors: tuple[str, ...] = ("tm_b",),
    process_key: str = "mini_audit",
    grade: str | None = None,
) -> Audit:
    """A submitted audit of *reference* by *auditors* (short names), added to the session."""
    row = Audit(
        case_id=world.cases[reference],
        process_key=process_key,
        process_version="1",
        status=AuditStatus.SUBMITTED.value,
        allocated_on=date(2026, 1, 5),
        due_on=date(2026, 1, 19),
        overall_grade=grade,
        submitted_at=datetime(2026, 1, 15, 12),
    )
    row.auditor_rows = [AuditAuditor(user_id=world.users[short]) for short in auditors]
    db.session.add(row)
    db.session.flush()
    return row


def moderate(
    world: World, row: Audit, auditor_grade: str, moderated_grade: str, at: datetime
) -> Moderation:
    """The QA lead's moderation of *row*."""
    moderation = Moderation(
        audit_id=row.id,
        moderator_id=world.users["qa_lead"],
        auditor_grade=auditor_grade,
        moderated_grade=moderated_grade,
        moderated_at=at,
    )
    db.session.add(moderation)
    return moderation


def judge(world: World, row: Audit, short: str, grade: str, at: datetime) -> JointJudgement:
    """One joint auditor's own judgement of *row*."""
    judgement = JointJudgement(
        audit_id=row.id, user_id=world.users[short], grade=grade, recorded_at=at
    )
    db.session.add(judgement)
    return judgement


def mixed_month(world: World, auditor: str = "tm_b", month: int = 3) -> None:
    """The ten hand-worked pairs, moderated in *month* of 2026, for one auditor on CS-1001."""
    for day, (auditor_grade, moderated_grade) in enumerate(MIXED, start=1):
        row = audit(world, auditors=(auditor,), grade=auditor_grade)
        moderate(world, row, auditor_grade, moderated_grade, datetime(2026, month, day, 10))
