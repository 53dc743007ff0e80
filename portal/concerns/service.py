"""Safeguarding concerns: raising one reaches the senior manager and the safeguarding unit at
once, and the concern is tracked until one of them records a response.

The service is generic: the audit pages raise concerns with source type "audit", and a
plugin raises them from its own pages with its own source type and id.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.orm import joinedload

from portal.activity import record
from portal.extensions import db
from portal.models import Case, Role, SafeguardingConcern, Team, User, UserRole
from portal.notify import notify
from portal.permissions import managed_team_ids
from portal.timeutil import utcnow

#: The roles of the senior managers a concern goes to, in the management chain of the case.
HEAD_ROLES = (Role.HEAD_OF_SERVICE, Role.MASH_HEAD_OF_SERVICE)
#: Roles that receive concerns and may answer them (within their area, for the heads).
RESPONDER_ROLES = (*HEAD_ROLES, Role.SAFEGUARDING_UNIT)
#: Roles that see every concern raised in the portal.
OVERSIGHT_ROLES = (Role.SAFEGUARDING_UNIT, Role.QA_LEAD)


class AlreadyAnswered(Exception):
    """Raised when a response is recorded for a concern that already has one."""


def senior_managers(case: Case) -> list[User]:
    """The head(s) of service in the management chain of *case*'s team.

    When nobody in the chain holds a head of service role, the top of the chain.
    Inactive accounts are left out.
    """
    return team_senior_managers(case.team)


def team_senior_managers(team: Team) -> list[User]:
    """The senior managers who receive the concerns about *team*'s cases (see above)."""
    chain = [person for person in team.management_chain() if person.active]
    heads = [person for person in chain if person.has_role(*HEAD_ROLES)]
    return heads or chain[-1:]


def receiving_team_ids(user: User) -> set[int]:
    """The teams whose cases' concerns *user* receives as senior manager.

    Worked out over the organisation (teams and their management chains), never over the
    concerns: the SQL twin of ``user in senior_managers(case)``. A fixed number of
    statements whatever the number of teams: the chains are walked over one read of the
    people, their head roles and the teams.
    """
    team_ids = managed_team_ids(user) if user.active else set()
    if not team_ids or user.has_role(*HEAD_ROLES):
        return team_ids  # a head in the chain is always one of the heads
    people = {
        person_id: (manager_id, active)
        for person_id, manager_id, active in db.session.execute(
            select(User.id, User.line_manager_id, User.active)
        )
    }
    heads = set(
        db.session.scalars(
            select(UserRole.user_id).where(UserRole.role.in_([r.value for r in HEAD_ROLES]))
        )
    )
    managers = db.session.execute(select(Team.id, Team.manager_id).where(Team.id.in_(team_ids)))
    return {
        team_id
        for team_id, manager_id in managers
        if _receives(user.id, _active_chain(manager_id, people), heads)
    }


def _active_chain(person_id: int | None, people: dict[int, tuple[int | None, bool]]) -> list[int]:
    """The active people of the management chain from *person_id* up (as Team.management_chain)."""
    chain: list[int] = []
    seen: set[int] = set()
    while person_id is not None and person_id not in seen and person_id in people:
        seen.add(person_id)
        manager_id, active = people[person_id]
        if active:
            chain.append(person_id)
        person_id = manager_id
    return chain


def _receives(user_id: int, chain: list[int], heads: set[int]) -> bool:
    """True when *user_id* is a senior manager of a team with this active *chain*."""
    chain_heads = [person for person in chain if person in heads]
    return user_id in (chain_heads or chain[-1:])


def safeguarding_unit() -> list[User]:
    """Every active member of the safeguarding unit, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.SAFEGUARDING_UNIT.value, User.active)
            .order_by(User.name, User.id)
        )
    )


def recipients(case: Case) -> list[User]:
    """Who receives a concern about *case*: its senior manager(s), then the safeguarding unit."""
    people = senior_managers(case)
    people.extend(person for person in safeguarding_unit() if person not in people)
    return people


def can_respond(user: User, concern: SafeguardingConcern) -> bool:
    """True when *user* is one of the concern's recipients, who may record the response."""
    return user.has_role(Role.SAFEGUARDING_UNIT) or user in senior_managers(concern.case)


def can_view(user: User, concern: SafeguardingConcern) -> bool:
    """True when *user* may read the concern: who raised it, its recipients, the QA lead."""
    return (
        concern.raised_by_id == user.id
        or user.has_role(*OVERSIGHT_ROLES)
        or can_respond(user, concern)
    )


