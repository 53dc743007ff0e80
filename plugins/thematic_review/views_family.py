"""The family conversations' pages: capturing a conversation in the family's home (offline-safe,
sent once), what the families said for a case, "you said, we did" links, and the written
reply with its letter.

Who may do what: the review's members and the QA lead capture conversations, link feedback
to actions and write replies; they, the safeguarding unit and the case's management chain
read what the families said (``access``).
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from plugins.thematic_review import family, letters
from plugins.thematic_review.access import (
    allow,
    can_capture_conversation,
    can_read_family_feedback,
)
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.inputs import LONG_TEXT_LIMIT, field_text, read_date, text_problem
from plugins.thematic_review.models import Conversation, ReviewCase
from plugins.thematic_review.plain_words import jargon_in
from plugins.thematic_review.views.panels import PANEL_ROWS
from plugins.thematic_review.views.shared import link, page_title, pdf_download, saved
from portal.plugin_api import (
    DashboardPanel,
    User,
    database_int,
    db,
    in_words,
    log_access,
    record,
    to_london,
    utcnow,
)

#: When a concern reached nobody (the core's words, from its own page for raising one).
NOBODY_TOLD = (
    "Your safeguarding concern has been recorded, but nobody holds the head of service "
    "or safeguarding unit role to receive it. Tell a senior manager now."
)


def _today() -> date:
    return to_london(utcnow()).date()


def _capturable_case(review_case_id: int) -> ReviewCase:
    review_case = db.get_or_404(ReviewCase, review_case_id)
    allow(can_capture_conversation(current_user, review_case.review))
    return review_case


def _readable_case(review_case_id: int) -> ReviewCase:
    review_case = db.get_or_404(ReviewCase, review_case_id)
    allow(can_read_family_feedback(current_user, review_case))
    return review_case


def _conversation_or_404(conversation_id: int, *, edit: bool) -> Conversation:
    """The conversation if the user may read it (or, with *edit*, act on it)."""
    conversation = db.get_or_404(Conversation, conversation_id)
    review_case = conversation.review_case
    allow(
        can_capture_conversation(current_user, review_case.review)
        if edit
        else can_read_family_feedback(current_user, review_case)
    )
    return conversation


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def choice_items(options: dict[str, str], chosen: str | list[str]) -> list[dict]:
    """Items for the GOV.UK radios and checkboxes: *options* (value: text), *chosen* ticked."""
    picked = chosen if isinstance(chosen, list) else [chosen]
    return [{"value": key, "text": text, "checked": key in picked} for key, text in options.items()]


def form_group(name: str, required_if: str = "") -> dict:
    """A question's form group, marked for the page's script: its field, and the message to
    show when it is left empty (when *required_if*, ``field=value``, holds)."""
    attributes = {"data-field": name}
    if name in family.MESSAGES:
        attributes["data-required"] = family.MESSAGES[name]
    if required_if:
        attributes["data-required-if"] = required_if
    return {"attributes": attributes}


def _capture_page(review_case: ReviewCase, found: family.ConversationInput, status: int = 200):
    return (
        render_template(
            "thematic_review/family/capture.html",
            title=page_title(
                f"Conversation with the family, case {review_case.case.reference}", found.errors
            ),
            review_case=review_case,
            found=found,
            family=family,
            choice_items=choice_items,
            form_group=form_group,
            nobody_told=NOBODY_TOLD,
        ),
        status,
    )


@bp.route("/offline-worker.js")
def offline_worker():
    """The service worker that opens the prepared conversation pages without a connection
    (``static/thematic_review/offline-worker.js``), served here so that its scope is the
    plugin's pages."""
    response = bp.send_static_file("thematic_review/offline-worker.js")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/cases/<int:review_case_id>/conversation")
def family_capture(review_case_id: int):
    """The conversation with a family, one question at a time: consent first."""
    review_case = _capturable_case(review_case_id)
    return _capture_page(review_case, family.ConversationInput(client_key=str(uuid.uuid4())))


