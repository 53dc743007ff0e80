"""The organisation: services, teams inside them, and the agencies staff belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

if TYPE_CHECKING:
    from portal.models.people import User


class Service(db.Model):
    """A service of children's services, such as Children's Social Care or Early Help."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    teams: Mapped[list[Team]] = relationship(back_populates="service", order_by="Team.name")

    def __str__(self) -> str:
        return self.name


class Agency(db.Model):
    """An employing agency: the council's own services and the partners (Police, Health)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_partner: Mapped[bool] = mapped_column(default=False)

    def __str__(self) -> str:
        return self.name


class Team(db.Model):
    """A team inside a service, with one team manager.

    The management chain above the team runs through the manager's line managers
    (team manager → service manager → head of service → assistant director).
    """

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True), index=True
    )

    service: Mapped[Service] = relationship(back_populates="teams")
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id], post_update=True)
    members: Mapped[list[User]] = relationship(
        back_populates="team", foreign_keys="User.team_id", order_by="User.name"
    )

    def management_chain(self) -> list[User]:
        """The team manager, then each line manager above them, nearest first."""
        chain: list[User] = []
        person = self.manager
        while person is not None and person not in chain:
            chain.append(person)
            person = person.line_manager
        return chain

    def __str__(self) -> str:
        return self.name
