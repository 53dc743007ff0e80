"""The "you said, we did" letter reads well (issue 12, point 9): one full stop to a
sentence, plain words for the service's jargon, the family's name and address, what we have
done apart from what we will do, and a preview of the letter before it is recorded as sent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from plugins.thematic_review import letters
from plugins.thematic_review.models import Conversation, PlanItem, Reply
from plugins.thematic_review.plain_words import jargon_in, one_full_stop, plain, sentence
from plugins.thematic_review.tests.family_world import add_conversation, add_plan_item, make_review
from portal.plugin_api import Case, db, to_london, utcnow


@pytest.fixture
def review(app, world):
    return make_review(app, world)


@pytest.fixture
def conversation(app, world, review) -> int:
    return add_conversation(app, world, review.review_case)


def today() -> date:
    return to_london(utcnow()).date()


def draft(app, conversation_id: int) -> str:
    with app.test_request_context():
        return letters.draft_reply(db.session.get(Conversation, conversation_id), today())


def link(app, conversation_id: int, *items: int) -> None:
    with app.app_context():
        conversation = db.session.get(Conversation, conversation_id)
        conversation.plan_items = [db.session.get(PlanItem, item) for item in items]
        db.session.commit()


# ----- the words -----


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Audit all CIN plans.", "Audit all plans to support children in need."),
        (
            "Every CP plan reviewed by a TM",
            "Every child protection plan reviewed by a team manager",
        ),
        ("Ask the SWs", "Ask the social workers"),
        ("A CINEMA trip", "A CINEMA trip"),  # a word that starts like a term is left alone
        (
            "Chronologies kept up to date",
            "Timelines of what has happened kept up to date",
        ),  # a term that starts a sentence, its plain words too
    ],
)
def test_the_glossary_puts_jargon_in_plain_words(typed, expected):
    assert plain(typed) == expected


def test_jargon_left_in_a_letter_is_found_once_with_its_plain_words():
    assert jargon_in("CIN plans and more CIN plans, and the MASH") == [
        ("CIN plans", "plans to support children in need"),
        ("MASH", "the team that first hears about worries for a child"),
    ]
    assert jargon_in("Nothing to see here.") == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("train every team.", "Train every team."),
        ("Train every team. . ", "Train every team."),
        ("Shall we meet?", "Shall we meet?"),
        ("  ", ""),
    ],
)
def test_a_sentence_ends_with_one_full_stop(typed, expected):
    assert sentence(typed) == expected


def test_no_double_full_stops_but_an_ellipsis_stays():
    assert one_full_stop("Done.. Then… wait... Yes.") == "Done. Then… wait... Yes."


# ----- the draft -----


def test_the_draft_has_one_full_stop_plain_words_and_done_apart_from_to_do(
    app, world, review, conversation
):
    done = add_plan_item(
        app,
        world,
        review.review,
        "Review all CIN plans for chronologies.",
        status="done",
        progress="1 December 2026, Hana Head: Every CIN plan checked.",
    )
    to_do = add_plan_item(
        app, world, review.review, "SWs text families before visits.", due_on=date(2099, 1, 31)
    )
    link(app, conversation, done, to_do)
    text = draft(app, conversation)
    assert ".." not in text
    assert "CIN" not in text and "SWs" not in text
    have_done = text[text.index("What we have done") : text.index("What we will do")]
    will_do = text[text.index("What we will do") :]
    assert (
        "- Review all plans to support children in need for timelines of what has happened. "
        "Latest news: 1 December 2026, Hana Head: Every plan to support a child in need "
        "checked.\n" in have_done
    )
    assert (
        "- Social workers text families before visits. "
        "We plan to have done this by 31 January 2099.\n" in will_do
    )
    assert "\n\n\n" not in text


def test_a_draft_with_only_open_actions_says_nothing_is_done_yet(app, world, review, conversation):
    link(app, conversation, add_plan_item(app, world, review.review, "Keep one worker"))
    text = draft(app, conversation)
    assert "What we have done" not in text
    assert "What we will do\n\n- Keep one worker. We plan to have done this by " in text


# ----- the page: name and address, preview, sent -----


def reply_form(**changes) -> dict:
    form = {
        "body": "Thank you.\n\nWe changed how we plan visits.",
        "family_name": "Ms Ada Jones",
        "family_address": "4 Mill Lane\nNorthtown\nNT1 2AB",
    }
    return form | changes


def test_the_family_name_and_address_are_typed_and_the_letter_previewed(
    app, world, conversation, login_as
):
    client = login_as("eh_m")
    url = f"/thematic_review/conversations/{conversation}/reply"
    page = client.get(url).get_data(as_text=True)
    assert 'name="family_name"' in page and 'name="family_address"' in page
    response = client.post_form(url, reply_form())
    assert response.status_code == 302
    preview_url = f"/thematic_review/conversations/{conversation}/letter"
    assert response.headers["Location"].endswith(preview_url)
    preview = client.get(preview_url).get_data(as_text=True)
    assert "Check the letter before you send it" in preview
    assert "Dear Ms Ada Jones," in preview
    assert "4 Mill Lane<br>Northtown<br>NT1 2AB" in preview
    assert "We changed how we plan visits." in preview
    assert "Record the letter as sent" in preview
    with app.app_context():
        reply = db.session.scalar(select(Reply).where(Reply.conversation_id == conversation))
        assert (reply.family_name, reply.family_address) == (
            "Ms Ada Jones",
            "4 Mill Lane\nNorthtown\nNT1 2AB",
        )
    with app.test_request_context():
        html = letters.letter_html(db.session.get(Conversation, conversation), today())
    assert "Dear Ms Ada Jones," in html and "NT1 2AB" in html


def test_the_preview_points_out_jargon_left_in_the_letter(app, world, conversation, login_as):
    client = login_as("eh_m")
    url = f"/thematic_review/conversations/{conversation}/reply"
    client.post_form(url, reply_form(body="We reviewed every CIN plan."))
    preview = client.get(f"/thematic_review/conversations/{conversation}/letter")
    text = preview.get_data(as_text=True)
    assert "Words a family may not know" in text
    assert "plan to support a child in need" in text


def test_a_letter_is_not_recorded_as_sent_without_a_name_and_address(
    app, world, conversation, login_as
):
    client = login_as("eh_m")
    url = f"/thematic_review/conversations/{conversation}/reply"
    client.post_form(url, reply_form(family_name=" ", family_address=""))
    yesterday = today() - timedelta(days=1)
    sent = {"sent-day": yesterday.day, "sent-month": yesterday.month, "sent-year": yesterday.year}
    response = client.post_form(f"{url}/sent", {key: str(value) for key, value in sent.items()})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Add the family’s name and address to the letter before it is sent" in page
    with app.app_context():
        reply = db.session.scalar(select(Reply).where(Reply.conversation_id == conversation))
        assert reply.sent_on is None


def test_the_name_and_address_come_from_the_case_import_until_saved(
    app, world, conversation, login_as
):
    with app.app_context():
        case = db.session.get(Case, world.cases["CS-1001"])
        case.family_name = "Mr Ben Okafor"
        case.family_address = "12 Station Road\nSouthtown\nST4 5CD"
        db.session.commit()
    client = login_as("eh_m")
    url = f"/thematic_review/conversations/{conversation}/reply"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Mr Ben Okafor"' in page
    assert "12 Station Road\nSouthtown\nST4 5CD</textarea>" in page
    client.post_form(url, reply_form(family_name="Ben and Amy Okafor"))
    page = client.get(url).get_data(as_text=True)
    assert 'value="Ben and Amy Okafor"' in page  # as typed on the letter, once saved