def raise_concern(
    case: Case, source_type: str, source_id: object, description: str, raised_by: User
) -> SafeguardingConcern:
    """Record a concern about *case* raised from *source_type* *source_id* and send it at once.

    Its recipients (see :func:`recipients`) are notified, and emailed where SMTP is set up,
    except the person who raised it. The caller commits.
    """
    concern = SafeguardingConcern(
        case=case,
        source_type=source_type,
        source_id=str(source_id),
        description=description,
        raised_by_id=raised_by.id,
    )
    db.session.add(concern)
    db.session.flush()
    people = [person for person in recipients(case) if person.id != raised_by.id]
    record(
        "raised",
        "safeguarding_concern",
        concern.id,
        actor_id=raised_by.id,
        summary=f"about {case.reference}, from {source_type} {concern.source_id}",
        after={
            "case": case.reference,
            "source_type": source_type,
            "source_id": concern.source_id,
            "sent_to": [person.email for person in people],
        },
    )
    notify(
        people,
        f"Safeguarding concern: {case.reference}",
        f"{raised_by.name} raised a safeguarding concern about case {case.reference}. "
        "Read it and record your response in the portal.",
        f"/concerns/{concern.id}",
    )
    return concern


def respond(concern: SafeguardingConcern, response: str, user: User) -> None:
    """Record *user*'s response to *concern* and tell the person who raised it.

    A concern is answered once: raises :class:`AlreadyAnswered` when it has a response
    (even one recorded a moment ago by someone else). The caller checks that *user* may
    respond (:func:`can_respond`) and commits.
    """
    answered = db.session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.id == concern.id, SafeguardingConcern.responded_at.is_(None))
        .values(response=response, responded_by_id=user.id, responded_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if answered.rowcount != 1:
        db.session.refresh(concern)
        raise AlreadyAnswered(f"safeguarding concern {concern.id} already has a response")
    db.session.refresh(concern)
    record(
        "responded",
        "safeguarding_concern",
        concern.id,
        actor_id=user.id,
        summary=f"about {concern.case.reference}",
        after={"responded_by": user.email},
    )
    if concern.raised_by_id != user.id:
        notify(
            [concern.raised_by],
            f"Response to your safeguarding concern: {concern.case.reference}",
            f"{user.name} has responded to the safeguarding concern you raised about case "
            f"{concern.case.reference}.",
            f"/concerns/{concern.id}",
        )


def visible_concerns(user: User) -> Select[tuple[SafeguardingConcern]]:
    """A query for the concerns *user* may read: the SQL twin of :func:`can_view`."""
    query = select(SafeguardingConcern)
    if user.has_role(*OVERSIGHT_ROLES):
        return query
    conditions = [SafeguardingConcern.raised_by_id == user.id]
    team_ids = receiving_team_ids(user)
    if team_ids:
        cases = select(Case.id).where(Case.team_id.in_(team_ids))
        conditions.append(SafeguardingConcern.case_id.in_(cases))
    return query.where(or_(*conditions))


def listed(query: Select) -> Select:
    """*query* of concerns ordered for the list (open first, then newest), rows eager loaded."""
    return query.options(
        joinedload(SafeguardingConcern.case), joinedload(SafeguardingConcern.raised_by)
    ).order_by(
        sql_case((SafeguardingConcern.responded_at.is_(None), 0), else_=1),
        SafeguardingConcern.raised_at.desc(),
        SafeguardingConcern.id.desc(),
    )


def awaiting_response(user: User) -> list[SafeguardingConcern]:
    """The open concerns *user* may answer, oldest first (the longest waiting at the top)."""
    if user.has_role(Role.SAFEGUARDING_UNIT):
        query = select(SafeguardingConcern)
    else:
        team_ids = receiving_team_ids(user)
        if not team_ids:
            return []
        cases = select(Case.id).where(Case.team_id.in_(team_ids))
        query = select(SafeguardingConcern).where(SafeguardingConcern.case_id.in_(cases))
    query = (
        query.where(SafeguardingConcern.responded_at.is_(None))
        .options(joinedload(SafeguardingConcern.case), joinedload(SafeguardingConcern.raised_by))
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
    )
    return list(db.session.scalars(query))


def raised_from(source_type: str, source_id: object) -> list[SafeguardingConcern]:
    """The concerns raised from one audit or plugin object, oldest first."""
    return list(
        db.session.scalars(
            select(SafeguardingConcern)
            .where(
                SafeguardingConcern.source_type == source_type,
                SafeguardingConcern.source_id == str(source_id),
            )
            .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
        )
    )
