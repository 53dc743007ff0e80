"""Cases: pointers to a child's file in the case system, with the least personal data."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.org import Team
    from portal.models.people import User


class CaseType(StrEnum):
    """The kinds of case the case systems (ICS and EHM) hold."""

    EARLY_HELP = "EARLY_HELP"
    CIN = "CIN"
    CP = "CP"
    CLA = "CLA"
    CARE_LEAVER = "CARE_LEAVER"
    FOSTERING = "FOSTERING"
    MASH_CONTACT = "MASH_CONTACT"
    S47 = "S47"

    @property
    def label(self) -> str:
        """The case type as staff say it."""
        return CASE_TYPE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> CaseType:
        """Read a case type from its code or its label, ignoring case and spacing.

        Raises ``ValueError`` naming the accepted values when *text* is neither.
        """
        wanted = " ".join(text.replace("_", " ").replace(".", "").split()).casefold()
        for case_type in cls:
            names = {case_type.value.replace("_", " ").casefold(), case_type.label.casefold()}
            names.update(alias.casefold() for alias in CASE_TYPE_ALIASES.get(case_type, ()))
            if wanted in names:
                return case_type
        accepted = ", ".join(case_type.value for case_type in cls)
        raise ValueError(f"unknown case type {text!r} (use one of {accepted})")


CASE_TYPE_LABELS = {
    CaseType.EARLY_HELP: "Early Help",
    CaseType.CIN: "Child in need",
    CaseType.CP: "Child protection",
    CaseType.CLA: "Child looked after",
    CaseType.CARE_LEAVER: "Care leaver",
    CaseType.FOSTERING: "Fostering",
    CaseType.MASH_CONTACT: "MASH contact",
    CaseType.S47: "Section 47 enquiry",
}

CASE_TYPE_ALIASES = {
    CaseType.EARLY_HELP: ("EH",),
    CaseType.CLA: ("LAC", "Looked after child", "Child in care"),
    CaseType.S47: ("Section 47", "S 47"),
}


class Case(db.Model):
    """A child's case: its reference in the case system, type, team and allocated worker."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_type: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    allocated_worker: Mapped[User | None] = relationship()

    @property
    def type(self) -> CaseType:
        """The case type as an enum member."""
        return CaseType(self.case_type)

    @property
    def is_open(self) -> bool:
        """True while the case has no closing date."""
        return self.closed_on is None

    def __str__(self) -> str:
        return self.reference
