"""The thematic schedule, the monthly selections, and the record of background job runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow


class ThemeMonth(db.Model):
    """One month of the thematic schedule agreed by the leadership team.

    The filters are lists of codes or ids; an empty list means "no restriction".
    """

    __tablename__ = "theme_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(unique=True)  # the first day of the month
    theme: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    case_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    service_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    team_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    process_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)  # any one of them
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MonthlySelection(db.Model):
    """The random selection of one month: previewed (a draft), then confirmed once.

    *draw* keeps what was drawn (allocations and shortfalls) with the *seed*, so the draw
    can be checked and repeated.
    """

    __tablename__ = "monthly_selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(unique=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    draw: Mapped[dict[str, Any]] = mapped_column(JSON)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]

    @property
    def is_confirmed(self) -> bool:
        """True once the audits have been created."""
        return self.confirmed_at is not None


class JobRun(db.Model):
    """One run of a background job for one period (a day, a month).

    The unique (job, period) pair is the lock: whichever process inserts it first runs the
    job; every other process, and every later attempt, finds it and does nothing.
    """

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(Text, default="")
    succeeded: Mapped[bool | None]
