"""The rest of the large council's five years, written after its audits and actions.

:func:`write_history` reads back the audits, moderations and actions that
:mod:`benchmarks.generate` wrote and adds what the portal's engine would have written
along the way, as bulk inserts:

- **notifications**: a new audit to each auditor, a new action to its owner, an action to
  sign off to the manager, a signed-off action to its owner; read a few days later,
  except some of the last month's;
- **safeguarding concerns**: raised from about 1% of the submitted audits, answered by the
  safeguarding unit within days (the last weeks' still open);
- **thematic reviews**: one a quarter over the five years (the thematic_review plugin's
  tables; :mod:`benchmarks.history_reviews`);
- **activity history**: every audit allocated, submitted, moderated and closed, every
  action completed and signed off, every concern raised and answered, each review's
  creation, and the staff signing in (about 75 sign-ins a working day at scale 1).

The rows given ids here (concerns and the review tables) number from 1 up in tables the
demo council leaves empty; :data:`WITH_IDS` lists them, for PostgreSQL's counters.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from benchmarks.history_reviews import write_reviews
from plugins.thematic_review.models import (
    Conversation,
    PlanItem,
    Question,
    Review,
    ReviewCase,
)
from portal.models import (
    Action,
    ActivityEntry,
    Audit,
    AuditAuditor,
    Case,
    Moderation,
    Notification,
    Role,
    SafeguardingConcern,
    Team,
    UserRole,
)

#: The tables whose ids are given here (PostgreSQL's counters are moved past them).
WITH_IDS = (SafeguardingConcern, Review, Question, ReviewCase, Conversation, PlanItem)
#: The tables this module fills, for the generator's counts.
COUNTED = (ActivityEntry, Notification, SafeguardingConcern, Review, ReviewCase, Conversation)
#: Sign-ins a working day at scale 1, and the share of audits raising a concern.
SIGN_INS_A_DAY, CONCERN_SHARE = 75, 0.01


def _at(moment: date | datetime) -> datetime:
    return moment if isinstance(moment, datetime) else datetime.combine(moment, datetime.min.time())


class History:
    """Rows of the history tables, drawn from the generated audits and actions."""

    def __init__(self, rng: random.Random, connection: Connection, now: datetime) -> None:
        self.rng = rng
        self.connection = connection
        self.now = now
        self.activity: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        people = connection.execute(
            select(UserRole.role, UserRole.user_id).order_by(UserRole.user_id)
        )
        self.by_role: dict[str, list[int]] = {}
        for role, user_id in people:
            self.by_role.setdefault(role, []).append(user_id)

    def event(self, at, actor, verb, kind, object_id, summary="") -> None:
        """One activity entry (without the before and after fields: NULL, no JSON to encode)."""
        self.activity.append(
            {
                "at": _at(at),
                "actor_id": actor,
                "verb": verb,
                "object_type": kind,
                "object_id": str(object_id),
                "summary": summary,
            }
        )

    def notify(self, user_id: int | None, at: datetime, subject: str, body: str, link: str):
        """One notification, read a few days later unless it is recent and still unread."""
        if user_id is None:
            return
        read_at = at + timedelta(hours=self.rng.randint(1, 96))
        if read_at >= self.now or ((self.now - at).days < 30 and self.rng.random() < 0.5):
            read_at = None
        self.notifications.append(
            {
                "user_id": user_id,
                "subject": subject,
                "body": body,
                "link": link,
                "created_at": at,
                "read_at": read_at,
                "emailed_at": None,
            }
        )

    def audits(self) -> list[tuple]:
        """Activity and notifications of every audit; the submitted ones, for concerns."""
        auditors: dict[int, list[int]] = {}
        for audit_id, user_id in self.connection.execute(
            select(AuditAuditor.audit_id, AuditAuditor.user_id)
        ):
            auditors.setdefault(audit_id, []).append(user_id)
        moderated = dict(
            self.connection.execute(select(Moderation.audit_id, Moderation.moderated_at)).all()
        )
        submitted = []
        rows = self.connection.execute(
            select(
                Audit.id,
                Case.reference,
                Case.id,
                Audit.created_at,
                Audit.allocated_by_id,
                Audit.submitted_at,
                Audit.submitted_by_id,
                Audit.overall_grade,
                Audit.closed_at,
            )
            .join(Case, Case.id == Audit.case_id)
            .order_by(Audit.id)
        )
        for audit_id, reference, case_id, created, by, sent, sender, grade, closed in rows:
            self.event(created, by, "allocated", "audit", audit_id, f"{reference}")
            for user_id in auditors.get(audit_id, ()):
                self.notify(user_id, created, f"New audit: {reference}", "", f"/audits/{audit_id}")
            if sent is not None:
                submitted.append((audit_id, case_id, reference, sent, sender))
                self.event(sent, sender, "saved answers", "audit", audit_id, "revision 1")
                self.event(sent, sender, "submitted", "audit", audit_id, f"overall {grade}")
            if audit_id in moderated:
                self.event(moderated[audit_id], None, "moderated", "audit", audit_id, "moderated")
            if closed is not None:
                self.event(closed, None, "closed", "audit", audit_id, "every action is signed off")
        return submitted

    def actions(self) -> None:
        """Activity and notifications of every live action."""
        rows = self.connection.execute(
            select(
                Action.id,
                Action.owner_id,
                Action.created_at,
                Action.status,
                Action.completed_at,
                Action.signed_off_at,
                Action.signed_off_by_id,
                Team.manager_id,
                Case.reference,
            )
            .join(Audit, Audit.id == Action.audit_id)
            .join(Case, Case.id == Audit.case_id)
            .join(Team, Team.id == Case.team_id)
            .where(Action.status != "draft")
            .order_by(Action.id)
        )
        for action_id, owner, created, _, completed, signed, signer, manager, reference in rows:
            about = f"action from the audit of {reference}"
            self.notify(
                owner, created, f"New action from the audit of {reference}", "", "/actions/"
            )
            if completed is not None:
                self.event(completed, owner, "completed", "action", action_id, about)
                self.notify(
                    manager,
                    completed,
                    "An action is ready for your sign-off",
                    f"An action from the audit of {reference} is completed.",
                    f"/actions/sign-off#action-{action_id}",
                )
            if signed is not None:
                self.event(signed, signer, "signed off", "action", action_id, about)
                self.notify(
                    owner,
                    signed,
                    f"Your action from the audit of {reference} is signed off",
                    "",
                    "/actions/?show=all",
                )

    def concerns(self, submitted: list[tuple]) -> list[dict[str, Any]]:
        """Concerns raised from about :data:`CONCERN_SHARE` of the submitted audits."""
        unit = self.by_role.get(Role.SAFEGUARDING_UNIT.value, [None])[0]
        concern_id = (self.connection.scalar(select(func.max(SafeguardingConcern.id))) or 0) + 1
        rows = []
        for audit_id, case_id, reference, sent, sender in submitted:
            if self.rng.random() >= CONCERN_SHARE:
                continue
            answered = sent + timedelta(days=self.rng.randint(1, 10))
            done = answered < self.now
            rows.append(
                {
                    "id": concern_id,
                    "case_id": case_id,
                    "source_type": "audit",
                    "source_id": str(audit_id),
                    "description": "The file shows an injury that was not followed up.",
                    "raised_by_id": sender,
                    "raised_at": sent,
                    "response": "Strategy discussion held; the plan is updated." if done else "",
                    "responded_by_id": unit if done else None,
                    "responded_at": answered if done else None,
                }
            )
            about = f"about {reference}, from audit {audit_id}"
            self.event(sent, sender, "raised", "safeguarding_concern", concern_id, about)
            self.notify(unit, sent, f"Safeguarding concern about {reference}", "", "/concerns/")
            if done:
                self.event(answered, unit, "responded", "safeguarding_concern", concern_id, about)
            concern_id += 1
        return rows

    def sign_ins(self, first: date, scale: float) -> None:
        """Staff signing in on the working days from *first* to the end."""
        staff = sorted({user for users in self.by_role.values() for user in users})
        day = first
        per_day = max(1, round(SIGN_INS_A_DAY * scale))
        while _at(day) < self.now:
            if day.weekday() < 5:
                for _ in range(per_day):
                    user = self.rng.choice(staff)
                    at = _at(day) + timedelta(seconds=self.rng.randint(8 * 3600, 18 * 3600))
                    self.event(at, user, "signed in", "user", user)
            day += timedelta(days=1)


def write_history(
    connection: Connection,
    write: Callable[[Any, list[dict[str, Any]]], None],
    rng: random.Random,
    first: date,
    now: datetime,
    scale: float,
) -> None:
    """Add the history described in the module notes; *write* bulk-inserts rows into a table."""
    history = History(rng, connection, now)
    submitted = history.audits()
    history.actions()
    write(SafeguardingConcern.__table__, history.concerns(submitted))
    write_reviews(connection, write, history, first)
    history.sign_ins(first, scale)
    history.activity.sort(key=lambda row: row["at"])
    history.notifications.sort(key=lambda row: row["created_at"])
    write(ActivityEntry.__table__, history.activity)
    write(Notification.__table__, history.notifications)
