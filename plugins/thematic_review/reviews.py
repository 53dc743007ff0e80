"""The reviews: set-up, cases (drawn or chosen), pairs, the discussion with the social worker,
the final report and its endorsement.

Section 5 of the framework: the QA and Audit Lead "co-ordinates each review, arranging the
date, venue, case selection, audit tool and confirming membership of each group. A minimum
of 12 cases should be reviewed at each session over a 1 or 2 day period." The Safeguarding
Unit leads each review and endorses its report.

A review is *planning* while the QA lead sets it up, *under way* once started (at least 12
cases, every case paired), and *endorsed* once the safeguarding unit endorses its report
(the report is then read-only). Every function works in the current transaction and the
caller commits; a refusal raises :class:`ReviewError` and changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, or_, select

from plugins.thematic_review.models import (
    Conversation,
    Member,
    Question,
    Reply,
    Review,
    ReviewCase,
)
from plugins.thematic_review.process import THEMATIC_REVIEW
from portal.activity import record
from portal.audits.service import allocate
from portal.extensions import db
from portal.models import (
    Action,
    Audit,
    Case,
    CaseType,
    Role,
    SafeguardingConcern,
    User,
    UserRole,
)
from portal.notify import notify
from portal.scheduling.selection import CandidateCase, ThemeFilter, recently_audited
from portal.scheduling.service import candidate_cases, conflict_for
from portal.timeutil import utcnow

#: "A minimum of 12 cases should be reviewed at each session."
MINIMUM_CASES = 12
#: "A qualitative thematic practice review takes place every 3 months."
MONTHS_BETWEEN_REVIEWS = 3
#: The largest seed a review keeps (its column is a 32-bit integer).
LARGEST_SEED = 2**31 - 1
#: Roles that never review cases in a thematic review: administrators see no case content;
#: partner-agency auditors complete the audits allocated to them and see nothing else.
NOT_REVIEWERS = frozenset({Role.ADMIN.value, Role.PARTNER_AUDITOR.value})

#: The question framework every new review starts with; the QA lead edits it per review.
DEFAULT_QUESTIONS = (
    "What were you trying to achieve for the child?",
    "What difference has your work made for the child?",
    "What got in the way?",
    "What support did you get from your manager?",
    "What would you do differently?",
    "What does the child say about our help?",
)


class Status(StrEnum):
    """Where a review is."""

    PLANNING = "planning"
    UNDER_WAY = "under_way"
    ENDORSED = "endorsed"

    @property
    def label(self) -> str:
        """The status as staff read it."""
        return {
            "planning": "Planning",
            "under_way": "Under way",
            "endorsed": "Report endorsed",
        }[self.value]


class ReviewError(ValueError):
    """Something that cannot be done, with a message for the person and the field it is about
    (the html id the error summary links to)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ReviewDetails:
    """What the QA lead types to set up (or change) a review."""

    theme: str
    first_day: date
    second_day: date | None
    venue: str
    lead: User
    qa_lead: User
    members: Sequence[User]


# People ---------------------------------------------------------------------------------


def people_with(role: Role) -> list[User]:
    """Every active holder of *role*, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role.value, User.active)
            .order_by(User.name, User.id)
        )
    )


def staff() -> list[User]:
    """Everyone who may be a member of a review: active staff of children's services at
    every level (not administrators or partner-agency auditors), by name."""
    people = db.session.scalars(select(User).where(User.active).order_by(User.name, User.id))
    return [person for person in people if {role.value for role in person.roles} - NOT_REVIEWERS]


def status_of(review: Review) -> Status:
    """The review's status as an enum member."""
    return Status(review.status)


def dates_in_words(review: Review) -> str:
    """The dates as people say them: 3 February 2027, or 3 and 4 February 2027."""
    first, second = review.first_day, review.second_day
    if second is None:
        return f"{first:%-d %B %Y}"
    if (first.year, first.month) == (second.year, second.month):
        return f"{first:%-d} and {second:%-d %B %Y}"
    if first.year == second.year:
        return f"{first:%-d %B} and {second:%-d %B %Y}"
    return f"{first:%-d %B %Y} and {second:%-d %B %Y}"


def members_of(review: Review) -> list[User]:
    """The review's members, by name."""
    return sorted((member.user for member in review.members), key=lambda u: (u.name, u.id))


