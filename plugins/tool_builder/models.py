"""The tool builder's own tables (every name starts with the plugin's key): a tool, and its
versions (one draft at most, then the published ones, numbered 1, 2, ...)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.plugin_api import User, db, utcnow


class VersionStatus(StrEnum):
    """Where a version of a tool stands: a draft the QA lead edits, or published (fixed)."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Tool(db.Model):
    """A bespoke audit tool: its slug (the process key is ``tool_builder.<slug>``) and title.

    A retired tool is no longer drawn or allocated; its audits stay readable.
    """

    __tablename__ = "tool_builder_tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None]
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    versions: Mapped[list[ToolVersion]] = relationship(
        back_populates="tool", order_by="ToolVersion.number", cascade="all, delete-orphan"
    )


class ToolVersion(db.Model):
    """One version of a tool: its definition (the JSON of ``schema.json`` without the slug).

    A draft changes until it is published; a published version never changes.
    """

    __tablename__ = "tool_builder_versions"
    __table_args__ = (UniqueConstraint("tool_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tool_builder_tools.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=VersionStatus.DRAFT.value)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tool: Mapped[Tool] = relationship(back_populates="versions")
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
