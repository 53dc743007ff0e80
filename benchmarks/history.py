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
  tables), each with its members, question framework, 12 cases with the discussion with
  their social worker, conversations with the families (consent, their views, a reply
  when they want one, sometimes a concern), and a plan whose items link to the families'
  feedback; all endorsed but the last, which is under way;
- **activity history**: every audit allocated, submitted, moderated and closed, every
  action completed and signed off, every concern raised and answered, each review's
  creation, and the staff signing in (about 75 sign-ins a working day at scale 1).

The rows given ids here (concerns and the review tables) number from 1 up in tables the
demo council leaves empty; :data:`WITH_IDS` lists them, for PostgreSQL's counters.

The case-review audits of the thematic reviews are not generated (their cases' audit is
left empty, as in a review that has not allocated them yet).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from plugins.thematic_review.models import (
    Conversation,
    FeedbackLink,
    Member,
    PlanItem,
    Question,
    Reply,
    Review,
    ReviewCase,
)
from plugins.thematic_review.reviews import DEFAULT_QUESTIONS
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
from portal.reports.monthly import add_months

#: The tables whose ids are given here (PostgreSQL's counters are moved past them).
WITH_IDS = (SafeguardingConcern, Review, Question, ReviewCase, Conversation, PlanItem)
#: The tables this module fills, for the generator's counts.
COUNTED = (ActivityEntry, Notification, SafeguardingConcern, Review, ReviewCase, Conversation)
#: Sign-ins a working day at scale 1, and the share of audits raising a concern.
SIGN_INS_A_DAY, CONCERN_SHARE = 75, 0.01
REVIEW_CASES, REVIEW_MONTHS = 12, 3
THEMES = (
    "Neglect and the impact of parental mental health",
    "Children missing from education",
    "Domestic abuse: hearing the child's voice",
    "Transitions to adulthood for care leavers",
    "Contextual safeguarding and exploitation",
    "Pre-birth assessments",
)
VIEWS = (
    "The social worker listened and came when she said she would.",
    "We had three workers in a year and had to tell our story every time.",
    "The family group conference helped us make our own plan.",
    "I didn't understand the letters; someone explaining them would have helped.",
)
PLAN_ACTIONS = (
    ("Introduce a plain-English letter for families at the start", "Letters in use, audited"),
    ("Keep one worker from assessment to plan where possible", "Changes of worker halved"),
    ("Record the child's words in every visit note", "Seen in 80% of audited files"),
    ("Offer a family group conference before any child protection plan", "Offers recorded"),
)


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


