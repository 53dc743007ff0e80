"""Audits of cases: the form version, the answers, the revisions, comments and auditors."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.actions import Action
    from portal.models.cases import Case
    from portal.models.moderation import AuditLearning, JointJudgement, Moderation
    from portal.models.people import User


class AuditStatus(StrEnum):
    """The stages of the audit lifecycle every process shares."""

    ALLOCATED = "allocated"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    MODERATED = "moderated"
    ACTIONS_OPEN = "actions_open"
    CLOSED = "closed"
    #: never submitted, and will not be: cancelled with a reason (its tool disabled, say)
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The stage as shown to staff."""
        return self.value.replace("_", " ").capitalize()

    @property
    def editable(self) -> bool:
        """True while the auditor may still change the answers."""
        return self in (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS)


class AuditForm(db.Model):
    """One version of a process's form, stored as JSON so old audits render as filled in.

    A plugin that changes its questions gets a new row (found by *fingerprint*), so a
    form is never lost even if the plugin forgets to raise its version.
    """

    __tablename__ = "audit_forms"
    __table_args__ = (UniqueConstraint("process_key", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Audit(db.Model):
    """One audit of one case under one audit process (a plugin), in a given form version."""

    __tablename__ = "audits"
    __table_args__ = (
        # each plugin's report section reads its own audits of a month
        Index("ix_audits_process_key_submitted_at", "process_key", "submitted_at"),
        # the audit list's order (latest due first): a page without sorting every audit
        Index("ix_audits_due_on_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)  # a case's audits
    process_key: Mapped[str] = mapped_column(String(40), index=True)
    process_version: Mapped[str] = mapped_column(String(20))
    form_id: Mapped[int | None] = mapped_column(ForeignKey("audit_forms.id"))
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.ALLOCATED.value, index=True)
    allocated_on: Mapped[date]
    due_on: Mapped[date]  # indexed with the id: ix_audits_due_on_id
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocation_reason: Mapped[str] = mapped_column(Text, default="")
    selection_id: Mapped[int | None] = mapped_column(ForeignKey("monthly_selections.id"))
    revision: Mapped[int] = mapped_column(default=0)
    suggested_grade: Mapped[str | None] = mapped_column(String(40))
    overall_grade: Mapped[str | None] = mapped_column(String(40))  # the auditor's
    # the grade of record: the moderator's where moderated, else the auditor's
    record_grade: Mapped[str | None] = mapped_column(String(40), index=True)
    moderation_required: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]  # when its lateness was reported to a manager
    # cancelled before submission (status "cancelled"): when, by whom and why
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    form: Mapped[AuditForm | None] = relationship()
    auditor_rows: Mapped[list[AuditAuditor]] = relationship(cascade="all, delete-orphan")
    answer_rows: Mapped[list[AuditAnswer]] = relationship(cascade="all, delete-orphan")
    actions: Mapped[list[Action]] = relationship(
        back_populates="audit", order_by="Action.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[AuditComment]] = relationship(
        order_by="AuditComment.id", cascade="all, delete-orphan"
    )
    moderation: Mapped[Moderation | None] = relationship(cascade="all, delete-orphan")
    learning_rows: Mapped[list[AuditLearning]] = relationship(cascade="all, delete-orphan")
    joint_judgements: Mapped[list[JointJudgement]] = relationship(cascade="all, delete-orphan")

    @property
    def auditors(self) -> list[User]:
        """Everyone named as an auditor (two for a joint audit)."""
        return [row.user for row in self.auditor_rows]

    @property
    def lifecycle(self) -> AuditStatus:
        """The status as an enum member."""
        return AuditStatus(self.status)

    def answers(self) -> dict[str, dict[str, str]]:
        """The stored answers as ``{section key: {field key: value}}``."""
        result: dict[str, dict[str, str]] = {}
        for row in self.answer_rows:
            result.setdefault(row.section_key, {})[row.field_key] = row.value
        return result


class AuditAuditor(db.Model):
    """A person named as auditor on an audit."""

    __tablename__ = "audit_auditors"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    # indexed: "the audits this person audits" (access checks, the auditor filters)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    # the auditor's agency when allocated: reports by agency stay true if they move
    agency_code: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class AuditAnswer(db.Model):
    """One answer of an audit, kept as a row so reports can count grades with SQL."""

    __tablename__ = "audit_answers"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    section_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    field_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AuditRevision(db.Model):
    """The fields one save changed, so concurrent edits can be merged field by field."""

    __tablename__ = "audit_revisions"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict[str, str]] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()


class AuditComment(db.Model):
    """A comment on an audit's findings by the worker, a manager or the auditor."""

    __tablename__ = "audit_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
