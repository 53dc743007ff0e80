"""Actions that audits require: owned, due, completed with evidence, signed off."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.audits import Audit
    from portal.models.people import User


class Priority(StrEnum):
    """How urgent an action is; the weight counts in progress reports."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        """High 3, medium 2, low 1."""
        return {"high": 3, "medium": 2, "low": 1}[self.value]

    @property
    def label(self) -> str:
        """The priority as shown to staff."""
        return self.value.capitalize()


class ActionStatus(StrEnum):
    """Where an action is: drafted with the audit, open, completed, signed off."""

    DRAFT = "draft"  # written by the auditor, not yet submitted with the audit
    OPEN = "open"
    COMPLETED = "completed"  # the owner says it is done, with evidence
    SIGNED_OFF = "signed_off"  # the owner's line manager agrees

    @property
    def label(self) -> str:
        """The status as shown to staff."""
        return self.value.replace("_", " ").capitalize()


class Action(db.Model):
    """An action an audit requires of someone, by a date."""

    __tablename__ = "actions"
    # a person's own list, the sign-off lists and the home page's counts (it serves
    # every lookup by owner too)
    __table_args__ = (Index("ix_actions_owner_id_status_due_on", "owner_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    section_key: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.MEDIUM.value)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.DRAFT.value, index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(index=True)
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    escalated_at: Mapped[datetime | None]  # when its lateness was reported to a manager
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    audit: Mapped[Audit] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])

    @property
    def state(self) -> ActionStatus:
        """The status as an enum member."""
        return ActionStatus(self.status)

    @property
    def weight(self) -> int:
        """The priority's weight."""
        return Priority(self.priority).weight

    def is_overdue(self, today: date) -> bool:
        """True when the action is still open after its due date.

        An action completed and awaiting sign-off is not overdue: its owner has done it.
        """
        return self.due_on is not None and self.due_on < today and self.state is ActionStatus.OPEN
