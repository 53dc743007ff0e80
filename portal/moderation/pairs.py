"""The calibration pairs in the database, and the calibration report built from them.

Two narrow queries (one for moderations, one for joint judgements) return plain tuples;
:func:`calibration_report` turns them into the figures of :mod:`portal.moderation.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, case, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Audit, AuditAuditor, Case, JointJudgement, Moderation, Team, User
from portal.moderation.calibration import (
    GRADE_SCALE,
    JOINT,
    MODERATION,
    TOO_FEW_PAIRS,
    GradedPair,
    Group,
    Period,
    calibrate,
    leaning,
)
from portal.plugins import plugin_host


class PairRow(NamedTuple):
    """One pair as the database holds it, seen from one auditor.

    For a moderation pair, *grade_a* is the auditor's grade and *grade_b* the moderator's,
    and *other_* is the moderator. For a joint pair, *grade_a* is this auditor's own
    judgement, *grade_b* the fellow auditor's, and *other_* is the fellow auditor. A
    moderated joint audit gives one row per auditor named; a moderated audit with no
    auditor named gives one row with no auditor.
    """

    kind: str
    audit_id: int
    case_reference: str
    auditor_id: int | None
    auditor_email: str | None
    auditor_name: str | None
    team: str
    process_key: str
    grade_a: str
    grade_b: str
    other_id: int
    other_email: str
    other_name: str
    at: datetime  # when moderated, or when the second joint judgement was recorded


def moderation_pairs(start: datetime, end: datetime) -> list[PairRow]:
    """Moderations made in [start, end), one row per auditor named, oldest first."""
    auditor = aliased(User)
    moderator = aliased(User)
    query = (
        select(
            Moderation.audit_id,
            Case.reference,
            auditor.id,
            auditor.email,
            auditor.name,
            Team.name,
            Audit.process_key,
            Moderation.auditor_grade,
            Moderation.moderated_grade,
            moderator.id,
            moderator.email,
            moderator.name,
            Moderation.moderated_at,
        )
        .select_from(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(moderator, moderator.id == Moderation.moderator_id)
        .outerjoin(AuditAuditor, AuditAuditor.audit_id == Audit.id)
        .outerjoin(auditor, auditor.id == AuditAuditor.user_id)
        .where(Moderation.moderated_at >= start, Moderation.moderated_at < end)
        .order_by(Moderation.moderated_at, Moderation.audit_id, auditor.email)
    )
    return [PairRow(MODERATION, *row) for row in db.session.execute(query)]


def joint_pairs(start: datetime, end: datetime) -> list[PairRow]:
    """Joint audits whose second judgement was recorded in [start, end), one row per auditor.

    Each auditor's row holds their own judgement first and their fellow auditor's second.
    """
    mine = aliased(JointJudgement)
    theirs = aliased(JointJudgement)
    auditor = aliased(User)
    fellow = aliased(User)
    completed = case(
        (mine.recorded_at >= theirs.recorded_at, mine.recorded_at), else_=theirs.recorded_at
    )
    query = (
        select(
            mine.audit_id,
            Case.reference,
            auditor.id,
            auditor.email,
            auditor.name,
            Team.name,
            Audit.process_key,
            mine.grade,
            theirs.grade,
            fellow.id,
            fellow.email,
            fellow.name,
            completed,
        )
        .select_from(mine)
        .join(theirs, and_(theirs.audit_id == mine.audit_id, theirs.user_id != mine.user_id))
        .join(Audit, Audit.id == mine.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(auditor, auditor.id == mine.user_id)
        .join(fellow, fellow.id == theirs.user_id)
        .where(completed >= start, completed < end)
        .order_by(completed, mine.audit_id, auditor.email)
    )
    return [PairRow(JOINT, *row) for row in db.session.execute(query)]


def process_names() -> dict[str, str]:
    """The display name of every installed process, coded or run-time, by key."""
    return plugin_host().process_names()


def _unit(row: PairRow) -> tuple:
    if row.kind == MODERATION:
        return (MODERATION, row.audit_id)
    people = sorted((row.auditor_id or 0, row.other_id))
    return (JOINT, row.audit_id, *people)


def graded_pairs(rows: list[PairRow], names: dict[str, str]) -> tuple[list[GradedPair], int]:
    """The rows as calibration pairs, and how many comparisons were left out.

    A comparison with a grade off the four-grade scale (an audit moderated before the
    auditor gave an overall grade, say) cannot be placed on the scale and is left out.
    """
    kept: list[GradedPair] = []
    left_out: set[tuple] = set()
    for row in rows:
        unit = _unit(row)
        if row.grade_a not in GRADE_SCALE or row.grade_b not in GRADE_SCALE:
            left_out.add(unit)
            continue
        kept.append(
            GradedPair(
                kind=row.kind,
                unit=unit,
                auditor_key=row.auditor_email,
                auditor_name=row.auditor_name,
                team=row.team,
                process_key=row.process_key,
                process_name=names.get(row.process_key, row.process_key),
                grade_a=row.grade_a,
                grade_b=row.grade_b,
            )
        )
    return kept, len(left_out)


@dataclass(frozen=True)
class CalibrationReport:
    """The calibration figures of a period, with the joint audits behind them."""

    period: Period
    groups: list[Group]
    left_out: int
    joint_rows: list[PairRow]

    def of_kind(self, kind: str) -> list[Group]:
        """The groups of one kind: "auditor", "team" or "process"."""
        return [group for group in self.groups if group.kind == kind]

    @property
    def overall(self) -> Group:
        """Every comparison of the period, each counted once."""
        return self.of_kind("overall")[0]

    @property
    def joint(self) -> Group:
        """The joint audits' pairs."""
        return self.of_kind("joint")[0]

    @property
    def joint_audits(self) -> list[PairRow]:
        """One row per joint pair (the first auditor's view of it), for listing."""
        seen: set[tuple] = set()
        listed = []
        for row in self.joint_rows:
            if _unit(row) not in seen:
                seen.add(_unit(row))
                listed.append(row)
        return listed

    def as_dict(self) -> dict:
        """The report as JSON-ready values."""
        overall = self.overall
        return {
            "period": self.period.as_dict(),
            "too_few_pairs": TOO_FEW_PAIRS,
            "left_out": self.left_out,
            "overall": {
                **overall.as_dict(),
                "direction_reading": leaning(overall.direction),
                "matrix": {
                    "rows": "auditor grade",
                    "columns": "moderated grade",
                    "grades": list(GRADE_SCALE),
                    "counts": overall.matrix,
                },
            },
            "auditors": [group.as_dict() for group in self.of_kind("auditor")],
            "teams": [group.as_dict() for group in self.of_kind("team")],
            "processes": [group.as_dict() for group in self.of_kind("process")],
            "joint": self.joint.as_dict(),
        }


def calibration_report(period: Period) -> CalibrationReport:
    """The calibration figures of *period*: two queries, then pure arithmetic."""
    moderated = moderation_pairs(period.start, period.end)
    joint = joint_pairs(period.start, period.end)
    pairs, left_out = graded_pairs(moderated + joint, process_names())
    return CalibrationReport(period, calibrate(pairs), left_out, joint)
