"""Report circulation: the QA lead's distribution lists, the commentary written on a report
(approved by the assistant director) and each time a report was emailed to a list."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class DistributionList(db.Model):
    """A named list of email addresses a report is circulated to ("Heads of service")."""

    __tablename__ = "distribution_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReportCommentary(db.Model):
    """The QA lead's commentary on one report of one period (a month, a quarter).

    *report_kind* names the report (``monthly``, ``myplugin.quarterly``) and *period*
    its period as the report's URL writes it (``2026-11``, ``2026-Q3``). A draft until the
    assistant director approves it; approved commentary no longer changes.
    """

    __tablename__ = "report_commentaries"
    __table_args__ = (UniqueConstraint("report_kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_kind: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(20))
    key_messages: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]

    drafted_by: Mapped[User] = relationship(foreign_keys=[drafted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    circulations: Mapped[list[ReportCirculation]] = relationship(
        back_populates="commentary", order_by="ReportCirculation.sent_at"
    )


class ReportCirculation(db.Model):
    """One circulation of an approved report: to which list (its name as it was), how many
    recipients received it, who sent it and when."""

    __tablename__ = "report_circulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    commentary_id: Mapped[int] = mapped_column(ForeignKey("report_commentaries.id"), index=True)
    list_id: Mapped[int | None] = mapped_column(
        ForeignKey("distribution_lists.id", ondelete="SET NULL")
    )
    list_name: Mapped[str] = mapped_column(String(120))
    recipients: Mapped[int]
    refused: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    commentary: Mapped[ReportCommentary] = relationship(back_populates="circulations")
    sent_by: Mapped[User] = relationship()
