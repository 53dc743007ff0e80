"""The pages of a review's report: the QA lead writes it, the safeguarding unit endorses it,
and anyone who sees the review downloads it as an A4 PDF.

Once endorsed the report is read-only (409). Bad input shows the GOV.UK error summary with
status 400 and changes nothing.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from plugins.thematic_review import access, review_report, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.forms import FeedbackSessionForm, ReportForm, show_error
from plugins.thematic_review.reviews import ReviewError
from plugins.thematic_review.views.reviews import carry_out, still_open
from plugins.thematic_review.views.shared import pdf_download, saved
from portal.plugin_api import Role, db, html_to_pdf, record, roles_required, today_london


@bp.route("/<int:review_id>/report", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def write_review_report(review_id: int):
    """The QA lead writes the findings, the recommendations and the family voice themes."""
    review = still_open(access.review_or_404(review_id, current_user))
    form = ReportForm(obj=review)
    if form.validate_on_submit():
        review_report.write_report(
            review,
            form.findings.data,
            form.recommendations.data,
            form.family_voice.data or "",
            current_user,
        )
        return saved(
            "The report is saved.",
            url_for("thematic_review.review_page", review_id=review.id, _anchor="report"),
        )
    return render_template(
        "thematic_review/reviews/report_form.html",
        title="The review's report",
        review=review,
        form=form,
        family=review_report.family_counts(review),
    ), 400 if form.errors else 200


@bp.route("/<int:review_id>/feedback-session", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD, Role.SAFEGUARDING_UNIT)
def feedback_session(review_id: int):
    """The QA lead or the safeguarding unit records the group feedback session with the
    social workers and managers: when, who attended, and notes."""
    review = still_open(access.review_or_404(review_id, current_user))
    form = FeedbackSessionForm()
    if not form.is_submitted() and review.feedback_session_on:
        form.held_on.data = review.feedback_session_on
        form.attendees.data = review.feedback_session_attendees
        form.notes.data = review.feedback_session_notes
    if form.validate_on_submit():
        try:
            review_report.record_feedback_session(
                review,
                form.held_on.data,
                form.attendees.data,
                form.notes.data or "",
                current_user,
                today_london(),
            )
        except ReviewError as error:
            db.session.rollback()
            show_error(form, error, "held_on")
        else:
            return saved(
                "The feedback session is recorded.",
                url_for("thematic_review.review_page", review_id=review.id, _anchor="feedback"),
            )
    return render_template(
        "thematic_review/reviews/feedback_session.html",
        title="The feedback session with the social workers",
        review=review,
        form=form,
    ), 400 if form.errors else 200


@bp.post("/<int:review_id>/endorse")
@roles_required(Role.SAFEGUARDING_UNIT)
def endorse_review(review_id: int):
    """The safeguarding unit endorses the report; it is read-only from then on."""
    review = access.review_or_404(review_id, current_user)
    return carry_out(
        review,
        lambda: review_report.endorse(review, current_user, today_london()),
        "The report is endorsed.",
        url_for("thematic_review.review_page", review_id=review.id, _anchor="report"),
    )


@bp.route("/<int:review_id>/report.pdf")
def review_report_pdf(review_id: int):
    """The review's report as an A4 PDF, for the Departmental Management Meeting and the
    Safeguarding Board."""
    review = access.review_or_404(review_id, current_user)
    html = render_template(
        "thematic_review/reviews/report_print.html",
        title=f"Thematic review: {review.theme}",
        review=review,
        members=reviews.members_of(review),
        family=review_report.family_counts(review),
        escalations=review_report.escalations(review),
        today=today_london(),
        links=False,
    )
    document = html_to_pdf(html)
    record("downloaded", "thematic_review", review.id, actor_id=current_user.id, summary="PDF")
    db.session.commit()
    return pdf_download(document, f"thematic-review-{review.id}.pdf")
