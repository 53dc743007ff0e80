"""Audits of cases: which process, which case, who audits it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.cases import Case
    from portal.models.people import User


class AuditStatus(StrEnum):
    """The stages of the audit lifecycle every process shares."""

    ALLOCATED = "allocated"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    MODERATED = "moderated"
    ACTIONS_OPEN = "actions_open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """The stage as shown to staff."""
        return self.value.replace("_", " ").capitalize()


class Audit(db.Model):
    """One audit of one case under one audit process (a plugin), in a given form version."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    process_key: Mapped[str] = mapped_column(String(40), index=True)
    process_version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.ALLOCATED.value)
    allocated_on: Mapped[date]
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    auditor_rows: Mapped[list[AuditAuditor]] = relationship(cascade="all, delete-orphan")

    @property
    def auditors(self) -> list[User]:
        """Everyone named as an auditor (two for a joint audit)."""
        return [row.user for row in self.auditor_rows]


class AuditAuditor(db.Model):
    """A person named as auditor on an audit."""

    __tablename__ = "audit_auditors"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    user: Mapped[User] = relationship()
