"""The thematic reviews of the large council: one a quarter over its five years.

:func:`write_reviews` writes the thematic_review plugin's tables as bulk inserts: each
review with its members, question framework, :data:`REVIEW_CASES` cases open on its first
day with the discussion with their social worker, conversations with the families
(consent, their views, a reply when they want one) and a plan whose items link to the
families' feedback; every review endorsed but the last, which is under way. The cases'
case-review audits are not generated. Called by :func:`benchmarks.history.write_history`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

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
from portal.models import Case, Role
from portal.reports.monthly import add_months

if TYPE_CHECKING:
    from benchmarks.history import History

#: Cases in a review, and months between reviews.
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


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


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