@bp.post("/cases/<int:review_case_id>/conversation")
def family_record(review_case_id: int):
    """Record a conversation: from the page's script (which asks for JSON) or the plain form.

    The same client key sent again returns the conversation already recorded (200), so a
    conversation resent after the connection came back is kept once.
    """
    review_case = _capturable_case(review_case_id)
    found = family.read_conversation(request.form)
    if found.errors:
        if _wants_json():
            return jsonify(errors=found.errors), 400
        if "client_key" in found.errors:
            found.client_key = str(uuid.uuid4())  # the form sent again carries a good one
        return _capture_page(review_case, found, 400)
    try:
        recorded = family.record_conversation(review_case, found, current_user)
    except family.ClientKeyClash:
        message = "This conversation's key belongs to another case: start it again"
        if _wants_json():
            return jsonify(errors={"client_key": message}), 409
        abort(409)
    conversation = recorded.conversation
    sent_to = in_words(person.name for person in recorded.concern_sent_to)
    if _wants_json():
        return jsonify(
            id=conversation.id,
            created=recorded.created,
            consent=conversation.consent,
            concern_raised=conversation.concern_id is not None,
            concern_sent_to=sent_to,
        ), (201 if recorded.created else 200)
    if not recorded.created:
        flash("This conversation had already been recorded. It has been kept once.")
    elif conversation.consent == family.REFUSED:
        flash("The family's refusal has been recorded. Nothing else was kept.", "success")
    else:
        flash("The conversation with the family has been recorded.", "success")
    if sent_to:
        flash(f"Your safeguarding concern has been sent to {sent_to}.", "success")
    elif conversation.concern_id is not None:
        flash(NOBODY_TOLD, "error")
    return redirect(
        url_for(
            ".family_feedback",
            review_case_id=review_case.id,
            _anchor=f"conversation-{conversation.id}",
        )
    )


@bp.route("/cases/<int:review_case_id>/feedback")
def family_feedback(review_case_id: int):
    """What the families said for one case of a review, and what was done about it."""
    review_case = family.with_feedback(_readable_case(review_case_id))
    log_access("thematic_review_feedback", review_case.id, case_id=review_case.case_id)
    return render_template(
        "thematic_review/family/feedback.html",
        title=f"What the family said, case {review_case.case.reference}",
        review_case=review_case,
        may_edit=can_capture_conversation(current_user, review_case.review),
        family=family,
        today=_today(),
    )


@bp.post("/conversations/<int:conversation_id>/links")
def family_links(conversation_id: int):
    """Link a family's feedback to the review's actions it led to ("you said, we did")."""
    conversation = _conversation_or_404(conversation_id, edit=True)
    if conversation.consent != family.GIVEN:
        abort(404)
    numbers = (database_int(value) for value in request.form.getlist("plan_item"))
    chosen = {number for number in numbers if number is not None}
    family.link_plan_items(conversation, chosen, current_user)
    return saved(
        "The actions this feedback led to have been saved.",
        url_for(
            ".family_feedback",
            review_case_id=conversation.review_case_id,
            _anchor=f"conversation-{conversation.id}",
        ),
    )


def _reply_conversation(conversation_id: int, *, edit: bool) -> Conversation:
    conversation = _conversation_or_404(conversation_id, edit=edit)
    if not conversation.wants_reply:
        abort(404)
    return conversation


#: The longest family name and address the letter takes.
NAME_LIMIT = 200
ADDRESS_LIMIT = 500


def _reply_page(
    conversation: Conversation,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    *,
    redrafted: bool = False,
):
    """The reply's page: the letter's text, the family's name and address (*typed*)."""
    return (
        render_template(
            "thematic_review/family/reply.html",
            title=page_title(
                f"Reply to the family, case {conversation.review_case.case.reference}", errors
            ),
            conversation=conversation,
            reply=conversation.reply,
            family=family,
            typed=typed,
            errors=errors,
            redrafted=redrafted,
        ),
        status,
    )


def _letter_page(
    conversation: Conversation,
    errors: dict[str, str] | None = None,
    status: int = 200,
    *,
    sent_parts: tuple[str, ...] = (),
):
    """The preview of the saved letter, as it will be printed, with "record it as sent"."""
    today = _today()
    reply = conversation.reply
    return (
        render_template(
            "thematic_review/family/letter_preview.html",
            title=page_title(
                f"The letter to the family, case {conversation.review_case.case.reference}",
                errors,
            ),
            conversation=conversation,
            reply=reply,
            letter=letters.letter_parts(conversation, today),
            jargon=jargon_in(reply.body),
            errors=errors or {},
            sent_parts=sent_parts or (str(today.day), str(today.month), str(today.year)),
        ),
        status,
    )


@bp.route("/conversations/<int:conversation_id>/reply")
def family_reply(conversation_id: int):
    """The written reply: drafted from the template until it is saved, then as saved.

    ``?redraft=1`` drafts it again from the template (from the actions linked now); it is
    kept only when saved.
    """
    conversation = _reply_conversation(conversation_id, edit=True)
    reply = conversation.reply
    redraft = request.args.get("redraft") == "1" and not (reply and reply.sent_on)
    body = reply.body if reply and not redraft else letters.draft_reply(conversation, _today())
    case = conversation.review_case.case
    typed = {  # the family's name and address from the case import, until saved
        "body": body,
        "family_name": reply.family_name if reply else case.family_name or "",
        "family_address": reply.family_address if reply else case.family_address or "",
    }
    return _reply_page(conversation, typed, {}, redrafted=redraft)


