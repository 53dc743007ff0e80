"""Staff accounts and the roles they hold."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from portal.models.org import Agency, Team


class Role(StrEnum):
    """A role a member of staff holds; one person may hold several."""

    SOCIAL_WORKER = "social_worker"
    EARLY_HELP_WORKER = "early_help_worker"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"
    ASSISTANT_DIRECTOR = "assistant_director"
    QA_LEAD = "qa_lead"
    QA_ADMIN = "qa_admin"
    MASH_HEAD_OF_SERVICE = "mash_head_of_service"
    PARTNER_AUDITOR = "partner_auditor"
    SAFEGUARDING_UNIT = "safeguarding_unit"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name as staff say it."""
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        """What a holder of the role does in the portal."""
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.EARLY_HELP_WORKER: "Early Help worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.SERVICE_MANAGER: "Service manager",
    Role.HEAD_OF_SERVICE: "Head of service",
    Role.ASSISTANT_DIRECTOR: "Assistant director",
    Role.QA_LEAD: "QA and audit lead",
    Role.QA_ADMIN: "QA administrator",
    Role.MASH_HEAD_OF_SERVICE: "MASH head of service",
    Role.PARTNER_AUDITOR: "Partner-agency auditor",
    Role.SAFEGUARDING_UNIT: "Safeguarding unit",
    Role.ADMIN: "Administrator",
}

ROLE_DESCRIPTIONS = {
    Role.SOCIAL_WORKER: "Sees audits of their own cases, completes actions, comments on findings.",
    Role.EARLY_HELP_WORKER: "Sees audits of their own Early Help cases and completes actions.",
    Role.TEAM_MANAGER: "Audits a case a month from another team; signs off their team's actions.",
    Role.SERVICE_MANAGER: "Audits a case a month; oversight of their service area.",
    Role.HEAD_OF_SERVICE: "Audits a case a month; oversight of their area; receives escalations.",
    Role.ASSISTANT_DIRECTOR: "Audits a case a month; receives escalations.",
    Role.QA_LEAD: "Moderates audits, runs joint audits and thematic reviews, writes reports.",
    Role.QA_ADMIN: "Runs the monthly random selection, allocates audits and chases them.",
    Role.MASH_HEAD_OF_SERVICE: "Coordinates the MASH audits.",
    Role.PARTNER_AUDITOR: "Completes the audits allocated to them and sees nothing else.",
    Role.SAFEGUARDING_UNIT: "Leads thematic reviews and endorses their reports.",
    Role.ADMIN: "Manages users, teams, roles, plugins and settings; no case content.",
}

#: Roles whose holders may see every case in the portal (not only their own or their teams').
CASE_OVERSIGHT_ROLES = frozenset({Role.QA_LEAD, Role.QA_ADMIN, Role.SAFEGUARDING_UNIT})


class UserRole(db.Model):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Granted at single sign-on from the person's groups (``sign_on_group_roles``), and
    #: taken away again when the groups no longer carry it; False: set by an administrator.
    from_directory: Mapped[bool] = mapped_column(default=False, server_default=false())


class SignOnGroupRole(db.Model):
    """A role (and optionally a team) that single sign-on grants to members of a group."""

    __tablename__ = "sign_on_group_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))

    team: Mapped[Team | None] = relationship()

    __table_args__ = (db.UniqueConstraint("group", "role", name="uq_sign_on_group_role"),)


class User(UserMixin, db.Model):
    """A member of staff with a login, a team, an agency and a line manager."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: Kept in each session cookie at sign-in; a session with another number is ended.
    #: Raised by signing out, a new password, deactivation and a change of roles.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The OpenID provider's stable subject (``sub``) for this person, set at their first
    #: single sign-on; matched before the email.
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    #: The ID token of their last single sign-on, sent back as ``id_token_hint`` when they
    #: sign out so the provider ends its session too.
    oidc_id_token: Mapped[str | None] = mapped_column(Text)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    agency: Mapped[Agency | None] = relationship()
    line_manager: Mapped[User | None] = relationship(remote_side=[id])
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")
    managed_teams: Mapped[list[Team]] = relationship(
        foreign_keys="Team.manager_id", viewonly=True, overlaps="manager"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def roles(self) -> frozenset[Role]:
        """Every role this user holds."""
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds at least one of *roles*."""
        return not self.roles.isdisjoint(roles)

    def set_roles(self, roles: set[Role]) -> None:
        """Replace the user's roles with *roles*."""
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if Role(row.role) in wanted]
        held = {Role(row.role) for row in self.role_rows}
        self.role_rows.extend(UserRole(role=role.value) for role in sorted(wanted - held))

    def __str__(self) -> str:
        return self.name
