"""The observation of practice's own table: the practitioner's reflection (every table name
starts with the plugin's key). The observer's record and the family's view are the
observation's answers, stored by the portal like any audit's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.plugin_api import Audit, User, db, utcnow


class Reflection(db.Model):
    """The practitioner's own reflection on an observation of their practice: one for each
    observation, written (and changed) by the practitioner after it is submitted."""

    __tablename__ = "practice_observation_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    went_well: Mapped[str] = mapped_column(Text)
    differently: Mapped[str] = mapped_column(Text)
    support: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    audit: Mapped[Audit] = relationship()
    author: Mapped[User] = relationship()
