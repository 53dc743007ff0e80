"""Moderation of submitted audits, the learning areas findings are tagged with, the
moderation share an administrator sets per process, and API tokens for BI tools."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class LearningArea(StrEnum):
    """Where learning from an audit should lead (section 6 of the framework)."""

    SUPERVISION = "supervision"
    TRAINING = "training"
    COMPLAINTS_AND_COMPLIMENTS = "complaints_and_compliments"
    WORKFORCE = "workforce"
    COMMISSIONING = "commissioning"
    SERVICE_AND_TEAM_PLANS = "service_and_team_plans"
    SAFEGUARDING_BOARD = "safeguarding_board"

    @property
    def label(self) -> str:
        """The area as the framework names it."""
        return LEARNING_AREA_LABELS[self]


LEARNING_AREA_LABELS = {
    LearningArea.SUPERVISION: "Supervision",
    LearningArea.TRAINING: "Training",
    LearningArea.COMPLAINTS_AND_COMPLIMENTS: "Complaints and compliments",
    LearningArea.WORKFORCE: "Workforce planning and development",
    LearningArea.COMMISSIONING: "Commissioning",
    LearningArea.SERVICE_AND_TEAM_PLANS: "Service plans and team plans",
    LearningArea.SAFEGUARDING_BOARD: "Safeguarding board priorities",
}


class Moderation(db.Model):
    """The QA lead's moderation of one audit: agreed, or the grade changed with a rationale."""

    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), unique=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    auditor_grade: Mapped[str] = mapped_column(String(40))
    moderated_grade: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    moderated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The QA lead's word that the auditor's summary may be shown, without the case's
    #: reference, to report readers who may not open the case.
    cleared_for_sharing: Mapped[bool] = mapped_column(default=False)

    moderator: Mapped[User] = relationship()

    @property
    def agreed(self) -> bool:
        """True when the moderator kept the auditor's grade."""
        return self.auditor_grade == self.moderated_grade


class JointJudgement(db.Model):
    """On a joint audit, one auditor's own overall judgement, made before they agree one.

    The two judgements of a joint audit are a calibration pair, like auditor and moderator.
    """

    __tablename__ = "joint_judgements"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    grade: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class AuditLearning(db.Model):
    """A learning area a finding of an audit is tagged with, by the auditor or the moderator."""

    __tablename__ = "audit_learning"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    tagged_by: Mapped[str] = mapped_column(String(20), primary_key=True)  # auditor, moderator


class ModerationShare(db.Model):
    """An administrator's setting of the share of a process's audits that are moderated."""

    __tablename__ = "moderation_shares"

    process_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    share: Mapped[float]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(db.Model):
    """A read-only API token for BI tools; it sees only what its user may see."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    #: The API refuses the token from this time on (API_TOKEN_DAYS after it was issued).
    expires_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