def pair_of(review_case: ReviewCase) -> list[User]:
    """The two auditors of the case's review, by name (empty until paired)."""
    if review_case.audit is None:
        return []
    return sorted(review_case.audit.auditors, key=lambda person: (person.name, person.id))


# Setting a review up --------------------------------------------------------------------


def _member_ids(details: ReviewDetails) -> list[int]:
    ids = [person.id for person in (details.lead, details.qa_lead, *details.members)]
    return list(dict.fromkeys(ids))


def _summary(review: Review) -> dict:
    return {
        "theme": review.theme,
        "first_day": review.first_day.isoformat(),
        "second_day": review.second_day.isoformat() if review.second_day else None,
        "venue": review.venue,
        "lead": review.lead_id,
        "qa_lead": review.qa_lead_id,
        "members": sorted(member.user_id for member in review.members),
    }


def _tell_new_members(review: Review, people: Iterable[User], user: User) -> None:
    notify(
        [person for person in people if person.id != user.id],
        f"Thematic review: {review.theme}",
        f"You are a member of the thematic review of {review.theme}, on "
        f"{dates_in_words(review)} at {review.venue}. Cases are reviewed in pairs.",
        f"/thematic_review/{review.id}",
    )


def create_review(details: ReviewDetails, user: User) -> Review:
    """Set up a review with the default question framework; the lead and the QA lead are
    members too. The members are told."""
    review = Review(
        theme=details.theme,
        first_day=details.first_day,
        second_day=details.second_day,
        venue=details.venue,
        lead_id=details.lead.id,
        qa_lead_id=details.qa_lead.id,
        status=Status.PLANNING.value,
        created_by_id=user.id,
    )
    review.members = [Member(user_id=person_id) for person_id in _member_ids(details)]
    review.questions = [
        Question(position=number, text=text) for number, text in enumerate(DEFAULT_QUESTIONS, 1)
    ]
    db.session.add(review)
    db.session.flush()
    record(
        "created",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"Thematic review: {review.theme}",
        after=_summary(review),
    )
    _tell_new_members(review, [details.lead, details.qa_lead, *details.members], user)
    return review


