"""The pages of the discussion with each social worker: the review's question framework (the
QA lead adds, rewords, removes and orders the questions), a case's page, the notice to its
worker (one case, or every case at once) and the record of the discussion.

The pair of a case and the QA lead send its notice and record its discussion; nothing
changes once the review's report is endorsed (409). Bad input shows the GOV.UK error summary
with status 400 and changes nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from plugins.thematic_review import access, cases, discussion, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.inputs import LONG_TEXT_LIMIT, field_text, text_problem, too_long
from plugins.thematic_review.models import Question, Review, ReviewCase
from plugins.thematic_review.reviews import ReviewError, Status
from plugins.thematic_review.views.reviews import still_open
from plugins.thematic_review.views.shared import error_summary, page_title, saved
from portal.plugin_api import Role, db, roles_required
from portal.plugin_api import can_view as can_view_audit

#: The longest question of the framework.
QUESTION_LIMIT = 500


# The question framework -----------------------------------------------------------------


def _questions_page(review: Review, field_errors: dict | None = None, typed: dict | None = None):
    field_errors = field_errors or {}
    return render_template(
        "thematic_review/reviews/questions.html",
        title=page_title("Questions for the social workers", field_errors),
        review=review,
        field_errors=field_errors,
        typed=typed or {},
        problems=error_summary(field_errors),
    ), 400 if field_errors else 200


def _question_text() -> tuple[str, str | None]:
    text = field_text(request.form, "text")
    return text, text_problem(text, QUESTION_LIMIT, "Enter the question")


def _editable_question(review_id: int, question_id: int) -> tuple[Review, Question]:
    review = still_open(access.review_or_404(review_id, current_user))
    return review, access.in_review_or_404(Question, question_id, review)


def _back_to_questions(review: Review, message: str):
    return saved(message, url_for("thematic_review.review_questions", review_id=review.id))


@bp.route("/<int:review_id>/questions", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def review_questions(review_id: int):
    """The questions of the discussion with each social worker: add one (POST)."""
    review = still_open(access.review_or_404(review_id, current_user))
    if request.method == "POST":
        text, error = _question_text()
        if error:
            return _questions_page(review, {"new-question": error}, {"new-question": text})
        discussion.add_question(review, text, current_user)
        return _back_to_questions(review, "The question is added.")
    return _questions_page(review)


@bp.post("/<int:review_id>/questions/<int:question_id>")
@roles_required(Role.QA_LEAD)
def change_review_question(review_id: int, question_id: int):
    """Change the wording of a question."""
    review, question = _editable_question(review_id, question_id)
    field = f"question-{question.id}"
    text, error = _question_text()
    if error:
        return _questions_page(review, {field: error}, {field: text})
    discussion.change_question(question, text, current_user)
    return _back_to_questions(review, "The question is changed.")


@bp.post("/<int:review_id>/questions/<int:question_id>/remove")
@roles_required(Role.QA_LEAD)
def remove_review_question(review_id: int, question_id: int):
    """Take a question out of the framework (not one with answers recorded)."""
    review, question = _editable_question(review_id, question_id)
    try:
        discussion.remove_question(question, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _questions_page(review, {f"question-{question.id}": str(error)})
    return _back_to_questions(review, "The question is removed.")


@bp.post("/<int:review_id>/questions/<int:question_id>/move")
@roles_required(Role.QA_LEAD)
def move_review_question(review_id: int, question_id: int):
    """Move a question up or down the framework."""
    review, question = _editable_question(review_id, question_id)
    direction = request.form.get("direction")
    if direction not in {"up", "down"}:
        abort(400)
    discussion.move_question(question, -1 if direction == "up" else 1)
    db.session.commit()
    return redirect(
        url_for("thematic_review.review_questions", review_id=review.id, _anchor=f"q{question.id}")
    )


# A case, the notice to its worker and the discussion with them --------------------------


def _case_page(
    review: Review,
    review_case: ReviewCase,
    field_errors: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
):
    field_errors = field_errors or {}
    progress = cases.action_progress([review_case.audit_id] if review_case.audit_id else [])
    return render_template(
        "thematic_review/reviews/case.html",
        title=page_title(f"Case {review_case.case.reference}: {review.theme}", field_errors),
        review=review,
        review_case=review_case,
        pair=reviews.pair_of(review_case),
        progress=progress.get(review_case.audit_id),
        may_view_audit=review_case.audit is not None
        and can_view_audit(current_user, review_case.audit),
        may_record=access.can_record_discussion(current_user, review_case)
        and reviews.status_of(review) is not Status.ENDORSED,
        field_errors=field_errors,
        typed=typed,
        problems=error_summary(field_errors),
    ), status


def _back_to_case(review: Review, review_case: ReviewCase, message: str):
    return saved(
        message,
        url_for(
            "thematic_review.review_case_page", review_id=review.id, review_case_id=review_case.id
        ),
    )


@bp.route("/<int:review_id>/cases/<int:review_case_id>")
def review_case_page(review_id: int, review_case_id: int):
    """A case of the review: its pair and case review, the notice to the worker and the
    discussion with them."""
    review = access.review_or_404(review_id, current_user)
    return _case_page(review, access.in_review_or_404(ReviewCase, review_case_id, review))


def _recordable(review_id: int, review_case_id: int) -> tuple[Review, ReviewCase]:
    review = access.review_or_404(review_id, current_user)
    review_case = access.in_review_or_404(ReviewCase, review_case_id, review)
    access.allow(access.can_record_discussion(current_user, review_case))
    return still_open(review), review_case


@bp.post("/<int:review_id>/cases/<int:review_case_id>/notice")
def send_case_notice(review_id: int, review_case_id: int):
    """Tell the case's worker (and their manager) the date and that they must attend."""
    review, review_case = _recordable(review_id, review_case_id)
    try:
        told = discussion.send_notice(review_case, current_user)
    except ReviewError as error:
        db.session.rollback()
        return _case_page(review, review_case, {"notice": str(error)}, status=400)
    return _back_to_case(
        review, review_case, f"Notice sent to {' and '.join(person.name for person in told)}."
    )


