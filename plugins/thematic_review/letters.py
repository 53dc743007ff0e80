"""The written reply to a family ("you said, we did"): drafted from a template, printed as a
letter (A4 PDF) on the council's behalf."""

from __future__ import annotations

from datetime import date

from flask import render_template

from plugins.thematic_review.family import FREE_TEXT, latest_progress
from plugins.thematic_review.models import Conversation
from portal.plugin_api import html_to_pdf, to_london


def draft_reply(conversation: Conversation, today: date) -> str:
    """The reply's first draft: thanks, what the family told us, and what was done about it
    (the review's actions linked to their feedback, with their progress on *today*)."""
    said = [
        (told_us, getattr(conversation, name))
        for name, _, told_us in FREE_TEXT
        if getattr(conversation, name)
    ]
    text = render_template(
        "thematic_review/letters/reply.txt",
        talked_on=to_london(conversation.captured_at).date(),
        said=said,
        actions=[(item, latest_progress(item)) for item in conversation.plan_items],
        today=today,
    )
    return text.strip() + "\n"


def paragraphs(body: str) -> list[str]:
    """The letter's paragraphs: the text split at blank lines."""
    blocks = body.replace("\r\n", "\n").split("\n\n")
    return [block.strip("\n") for block in blocks if block.strip()]


def letter_html(conversation: Conversation, today: date) -> str:
    """The saved reply as a letter: the council, the date (sent, or *today* until it is),
    "Dear family", the text, and the QA lead's signature."""
    reply = conversation.reply
    review = conversation.review_case.review
    return render_template(
        "thematic_review/letters/letter.html",
        title=f"Letter to the family, case {conversation.review_case.case.reference}",
        conversation=conversation,
        dated=reply.sent_on or today,
        paragraphs=paragraphs(reply.body),
        signatory=review.qa_lead,
    )


def letter_pdf(conversation: Conversation, today: date) -> bytes:
    """The saved reply as an A4 PDF letter (needs a request context)."""
    return html_to_pdf(letter_html(conversation, today))
