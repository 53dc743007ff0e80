"""Learning followed to its effect: a month's learning theme given an owner, and the record
of what changed because of it, kept open until the QA lead or the owner closes it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.people import User
from portal.timeutil import utcnow


class LearningFollowUp(db.Model):
    """One learning theme of one month (a learning area of the framework), its owner, what
    should change, and whether it is closed."""

    __tablename__ = "learning_followups"
    __table_args__ = (Index("ix_learning_followups_status_month", "closed_at", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The first day of the month whose learning this follows up.
    month: Mapped[date] = mapped_column(index=True)
    #: A ``LearningArea`` value: supervision, training, …
    area: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: What the learning is and what should change because of it.
    learning: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    changes: Mapped[list[LearningChange]] = relationship(
        back_populates="followup", order_by="LearningChange.recorded_at"
    )

    @property
    def is_open(self) -> bool:
        """True until the follow-up is closed."""
        return self.closed_at is None


class LearningChange(db.Model):
    """A dated record of what changed because of a follow-up's learning."""

    __tablename__ = "learning_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("learning_followups.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)

    followup: Mapped[LearningFollowUp] = relationship(back_populates="changes")
    author: Mapped[User] = relationship()
