"""The cases of a review: drawn at random (seeded) or chosen by hand with a reason, taken
out again, and paired with two of the review's members, who review each one together; and
how the actions of those case reviews progress.

Cases and pairs change only while the review is being planned. Every function works in the
current transaction and the caller commits; a refusal raises :class:`ReviewError` and
changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import exists, func, select

from plugins.thematic_review.models import Conversation, Review, ReviewCase
from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.reviews import ReviewError, must_be_planning, pair_of, record_on
from portal.plugin_api import (
    Action,
    Audit,
    CandidateCase,
    Case,
    CaseType,
    ThemeFilter,
    User,
    allocate,
    candidate_cases,
    conflict_for,
    db,
    recently_audited,
)

#: The largest seed a review keeps (its column is a 32-bit integer).
LARGEST_SEED = 2**31 - 1


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
    must_be_planning(review)
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
    record_on(
        review,
        "drew cases",
        user,
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
    must_be_planning(review)
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
    record_on(
        review,
        "chose case",
        user,
        summary=f"{case.reference} chosen by hand",
        after={"case": case.reference, "reason": reason},
    )
    return review_case


def remove_case(review_case: ReviewCase, user: User) -> None:
    """Take a case out of a review that is still being planned, before it is paired and
    before anyone has spoken to its family (what a family said is a record: it stays)."""
    review = review_case.review
    must_be_planning(review)
    reference = review_case.case.reference
    if review_case.audit is not None:
        raise ReviewError(
            f"The case review of {reference} is allocated to its pair: the case stays in the review"
        )
    spoken_to = exists().where(Conversation.review_case_id == review_case.id)
    if db.session.scalar(select(spoken_to)):
        raise ReviewError(
            f"{reference} cannot be removed: a family conversation has been recorded for it, "
            "and what the family said stays on record"
        )
    review.cases.remove(review_case)
    record_on(
        review,
        "removed case",
        user,
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
    must_be_planning(review)
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
    record_on(
        review,
        "paired",
        user,
        summary=f"{reference}: {first.name} and {second.name}",
        after={"case": reference, "audit": audit.id, "pair": [first.email, second.email]},
    )
    return audit


# How the case reviews' actions progress ----------------------------------------------


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
