"""Stored learning reports: a closed month's report built once, and the current month's
provisional build shared by every worker for a few minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class ReportSnapshot(db.Model):
    """The monthly learning report of one month as it was built.

    *data* is the report as :func:`portal.reports.monthly.build_monthly_report` returns it,
    made JSON-safe, with every case reference and summary in it: the reader's filter is
    applied when it is served. *pdf_full* is the PDF for readers who may open every case,
    *pdf_anonymised* the one for everyone else (no references; text only where cleared
    for sharing); each is rendered once, when first needed if not at build time.
    *provisional* marks a build of a month not yet closed, reused for a few minutes only.
    *note* says why the QA lead rebuilt it, when they did.
    """

    __tablename__ = "report_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(unique=True)  # the first day of the month
    provisional: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf_full: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_anonymised: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    built_by: Mapped[User | None] = relationship()