def write_reviews(connection: Connection, write: Callable, history: History, first: date) -> None:
    """One thematic review a quarter from *first*, with everything a review holds."""
    rng, now = history.rng, history.now
    unit = history.by_role.get(Role.SAFEGUARDING_UNIT.value, [])[:1]
    qa_lead = history.by_role[Role.QA_LEAD.value][0]
    managers = history.by_role.get(Role.TEAM_MANAGER.value, [])
    cases = connection.execute(
        select(Case.id, Case.opened_on, Case.closed_on, Case.allocated_worker_id).order_by(Case.id)
    ).all()
    tables: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "reviews",
            "members",
            "questions",
            "cases",
            "talks",
            "replies",
            "plan",
            "links",
        )
    }
    day, review_id, question_id, case_row_id, talk_id, item_id = first, 1, 1, 1, 1, 1
    while _at(day) < now and unit:
        first_day = day + timedelta(days=14)
        last = _at(first_day + timedelta(days=REVIEW_MONTHS * 30)) >= now
        tables["reviews"].append(
            {
                "id": review_id,
                "theme": rng.choice(THEMES),
                "first_day": first_day,
                "second_day": first_day + timedelta(days=1),
                "venue": "Civic Centre, Room 2",
                "lead_id": unit[0],
                "qa_lead_id": qa_lead,
                "seed": rng.randrange(10**6),
                "status": "under_way" if last else "endorsed",
                "findings": "" if last else "Plans are clearer where the family shaped them.",
                "recommendations": ""
                if last
                else "Plain-English letters; fewer changes of worker.",
                "family_voice": "" if last else rng.choice(VIEWS),
                "endorsed_by_id": None if last else unit[0],
                "endorsed_at": None if last else _at(first_day + timedelta(days=40)),
                "created_by_id": qa_lead,
                "created_at": _at(day),
            }
        )
        team = {unit[0], qa_lead, *rng.sample(managers, min(4, len(managers)))}
        tables["members"] += [{"review_id": review_id, "user_id": user} for user in sorted(team)]
        asked = list(range(question_id, question_id + len(DEFAULT_QUESTIONS)))
        tables["questions"] += [
            {"id": number, "review_id": review_id, "position": position, "text": text}
            for position, (number, text) in enumerate(zip(asked, DEFAULT_QUESTIONS, strict=True))
        ]
        question_id += len(asked)
        open_then = [
            row for row in cases if row[1] <= first_day and (row[2] or first_day) >= first_day
        ]
        links = []
        for case_id, *_rest in rng.sample(open_then, min(REVIEW_CASES, len(open_then))):
            tables["cases"].append(
                {
                    "id": case_row_id,
                    "review_id": review_id,
                    "case_id": case_id,
                    "chosen_reason": "",
                    "audit_id": None,
                    "worker_notified_at": _at(day),
                    "worker_attended": rng.random() < 0.85,
                    "discussion": {str(number): rng.choice(VIEWS) for number in asked},
                    "discussion_notes": "The worker described the plan and what got in the way.",
                }
            )
            for _ in range(rng.choice((0, 1, 1, 2))):
                given = rng.random() < 0.8
                wants = given and rng.random() < 0.4
                tables["talks"].append(
                    {
                        "id": talk_id,
                        "review_case_id": case_row_id,
                        "client_key": f"bench-{talk_id}",
                        "consent": "given" if given else "refused",
                        "consent_by": "Parent" if given else "",
                        "consent_how": "verbal" if given else "",
                        "participants": ["parent", "child"] if given else [],
                        "child_age_band": rng.choice(("under_5", "5_10", "11_15")) if given else "",
                        "views_of_service": rng.choice(VIEWS) if given else "",
                        "what_helped": "Being listened to." if given else "",
                        "what_did_not_help": "Waiting for calls back." if given else "",
                        "ideas": "A named person to call." if given else "",
                        "wants_reply": wants,
                        "concern_id": None,
                        "captured_by_id": rng.choice(sorted(team)),
                        "captured_at": _at(first_day) + timedelta(hours=rng.randint(9, 16)),
                    }
                )
                if wants:
                    tables["replies"].append(
                        {
                            "conversation_id": talk_id,
                            "body": "You said letters were hard to follow; we rewrote them.",
                            "sent_on": None if last else first_day + timedelta(days=45),
                            "sent_by_id": None if last else qa_lead,
                            "updated_at": _at(first_day + timedelta(days=45)),
                        }
                    )
                if given:
                    links.append(talk_id)
                talk_id += 1
            case_row_id += 1
        for action, measure in rng.sample(PLAN_ACTIONS, 3):
            due = first_day + timedelta(days=rng.randint(60, 180))
            done = not last and _at(due) < now and rng.random() < 0.8
            tables["plan"].append(
                {
                    "id": item_id,
                    "review_id": review_id,
                    "action": action,
                    "owner_id": rng.choice(sorted(team)),
                    "measure": measure,
                    "due_on": due,
                    "status": "done" if done else "open",
                    "progress": "Done and checked in the next audits." if done else "",
                    "completed_at": _at(due) if done else None,
                    "created_at": _at(first_day + timedelta(days=30)),
                }
            )
            tables["links"] += [
                {"conversation_id": talk, "plan_item_id": item_id} for talk in links[:2]
            ]
            links = links[2:]
            item_id += 1
        history.event(day, qa_lead, "created", "thematic_review", review_id, "review planned")
        review_id += 1
        day = add_months(day, REVIEW_MONTHS)
    for model, name in (
        (Review, "reviews"),
        (Member, "members"),
        (Question, "questions"),
        (ReviewCase, "cases"),
        (Conversation, "talks"),
        (Reply, "replies"),
        (PlanItem, "plan"),
        (FeedbackLink, "links"),
    ):
        write(model.__table__, tables[name])