def update_review(review: Review, details: ReviewDetails, user: User) -> None:
    """Change a review's theme, dates, venue, lead, QA lead or members.

    Someone who audits one of its cases stays a member. New members are told.
    """
    if status_of(review) is Status.ENDORSED:
        raise ReviewError("The review's report is endorsed: the review can no longer change")
    wanted = set(_member_ids(details))
    for review_case in review.cases:
        for person in pair_of(review_case):
            if person.id not in wanted:
                raise ReviewError(
                    f"{person.name} reviews case {review_case.case.reference}, so stays a member",
                    "members",
                )
    before = _summary(review)
    held = {member.user_id for member in review.members}
    review.theme = details.theme
    review.first_day = details.first_day
    review.second_day = details.second_day
    review.venue = details.venue
    review.lead_id = details.lead.id
    review.qa_lead_id = details.qa_lead.id
    review.members = [m for m in review.members if m.user_id in wanted] + [
        Member(user_id=person_id) for person_id in _member_ids(details) if person_id not in held
    ]
    db.session.flush()
    after = _summary(review)
    changed = [key for key in after if before[key] != after[key]]
    if changed:
        record(
            "changed",
            "thematic_review",
            review.id,
            actor_id=user.id,
            summary=f"Thematic review: {review.theme}",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    newcomers = {p.id: p for p in (details.lead, details.qa_lead, *details.members)}
    _tell_new_members(
        review, [person for person_id, person in newcomers.items() if person_id not in held], user
    )


def _must_be_planning(review: Review) -> None:
    if status_of(review) is not Status.PLANNING:
        raise ReviewError("The review has started: its cases and pairs can no longer change")


# Cases ----------------------------------------------------------------------------------


def eligible_cases(review: Review, rules: ThemeFilter, today: date) -> list[CandidateCase]:
    """The cases a draw for *review* may pick: open, of the case review's services and case
    types, within *rules*, not audited in the 12 months before *today*, not already in the
    review; in a fixed order (by id), so that a seed always picks the same ones."""
    taken = {review_case.case_id for review_case in review.cases}
    return sorted(
        (
            case
            for case in candidate_cases()
            if case.case_type in THEMATIC_REVIEW.case_types
            and case.service_code in THEMATIC_REVIEW.services
            and rules.admits_case(case)
            and not recently_audited(case, today)
            and case.id not in taken
        ),
        key=lambda case: case.id,
    )


def draw_cases(
    review: Review, rules: ThemeFilter, count: int, seed: int, user: User, today: date
) -> list[ReviewCase]:
    """Add *count* cases drawn at random with *seed* from the cases *rules* admit.

    The seed is kept on the review and the filter in the activity history: the same seed on
    the same cases draws the same cases again.
    """
    _must_be_planning(review)
    if not 0 <= seed <= LARGEST_SEED:
        raise ReviewError(f"The seed must be a whole number up to {LARGEST_SEED}", "seed")
    pool = eligible_cases(review, rules, today)
    if not pool:
        raise ReviewError(
            "No open case matches the filter that was not audited in the last 12 months and "
            "is not already in the review: widen the filter",
            "case_types",
        )
    if len(pool) < count:
        raise ReviewError(
            f"Only {len(pool)} open case{'' if len(pool) == 1 else 's'} match the filter and "
            f"were not audited in the last 12 months: draw {len(pool)} or fewer, or widen the "
            "filter",
            "count",
        )
    drawn = random.Random(seed).sample(pool, count)
    review.seed = seed
    added = [ReviewCase(case_id=case.id) for case in drawn]
    review.cases.extend(added)
    db.session.flush()
    record(
        "drew cases",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{count} cases drawn with seed {seed}",
        after={
            "seed": seed,
            "case_types": list(rules.case_types),
            "service_codes": list(rules.service_codes),
            "team_ids": list(rules.team_ids),
            "cases": [case.reference for case in drawn],
        },
    )
    return added


def choose_case(review: Review, reference: str, reason: str, user: User) -> ReviewCase:
    """Add the case *reference*, chosen by hand with a *reason* (it may have been audited in
    the last 12 months: the reason says why it is reviewed again)."""
    _must_be_planning(review)
    reference, reason = reference.strip(), reason.strip()
    if not reference:
        raise ReviewError("Enter the case reference", "reference")
    case = db.session.scalar(select(Case).where(func.upper(Case.reference) == reference.upper()))
    if case is None:
        raise ReviewError(f"No case has the reference {reference}", "reference")
    if case.case_type not in THEMATIC_REVIEW.case_types:
        raise ReviewError(
            f"{case.reference} is a {CaseType(case.case_type).label} case: thematic reviews look "
            "at Children's Social Care and Early Help cases",
            "reference",
        )
    if not case.is_open:
        raise ReviewError(f"{case.reference} is closed: choose an open case", "reference")
    if any(review_case.case_id == case.id for review_case in review.cases):
        raise ReviewError(f"{case.reference} is already in this review", "reference")
    if not reason:
        raise ReviewError("Give the reason for choosing this case", "reason")
    review_case = ReviewCase(case=case, chosen_reason=reason)
    review.cases.append(review_case)
    db.session.flush()
    record(
        "chose case",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{case.reference} chosen by hand",
        after={"case": case.reference, "reason": reason},
    )
    return review_case


def remove_case(review_case: ReviewCase, user: User) -> None:
    """Take a case out of a review that is still being planned, before it is paired."""
    review = review_case.review
    _must_be_planning(review)
    if review_case.audit is not None:
        raise ReviewError(
            f"The case review of {review_case.case.reference} is allocated to its pair: the "
            "case stays in the review"
        )
    reference = review_case.case.reference
    review.cases.remove(review_case)
    record(
        "removed case",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{reference} taken out of the review",
        before={"case": reference},
    )


# Pairs ----------------------------------------------------------------------------------


def pair_auditors(
    review_case: ReviewCase, first: User | None, second: User | None, user: User, today: date
) -> Audit:
    """Pair two of the review's members to review the case: a joint audit with the case review
    form, allocated to both (either may edit; each records their own judgement).

    Nobody reviews a case they hold or one from a team they manage. The audit is allocated on
    the review's first day (today, if that has passed), so it is due 10 working days later.
    """
    review = review_case.review
    _must_be_planning(review)
    reference = review_case.case.reference
    if review_case.audit is not None:
        names = " and ".join(person.name for person in pair_of(review_case))
        raise ReviewError(f"{reference} is already paired: {names}", "first")
    if first is None:
        raise ReviewError("Choose the first auditor", "first")
    if second is None:
        raise ReviewError("Choose the second auditor", "second")
    if first.id == second.id:
        raise ReviewError(
            f"Choose two different people: {first.name} cannot pair with themselves", "second"
        )
    member_ids = {member.user_id for member in review.members}
    for person, field in ((first, "first"), (second, "second")):
        if person.id not in member_ids:
            raise ReviewError(f"{person.name} is not a member of this review", field)
        problem = conflict_for(review_case.case, person)
        if problem:
            raise ReviewError(f"{problem}: choose another auditor", field)
    audit = allocate(
        review_case.case,
        THEMATIC_REVIEW,
        [first, second],
        allocated_by=user,
        allocated_on=max(today, review.first_day),
        reason=f"Thematic review: {review.theme}",
    )
    review_case.audit = audit
    record(
        "paired",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{reference}: {first.name} and {second.name}",
        after={"case": reference, "audit": audit.id, "pair": [first.email, second.email]},
    )
    return audit


def start_review(review: Review, user: User) -> None:
    """Start the review: at least 12 cases, every one of them paired. Its members are told."""
    _must_be_planning(review)
    if len(review.cases) < MINIMUM_CASES:
        raise ReviewError(
            f"A review needs at least {MINIMUM_CASES} cases: this one has {len(review.cases)}",
            "cases",
        )
    unpaired = [rc.case.reference for rc in review.cases if rc.audit is None]
    if unpaired:
        raise ReviewError(f"Pair the auditors of every case first: {', '.join(unpaired)}", "cases")
    review.status = Status.UNDER_WAY.value
    record(
        "started",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"Thematic review: {review.theme}, {len(review.cases)} cases",
    )
    notify(
        [person for person in members_of(review) if person.id != user.id],
        f"Thematic review under way: {review.theme}",
        f"The thematic review of {review.theme} is under way: {len(review.cases)} cases on "
        f"{dates_in_words(review)} at {review.venue}.",
        f"/thematic_review/{review.id}",
    )


# The discussion with the social worker --------------------------------------------------


def send_notice(review_case: ReviewCase, user: User) -> list[User]:
    """Tell the case's allocated worker (and their line manager) the review's date and that
    their attendance is required; return who was told."""
    review = review_case.review
    if status_of(review) is Status.ENDORSED:
        raise ReviewError("The review is over: its report is endorsed")
    case = review_case.case
    worker = case.allocated_worker
    if worker is None or not worker.active:
        raise ReviewError(f"{case.reference} has no allocated worker to tell")
    told = [person for person in (worker, worker.line_manager) if person and person.active]
    notify(
        told,
        f"Thematic review of case {case.reference}: your attendance is required",
        f"Case {case.reference}, held by {worker.name}, is one of the cases of the thematic "
        f"review of {review.theme} on {dates_in_words(review)} at {review.venue}. "
        f"{worker.name}'s attendance is required: two auditors will discuss the case with "
        "them, using the review's questions, in a reflective conversation about the child's "
        "journey. There is also a feedback session with all social workers and managers.",
    )
    review_case.worker_notified_at = utcnow()
    record(
        "notice sent",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{case.reference}: {' and '.join(person.name for person in told)} told",
    )
    return told


def record_discussion(
    review_case: ReviewCase,
    attended: bool,
    answers: Mapping[int, str],
    notes: str,
    user: User,
) -> None:
    """Record whether the worker attended and what they said to each of the review's
    questions, with the auditors' notes."""
    review = review_case.review
    if status_of(review) is Status.ENDORSED:
        raise ReviewError("The review is over: its report is endorsed")
    questions = {question.id for question in review.questions}
    review_case.worker_attended = attended
    review_case.discussion = {
        str(question_id): text.strip()
        for question_id, text in answers.items()
        if question_id in questions and text.strip()
    }
    review_case.discussion_notes = notes.strip()
    record(
        "recorded discussion",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"{review_case.case.reference}: worker {'attended' if attended else 'absent'}",
    )


# The question framework -----------------------------------------------------------------


def _must_not_be_endorsed(review: Review) -> None:
    if status_of(review) is Status.ENDORSED:
        raise ReviewError("The review's report is endorsed: its questions can no longer change")


def _renumber(review: Review) -> None:
    for number, question in enumerate(review.questions, 1):
        question.position = number


def add_question(review: Review, text: str, user: User) -> Question:
    """Add a question at the end of the review's framework."""
    _must_not_be_endorsed(review)
    question = Question(text=text.strip(), position=len(review.questions) + 1)
    review.questions.append(question)
    db.session.flush()
    record(
        "added question",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=question.text,
    )
    return question


def change_question(question: Question, text: str, user: User) -> None:
    """Change the wording of a question (answers already recorded stay with it)."""
    review = db.session.get(Review, question.review_id)
    _must_not_be_endorsed(review)
    before, question.text = question.text, text.strip()
    if before != question.text:
        record(
            "changed question",
            "thematic_review",
            review.id,
            actor_id=user.id,
            before={"question": before},
            after={"question": question.text},
        )


def answered(question: Question) -> int:
    """How many of the review's cases have an answer recorded to *question*."""
    key = str(question.id)
    return sum(
        1
        for review_case in db.session.scalars(
            select(ReviewCase).where(ReviewCase.review_id == question.review_id)
        )
        if (review_case.discussion or {}).get(key)
    )


def remove_question(question: Question, user: User) -> None:
    """Take a question out of the framework, unless answers are recorded to it."""
    review = db.session.get(Review, question.review_id)
    _must_not_be_endorsed(review)
    count = answered(question)
    if count:
        raise ReviewError(
            f"Answers to this question are recorded for {count} case"
            f"{'' if count == 1 else 's'}: change its wording instead",
        )
    review.questions.remove(question)
    _renumber(review)
    record(
        "removed question",
        "thematic_review",
        review.id,
        actor_id=user.id,
        before={"question": question.text},
    )


def move_question(question: Question, step: int) -> None:
    """Move a question one place up (*step* -1) or down (+1) in the framework."""
    review = db.session.get(Review, question.review_id)
    _must_not_be_endorsed(review)
    order = list(review.questions)
    index = order.index(question)
    target = index + step
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        for number, each in enumerate(order, 1):
            each.position = number


# The report -----------------------------------------------------------------------------


def write_report(
    review: Review, findings: str, recommendations: str, family_voice: str, user: User
) -> None:
    """Save the report's findings, recommendations and family voice themes (the QA lead)."""
    if status_of(review) is Status.ENDORSED:
        raise ReviewError("The report is endorsed: it can no longer change")
    before = {
        "findings": review.findings,
        "recommendations": review.recommendations,
        "family_voice": review.family_voice,
    }
    review.findings = findings.strip()
    review.recommendations = recommendations.strip()
    review.family_voice = family_voice.strip()
    changed = [key for key, text in before.items() if getattr(review, key) != text]
    if changed:
        record(
            "wrote report",
            "thematic_review",
            review.id,
            actor_id=user.id,
            summary=f"Changed: {', '.join(key.replace('_', ' ') for key in changed)}",
        )


def endorse(review: Review, user: User) -> None:
    """The safeguarding unit endorses the report: recorded, and read-only from now on."""
    status = status_of(review)
    if status is Status.ENDORSED:
        raise ReviewError("The report is already endorsed")
    if status is Status.PLANNING:
        raise ReviewError("The review has not started: there is no report to endorse yet")
    if not review.findings or not review.recommendations:
        raise ReviewError(
            "The report needs its findings and recommendations before it can be endorsed"
        )
    review.status = Status.ENDORSED.value
    review.endorsed_by_id = user.id
    review.endorsed_at = utcnow()
    record(
        "endorsed",
        "thematic_review",
        review.id,
        actor_id=user.id,
        summary=f"The report of the thematic review of {review.theme}",
    )
    notify(
        [person for person in members_of(review) if person.id != user.id],
        f"Thematic review report endorsed: {review.theme}",
        f"{user.name} endorsed the report of the thematic review of {review.theme}.",
        f"/thematic_review/{review.id}",
    )


def family_counts(review: Review) -> dict[str, int]:
    """The family conversations of the review's cases, counted: conversations, consents,
    refusals, families who want a written reply, and replies sent."""
    rows = db.session.execute(
        select(Conversation.consent, Conversation.wants_reply, func.count(Conversation.id))
        .join(ReviewCase, Conversation.review_case_id == ReviewCase.id)
        .where(ReviewCase.review_id == review.id)
        .group_by(Conversation.consent, Conversation.wants_reply)
    ).all()
    consent: Counter[str] = Counter()
    wanting = 0
    for given, wants_reply, count in rows:
        consent[given] += count
        wanting += count if wants_reply and given == "given" else 0
    sent = db.session.scalar(
        select(func.count(Reply.id))
        .join(Conversation, Reply.conversation_id == Conversation.id)
        .join(ReviewCase, Conversation.review_case_id == ReviewCase.id)
        .where(ReviewCase.review_id == review.id, Reply.sent_on.is_not(None))
    )
    return {
        "conversations": sum(consent.values()),
        "consents": consent["given"],
        "refusals": consent["refused"],
        "wanting_reply": wanting,
        "replies_sent": sent or 0,
    }


def concern_source(concern: SafeguardingConcern) -> str:
    """Where a concern was raised, in words: an audit, a family conversation, or elsewhere."""
    if concern.source_type == "audit":
        return "An audit"
    if concern.source_type.endswith("conversation"):
        return "A family conversation"
    return concern.source_type.replace("_", " ").capitalize()


def escalations(review: Review) -> list[SafeguardingConcern]:
    """The safeguarding concerns raised about the review's cases since it was set up."""
    case_ids = [review_case.case_id for review_case in review.cases]
    if not case_ids:
        return []
    return list(
        db.session.scalars(
            select(SafeguardingConcern)
            .where(
                SafeguardingConcern.case_id.in_(case_ids),
                SafeguardingConcern.raised_at >= review.created_at,
            )
            .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
        )
    )


def action_progress(audit_ids: Iterable[int]) -> dict[int, Counter[str]]:
    """For each audit, how many of its actions are open, completed and signed off (drafts,
    written before the audit is submitted, are not counted)."""
    ids = list(audit_ids)
    progress: dict[int, Counter[str]] = {audit_id: Counter() for audit_id in ids}
    if ids:
        for audit_id, status, count in db.session.execute(
            select(Action.audit_id, Action.status, func.count(Action.id))
            .where(Action.audit_id.in_(ids), Action.status != "draft")
            .group_by(Action.audit_id, Action.status)
        ):
            progress[audit_id][status] = count
    return progress


# Who sees which reviews -----------------------------------------------------------------


def reviews_for(user: User) -> list[Review]:
    """The reviews *user* may see (all of them for the QA lead and the safeguarding unit),
    latest first."""
    query = select(Review).order_by(Review.first_day.desc(), Review.id.desc())
    if not user.has_role(Role.QA_LEAD, Role.SAFEGUARDING_UNIT):
        member_of = select(Member.review_id).where(Member.user_id == user.id)
        query = query.where(
            or_(Review.id.in_(member_of), Review.lead_id == user.id, Review.qa_lead_id == user.id)
        )
    return list(db.session.scalars(query))


def is_member_of_any(user: User) -> bool:
    """True when *user* is a member of at least one review."""
    return (
        db.session.scalar(select(Member.review_id).where(Member.user_id == user.id).limit(1))
        is not None
    )


def rhythm(today: date) -> str:
    """The quarterly rhythm in a sentence: when the last review was held and when the next
    one is due."""
    last = db.session.scalar(select(func.max(Review.first_day)).where(Review.first_day <= today))
    planned = db.session.scalar(select(func.min(Review.first_day)).where(Review.first_day > today))
    parts = ["A thematic review takes place every 3 months, on a theme the heads of service agree."]
    if last is None:
        parts.append("No review has been held yet.")
    else:
        index = last.year * 12 + last.month - 1 + MONTHS_BETWEEN_REVIEWS
        due = date(index // 12, index % 12 + 1, 1)
        parts.append(f"The last was held on {last:%-d %B %Y}; the next is due in {due:%B %Y}.")
    if planned is not None:
        parts.append(f"The next planned review is on {planned:%-d %B %Y}.")
    return " ".join(parts)
