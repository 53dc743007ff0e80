"""The portal's own records: plugin state, the activity history, the access log, login
attempts and flash messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import utcnow


class PluginState(db.Model):
    """Whether an installed plugin is enabled; read on every request by every worker."""

    __tablename__ = "plugin_states"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ActivityEntry(db.Model):
    """One line of the append-only activity history: who did what to which object, when.

    The database refuses UPDATE and DELETE on this table (see the initial migration).
    """

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AccessLogEntry(db.Model):
    """One read of something about a child (a case, an audit, its print view or PDF, a
    concern, family feedback, a report export, an API answer) or one refusal (403): who,
    what, when, from where. Separate from the activity history, and pruned after
    ``ACCESS_LOG_DAYS`` (see :mod:`portal.access_log`)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # viewed, printed, downloaded, ...
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60), default="")
    case_id: Mapped[int | None]  # the child's case it is about, for "who opened this case?"
    path: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[int] = mapped_column(default=200)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class LoginAttempt(db.Model):
    """Every attempt to log in, successful or not, kept for throttling and for audit."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class FlashMessage(db.Model):
    """A message for the next page a signed-in person sees, kept here, not in their cookie.

    Messages name people and cases ("The audit of CS-1001 is allocated to …"); the session
    cookie is only signed, not encrypted, so they wait on the server under a random key.
    """

    __tablename__ = "flash_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(20), default="info")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