@bp.post("/<int:review_id>/notices")
@roles_required(Role.QA_LEAD)
def send_review_notices(review_id: int):
    """Send notice to the worker of every case not yet told."""
    review = still_open(access.review_or_404(review_id, current_user))
    waiting = [rc for rc in review.cases if rc.worker_notified_at is None]
    skipped = []
    for review_case in waiting:
        try:
            discussion.send_notice(review_case, current_user)
        except ReviewError as error:
            skipped.append(str(error))
    db.session.commit()
    sent = len(waiting) - len(skipped)
    flash(
        f"Notice sent for {sent} case{'' if sent == 1 else 's'}."
        + (f" Not sent: {'; '.join(skipped)}." if skipped else ""),
        "error" if skipped else "success",
    )
    return redirect(url_for("thematic_review.review_page", review_id=review.id))


@bp.post("/<int:review_id>/cases/<int:review_case_id>/discussion")
def record_case_discussion(review_id: int, review_case_id: int):
    """Record the worker's attendance and their answers to each question, with notes."""
    review, review_case = _recordable(review_id, review_case_id)
    form = request.form
    typed = {
        "attended": form.get("attended", ""),
        "notes": field_text(form, "notes"),
        **{f"answer-{q.id}": field_text(form, f"answer-{q.id}") for q in review.questions},
    }
    errors = {}
    if typed["attended"] not in {"yes", "no"}:
        errors["attended"] = "Say whether the social worker attended"
    errors.update(
        {
            key: too_long(LONG_TEXT_LIMIT)
            for key, text in typed.items()
            if len(text) > LONG_TEXT_LIMIT
        }
    )
    if errors:
        return _case_page(review, review_case, errors, typed, 400)
    discussion.record_discussion(
        review_case,
        typed["attended"] == "yes",
        {q.id: typed[f"answer-{q.id}"] for q in review.questions},
        typed["notes"],
        current_user,
    )
    return _back_to_case(review, review_case, "The discussion is recorded.")
