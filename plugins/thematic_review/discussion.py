"""The discussion with each case's social worker: the notice that their attendance is
required, what they said to each of the review's questions, and the question framework the
QA lead edits for the review.

Section 5 of the framework: two auditors discuss each case with its worker "in a reflective
conversation about the child's journey". Nothing changes once the review's report is
endorsed. Every function works in the current transaction and the caller commits; a refusal
raises :class:`ReviewError` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from plugins.thematic_review.models import Question, Review, ReviewCase
from plugins.thematic_review.reviews import (
    ReviewError,
    dates_in_words,
    must_not_be_endorsed,
    record_on,
)
from portal.plugin_api import User, db, notify, utcnow

#: Why nothing more is recorded about a case of a review that is over.
REVIEW_OVER = "The review is over: its report is endorsed"


# The discussion with the social worker --------------------------------------------------


def send_notice(review_case: ReviewCase, user: User) -> list[User]:
    """Tell the case's allocated worker (and their line manager) the review's date and that
    their attendance is required; return who was told."""
    review = review_case.review
    must_not_be_endorsed(review, REVIEW_OVER)
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
    record_on(
        review,
        "notice sent",
        user,
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
    must_not_be_endorsed(review, REVIEW_OVER)
    questions = {question.id for question in review.questions}
    review_case.worker_attended = attended
    review_case.discussion = {
        str(question_id): text.strip()
        for question_id, text in answers.items()
        if question_id in questions and text.strip()
    }
    review_case.discussion_notes = notes.strip()
    record_on(
        review,
        "recorded discussion",
        user,
        summary=f"{review_case.case.reference}: worker {'attended' if attended else 'absent'}",
    )


# The question framework -----------------------------------------------------------------


def _must_not_be_endorsed(review: Review) -> Review:
    must_not_be_endorsed(
        review, "The review's report is endorsed: its questions can no longer change"
    )
    return review


def _review_of(question: Question) -> Review:
    """The question's review, if its questions may still change."""
    return _must_not_be_endorsed(db.session.get(Review, question.review_id))


def _renumber(questions: list[Question]) -> None:
    for number, question in enumerate(questions, 1):
        question.position = number


def add_question(review: Review, text: str, user: User) -> Question:
    """Add a question at the end of the review's framework."""
    _must_not_be_endorsed(review)
    question = Question(text=text.strip(), position=len(review.questions) + 1)
    review.questions.append(question)
    db.session.flush()
    record_on(review, "added question", user, summary=question.text)
    return question


def change_question(question: Question, text: str, user: User) -> None:
    """Change the wording of a question (answers already recorded stay with it)."""
    review = _review_of(question)
    before, question.text = question.text, text.strip()
    if before != question.text:
        record_on(
            review,
            "changed question",
            user,
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
    review = _review_of(question)
    count = answered(question)
    if count:
        raise ReviewError(
            f"Answers to this question are recorded for {count} case"
            f"{'' if count == 1 else 's'}: change its wording instead",
        )
    review.questions.remove(question)
    _renumber(review.questions)
    record_on(review, "removed question", user, before={"question": question.text})


def move_question(question: Question, step: int) -> None:
    """Move a question one place up (*step* -1) or down (+1) in the framework."""
    review = _review_of(question)
    order = list(review.questions)
    index = order.index(question)
    target = index + step
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        _renumber(order)