@bp.post("/conversations/<int:conversation_id>/reply")
def family_reply_save(conversation_id: int):
    """Save the reply's text and the family's name and address (until it has been sent);
    then show the letter as it will be printed."""
    conversation = _reply_conversation(conversation_id, edit=True)
    if conversation.reply and conversation.reply.sent_on:
        abort(409)
    typed = {name: field_text(request.form, name) for name in letters.TYPED}
    problems = {
        "body": text_problem(typed["body"], LONG_TEXT_LIMIT, "Enter the letter to the family"),
        "family_name": text_problem(typed["family_name"], NAME_LIMIT),
        "family_address": text_problem(typed["family_address"], ADDRESS_LIMIT),
    }
    errors = {name: problem for name, problem in problems.items() if problem}
    if errors:
        return _reply_page(conversation, typed, errors, 400)
    family.save_reply(
        conversation,
        typed["body"],
        current_user,
        family_name=typed["family_name"],
        family_address=typed["family_address"],
    )
    return saved(
        "The letter has been saved. Check it before you send it.",
        url_for(".family_letter", conversation_id=conversation.id),
    )


@bp.route("/conversations/<int:conversation_id>/letter")
def family_letter(conversation_id: int):
    """The saved letter as the family will read it, before it is printed and sent."""
    conversation = _reply_conversation(conversation_id, edit=True)
    if conversation.reply is None:
        abort(404)
    case_id = conversation.review_case.case_id
    log_access("thematic_review_reply", conversation.id, case_id=case_id)
    return _letter_page(conversation)


@bp.post("/conversations/<int:conversation_id>/reply/sent")
def family_reply_sent(conversation_id: int):
    """Record that the saved letter was sent to the family: the date, and by whom. A letter
    without the family's name and address is not sent."""
    conversation = _reply_conversation(conversation_id, edit=True)
    reply = conversation.reply
    if reply is None:
        abort(404)
    if reply.sent_on:
        abort(409)
    parts = tuple(request.form.get(f"sent-{part}", "").strip() for part in ("day", "month", "year"))
    try:
        sent_on = read_date(parts)
    except ValueError:
        sent_on = None
    errors = {}
    if not reply.family_name or not reply.family_address:
        errors["addressed"] = "Add the family’s name and address to the letter before it is sent"
    if sent_on is None:
        errors["sent"] = "Enter the date the letter was sent, for example 27 3 2027"
    elif sent_on > _today():
        errors["sent"] = "The date the letter was sent must be today or in the past"
    if errors:
        return _letter_page(conversation, errors, 400, sent_parts=parts)
    family.record_sent(reply, sent_on, current_user)
    return saved(
        f"The letter has been recorded as sent on {sent_on:%-d %B %Y}.",
        url_for(".family_reply", conversation_id=conversation.id),
    )


@bp.route("/conversations/<int:conversation_id>/letter.pdf")
def family_letter_pdf(conversation_id: int):
    """The saved reply as a letter to print and post (A4 PDF)."""
    conversation = _reply_conversation(conversation_id, edit=False)
    if conversation.reply is None:
        abort(404)
    document = letters.letter_pdf(conversation, _today())
    case_id = conversation.review_case.case_id
    log_access("thematic_review_reply", conversation.id, case_id=case_id, action="downloaded")
    record(
        "downloaded",
        "thematic_review_reply",
        conversation.reply.id,
        actor_id=current_user.id,
        summary="letter PDF",
    )
    db.session.commit()
    return pdf_download(
        document, f"letter-{conversation.review_case.case.reference}-{conversation.id}.pdf"
    )


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """The home page's "Replies to families waiting to be sent", for the reviews' members and
    the QA lead: the count and the oldest few; nothing when no reply is waiting. Two
    statements, found or not, so the home page sends the same statements whatever the data."""
    query = family.replies_waiting(user)
    count = db.session.scalar(query.with_only_columns(func.count(Conversation.id)).order_by(None))
    waiting = db.session.scalars(
        query.options(
            joinedload(Conversation.review_case).joinedload(ReviewCase.case),
            joinedload(Conversation.review_case).joinedload(ReviewCase.review),
            joinedload(Conversation.reply),
        ).limit(PANEL_ROWS)
    )
    rows = []
    for conversation in waiting:
        review_case = conversation.review_case
        rows.append(
            [
                link(
                    url_for("thematic_review.family_reply", conversation_id=conversation.id),
                    review_case.case.reference,
                ),
                review_case.review.theme,
                f"{to_london(conversation.captured_at):%-d %B %Y}",
                "Written, not sent" if conversation.reply else "Not written yet",
            ]
        )
    if not count:
        return []
    return [
        DashboardPanel(
            title="Replies to families waiting to be sent",
            empty_text="No replies to families are waiting.",
            head=["Case", "Review", "Conversation", "Reply"],
            rows=rows,
            summary=f"The {len(rows)} oldest of {count:,} replies waiting."
            if count > len(rows)
            else "",
        )
    ]
