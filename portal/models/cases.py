"""Cases: pointers to a child's file in the case system, with the least personal data."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.characteristics import FAMILY_ADDRESS_MAX_LENGTH, FAMILY_NAME_MAX_LENGTH
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
    """A child's case: its reference in the case system, type, team and allocated worker.

    The import may also carry the child's characteristics (codes of the lists in
    :mod:`portal.models.characteristics`, for the equality figures), the case's flags, and
    the family's name and postal address for letters: personal data, shown only to those
    who may see the case.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_type: Mapped[str] = mapped_column(String(20))
    # indexed: who sees a case (and its audits) is found by worker and by team
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None] = mapped_column(index=True)  # the retention rule's list
    # when the retention rule erased the case's records (see portal.retention)
    erased_at: Mapped[datetime | None]
    age_band: Mapped[str | None] = mapped_column(String(10))
    sex: Mapped[str | None] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    disability: Mapped[str | None] = mapped_column(String(7))
    family_name: Mapped[str | None] = mapped_column(String(FAMILY_NAME_MAX_LENGTH))
    family_address: Mapped[str | None] = mapped_column(String(FAMILY_ADDRESS_MAX_LENGTH))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    allocated_worker: Mapped[User | None] = relationship()
    flag_rows: Mapped[list[CaseFlag]] = relationship(
        cascade="all, delete-orphan", order_by="CaseFlag.flag"
    )

    @property
    def flags(self) -> frozenset[str]:
        """The codes of the case's flags (see ``FLAGS``)."""
        return frozenset(row.flag for row in self.flag_rows)

    def set_flags(self, flags: frozenset[str]) -> None:
        """Make the case's flags exactly *flags*, keeping the rows of those it has."""
        keep = [row for row in self.flag_rows if row.flag in flags]
        kept = {row.flag for row in keep}
        self.flag_rows = keep + [CaseFlag(flag=flag) for flag in sorted(flags - kept)]

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


class CaseFlag(db.Model):
    """One flag of a case (a code of ``FLAGS``), a row each so a draw can filter by it."""

    __tablename__ = "case_flags"
    # the primary key finds a case's flags; the index finds the cases with a flag
    __table_args__ = (Index("ix_case_flags_flag_case_id", "flag", "case_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    flag: Mapped[str] = mapped_column(String(40), primary_key=True)
