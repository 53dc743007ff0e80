"""The written reply to a family ("you said, we did"): drafted from a template, printed as a
letter (A4 PDF) on the council's behalf."""

from __future__ import annotations

import re
from datetime import date

from flask import render_template

from plugins.thematic_review import plan
from plugins.thematic_review.family import FREE_TEXT, latest_progress
from plugins.thematic_review.models import Conversation, PlanItem
from plugins.thematic_review.plain_words import one_full_stop, plain, sentence
from portal.plugin_api import html_to_pdf, to_london

#: The fields of the reply's page.
TYPED = ("body", "family_name", "family_address")
#: No more than one blank line between paragraphs of the draft.
_BLANK_LINES = re.compile(r"\n{3,}")


def _news(item: PlanItem) -> str:
    latest = latest_progress(item)
    return f"Latest news: {sentence(plain(latest))}" if latest else ""


def draft_reply(conversation: Conversation, today: date) -> str:
    """The reply's first draft: thanks, what the family told us (in their words), what we
    have done (the linked actions that are done) and what we will do (those still open, by
    their due date on *today*), each action a sentence in plain words."""
    said = [
        (told_us, getattr(conversation, name).strip())
        for name, _, told_us in FREE_TEXT
        if getattr(conversation, name).strip()
    ]
    items = sorted(conversation.plan_items, key=lambda item: (item.due_on, item.id))
    text = render_template(
        "thematic_review/letters/reply.txt",
        talked_on=to_london(conversation.captured_at).date(),
        said=said,
        done=[
            (sentence(plain(item.action)), _news(item))
            for item in items
            if item.status == plan.DONE
        ],
        to_do=[
            (sentence(plain(item.action)), item, _news(item))
            for item in items
            if item.status != plan.DONE
        ],
        today=today,
    )
    return _BLANK_LINES.sub("\n\n", one_full_stop(text).strip()) + "\n"


def paragraphs(body: str) -> list[str]:
    """The letter's paragraphs: the text split at blank lines."""
    blocks = body.replace("\r\n", "\n").split("\n\n")
    return [block.strip("\n") for block in blocks if block.strip()]


def letter_parts(conversation: Conversation, today: date) -> dict:
    """What the letter shows, for its page and its PDF alike: the council's reference, the
    date (sent, or *today* until it is), the family's name and address lines, the greeting,
    the paragraphs and the QA lead who signs it."""
    reply = conversation.reply
    return {
        "reference": conversation.review_case.case.reference,
        "dated": reply.sent_on or today,
        "name": reply.family_name,
        "address": [line.strip() for line in reply.family_address.splitlines() if line.strip()],
        "greeting": f"Dear {reply.family_name or 'family'},",
        "paragraphs": paragraphs(reply.body),
        "signatory": conversation.review_case.review.qa_lead,
    }


def letter_html(conversation: Conversation, today: date) -> str:
    """The saved reply as a letter, for the PDF (:func:`letter_parts`)."""
    return render_template(
        "thematic_review/letters/letter.html",
        title=f"Letter to the family, case {conversation.review_case.case.reference}",
        letter=letter_parts(conversation, today),
    )


def letter_pdf(conversation: Conversation, today: date) -> bytes:
    """The saved reply as an A4 PDF letter (needs a request context)."""
    return html_to_pdf(letter_html(conversation, today))
