""" "You said, we did": feedback linked to the review's actions, the written reply drafted from
the template, recorded as sent, and printed as a letter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import Markup
from sqlalchemy import select

from plugins.thematic_review import family, letters, views_family
from plugins.thematic_review.models import Conversation, FeedbackLink, Reply
from plugins.thematic_review.tests.family_world import add_conversation, add_plan_item, make_review
from portal.plugin_api import ActivityEntry, User, db, to_london, utcnow


@pytest.fixture
def review(app, world):
    return make_review(app, world)


@pytest.fixture
def conversation(app, world, review) -> int:
    return add_conversation(app, world, review.review_case)


def today() -> date:
    return to_london(utcnow()).date()


def sent_form(day: date) -> dict[str, str]:
    """The "when was it sent?" date, as typed."""
    return {"sent-day": str(day.day), "sent-month": str(day.month), "sent-year": str(day.year)}


YESTERDAY = today() - timedelta(days=1)
#: Whom the letter is to, as typed on the reply's page.
ADDRESSED = {"family_name": "The Jones family", "family_address": "4 Mill Lane\nNT1 2AB"}


def links(app, conversation_id: int) -> list[int]:
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(FeedbackLink.plan_item_id).where(
                    FeedbackLink.conversation_id == conversation_id
                )
            )
        )


def reply_of(app, conversation_id: int) -> Reply | None:
    with app.app_context():
        reply = db.session.scalar(select(Reply).where(Reply.conversation_id == conversation_id))
        db.session.expunge_all()
        return reply


# ----- links to the review's actions -----


def test_a_member_links_feedback_to_the_reviews_actions_and_unlinks_it(
    app, world, review, conversation, login_as
):
    training = add_plan_item(app, world, review.review, "Train workers to text before visits")
    stable = add_plan_item(app, world, review.review, "Keep one worker per family")
    other_review = make_review(app, world, cases=("CS-1002",))
    elsewhere = add_plan_item(app, world, other_review.review, "Another review's action")
    client = login_as("tm_b")
    url = f"/thematic_review/conversations/{conversation}/links"
    page = client.post_form(url, {"plan_item": [str(training), str(stable), str(elsewhere)]})
    assert page.status_code == 302
    assert page.headers["Location"].endswith(f"feedback#conversation-{conversation}")
    assert links(app, conversation) == sorted([training, stable])  # not another review's
    html = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "The actions this feedback led to have been saved." in html
    assert "Train workers to text before visits" in html
    client.post_form(url, {"plan_item": [str(stable)]})
    assert links(app, conversation) == [stable]
    client.post_form(url, {})
    assert links(app, conversation) == []
    with app.app_context():
        verbs = db.session.scalars(
            select(ActivityEntry.verb).where(ActivityEntry.object_id == str(conversation))
        ).all()
        assert verbs.count("linked") == 3


def test_the_feedback_page_offers_the_reviews_actions_to_members(
    app, world, review, conversation, login_as
):
    item = add_plan_item(app, world, review.review, "Text families before a visit")
    html = (
        login_as("qa_lead")
        .get(f"/thematic_review/cases/{review.review_case}/feedback")
        .get_data(as_text=True)
    )
    assert f'name="plan_item" type="checkbox" value="{item}"' in html
    assert "Which of the review’s actions came from this feedback?" in html


@pytest.mark.parametrize("person", ["tm_a", "hos", "sw_b", "police"])
def test_only_members_and_the_qa_lead_link_feedback(
    app, world, review, conversation, login_as, person
):
    item = add_plan_item(app, world, review.review, "Text families before a visit")
    page = login_as(person).post_form(
        f"/thematic_review/conversations/{conversation}/links", {"plan_item": str(item)}
    )
    assert page.status_code == 403
    assert links(app, conversation) == []


def test_a_refusal_has_no_feedback_to_link(app, world, review, login_as):
    refusal = add_conversation(app, world, review.review_case, consent="refused")
    item = add_plan_item(app, world, review.review, "Text families before a visit")
    page = login_as("tm_b").post_form(
        f"/thematic_review/conversations/{refusal}/links", {"plan_item": str(item)}
    )
    assert page.status_code == 404


# ----- the reply, drafted from the template -----


def test_the_reply_is_drafted_from_what_they_said_and_what_was_done(
    app, world, review, conversation, login_as
):
    done = add_plan_item(
        app,
        world,
        review.review,
        "Text families the day before a visit",
        status="done",
        progress="1 December 2026, Hana Head: Texts tried in one team.\n\n"
        "20 December 2026, Hana Head: Every team sends texts now.",
    )
    due = add_plan_item(
        app, world, review.review, "Keep one worker per family", due_on=date(2099, 3, 31)
    )
    late = add_plan_item(
        app, world, review.review, "Review changes of worker", due_on=date(2020, 1, 31)
    )
    add_plan_item(app, world, review.review, "An action their feedback did not lead to")
    client = login_as("tm_b")
    client.post_form(
        f"/thematic_review/conversations/{conversation}/links",
        {"plan_item": [str(done), str(due), str(late)]},
    )
    page = client.get(f"/thematic_review/conversations/{conversation}/reply")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This is a draft from the template" in html
    draft = html[html.index('id="body"') :]
    draft = draft[: draft.index("</textarea>")]
    assert "Thank you for talking with us on" in draft
    assert "What helped: &#34;Visits after school.&#34;" in draft
    assert "What did not help: &#34;Changing worker three times.&#34;" in draft
    done_part = draft[draft.index("What we have done") : draft.index("What we will do")]
    to_do_part = draft[draft.index("What we will do") :]
    assert (
        "- Text families the day before a visit. Latest news: "
        "20 December 2026, Hana Head: Every team sends texts now." in done_part
    )
    assert "Texts tried in one team" not in draft  # only the latest news
    assert "Keep one worker per family. We plan to have done this by 31 March 2099." in to_do_part
    assert "Review changes of worker. This is taking longer than we planned" in to_do_part
    assert "Keep one worker" not in done_part and "Text families" not in to_do_part
    assert "An action their feedback did not lead to" not in draft
    assert reply_of(app, conversation) is None  # a draft is kept only when saved


def test_without_linked_actions_the_draft_says_the_work_goes_on(app, conversation):
    with app.test_request_context():
        text = letters.draft_reply(db.session.get(Conversation, conversation), today())
    assert "We are still deciding what to change" in text


def test_a_member_saves_edits_and_records_the_reply_as_sent(app, world, conversation, login_as):
    client = login_as("eh_m")
    url = f"/thematic_review/conversations/{conversation}/reply"
    assert client.post_form(url, {"body": "  "}).status_code == 400
    assert reply_of(app, conversation) is None
    page = client.post_form(
        url, {"body": "Thank you.\n\nWe changed how we plan visits.", **ADDRESSED}
    )
    assert page.status_code == 302
    assert reply_of(app, conversation).body == "Thank you.\n\nWe changed how we plan visits."
    client.post_form(url, {"body": "Thank you for your time.", **ADDRESSED})
    assert reply_of(app, conversation).body == "Thank you for your time."
    page = client.post_form(f"{url}/sent", sent_form(today() + timedelta(days=1)))
    assert page.status_code == 400
    assert "The date the letter was sent must be today or in the past" in page.get_data(
        as_text=True
    )
    bad = client.post_form(f"{url}/sent", {"sent-day": "31", "sent-month": "2", "sent-year": "x"})
    assert bad.status_code == 400
    assert reply_of(app, conversation).sent_on is None
    page = client.post_form(f"{url}/sent", sent_form(YESTERDAY))
    assert page.status_code == 302
    reply = reply_of(app, conversation)
    assert reply.sent_on == YESTERDAY
    assert reply.sent_by_id == world.users["eh_m"]
    html = client.get(url).get_data(as_text=True)
    assert f"Sent on {YESTERDAY:%-d %B %Y} by Erin Manager." in html
    assert "<textarea" not in html  # a sent letter is a record: it is not edited
    assert client.post_form(url, {"body": "Changed"}).status_code == 409
    assert client.post_form(f"{url}/sent", sent_form(YESTERDAY)).status_code == 409
    assert reply_of(app, conversation).body == "Thank you for your time."
    with app.app_context():
        entries = db.session.scalars(
            select(ActivityEntry).where(ActivityEntry.object_type == "thematic_review_reply")
        ).all()
        assert [entry.verb for entry in entries] == ["drafted", "changed", "sent"]
        assert entries[-1].actor_id == world.users["eh_m"]
        assert entries[-1].after == {"sent_on": YESTERDAY.isoformat()}


def test_the_feedback_page_says_where_the_reply_stands(app, world, review, conversation, login_as):
    client = login_as("tm_b")
    feedback = f"/thematic_review/cases/{review.review_case}/feedback"
    assert "Wanted, not written yet" in client.get(feedback).get_data(as_text=True)
    client.post_form(
        f"/thematic_review/conversations/{conversation}/reply", {"body": "Thanks.", **ADDRESSED}
    )
    assert "Written, not sent yet" in client.get(feedback).get_data(as_text=True)
    client.post_form(
        f"/thematic_review/conversations/{conversation}/reply/sent",
        sent_form(YESTERDAY),
    )
    html = client.get(feedback).get_data(as_text=True)
    assert f"Sent on {YESTERDAY:%-d %B %Y} by Tom Manager" in html


def test_there_is_no_reply_when_the_family_did_not_want_one(app, world, review, login_as):
    quiet = add_conversation(app, world, review.review_case, wants_reply="no")
    client = login_as("tm_b")
    assert client.get(f"/thematic_review/conversations/{quiet}/reply").status_code == 404
    page = client.post_form(f"/thematic_review/conversations/{quiet}/reply", {"body": "Hello"})
    assert page.status_code == 404
    assert client.get(f"/thematic_review/conversations/{quiet}/letter.pdf").status_code == 404
    assert reply_of(app, quiet) is None


@pytest.mark.parametrize("person", ["tm_a", "hos", "sw_b", "police"])
def test_only_members_and_the_qa_lead_write_the_reply(app, conversation, login_as, person):
    client = login_as(person)
    url = f"/thematic_review/conversations/{conversation}/reply"
    assert client.get(url).status_code == 403
    assert client.post_form(url, {"body": "Hello"}).status_code == 403
    assert reply_of(app, conversation) is None


# ----- the letter -----


def test_the_letter_is_a_pdf_once_the_reply_is_saved(app, conversation, login_as):
    client = login_as("qa_lead")
    pdf_url = f"/thematic_review/conversations/{conversation}/letter.pdf"
    assert client.get(pdf_url).status_code == 404
    client.post_form(f"/thematic_review/conversations/{conversation}/reply", {"body": "Thanks."})
    page = client.get(pdf_url)
    assert page.status_code == 200
    assert page.mimetype == "application/pdf"
    assert page.data.startswith(b"%PDF")
    assert 'filename="letter-CS-1001-' in page.headers["Content-Disposition"]


@pytest.mark.parametrize(("person", "status"), [("tm_a", 200), ("sgu", 200), ("sw_b", 403)])
def test_who_may_download_the_letter(app, world, conversation, login_as, person, status):
    with app.app_context():
        family.save_reply(
            db.session.get(Conversation, conversation),
            "Thanks.",
            db.session.get(User, world.users["tm_b"]),
        )
        db.session.commit()
    assert (
        login_as(person)
        .get(f"/thematic_review/conversations/{conversation}/letter.pdf")
        .status_code
        == status
    )


def test_the_letter_has_the_council_the_date_dear_family_the_text_escaped_and_a_signature(
    app, world, conversation
):
    with app.test_request_context():
        record = db.session.get(Conversation, conversation)
        tm_b = db.session.get(User, world.users["tm_b"])
        family.save_reply(record, "We heard you.\n\n<script>alert(1)</script> changed", tm_b)
        family.record_sent(record.reply, date(2026, 12, 2), tm_b)
        html = letters.letter_html(record, today())
    assert app.config["COUNCIL_NAME"].replace("'", "&#39;") in html
    assert "2 December 2026" in html
    assert "Dear family," in html
    assert '<p class="portal-pre">We heard you.</p>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; changed" in html
    assert "<script>" not in html
    assert "Yours sincerely," in html
    assert "Quinn Lead" in html
    assert "Our reference: CS-1001" in html


# ----- replies waiting, for the home page -----


def test_replies_waiting_to_be_sent_for_members(app, world, review, conversation):
    add_conversation(app, world, review.review_case, wants_reply="no")
    with app.app_context():

        def waiting(person: str) -> list[int]:
            user = db.session.get(User, world.users[person])
            return [row.id for row in db.session.scalars(family.replies_waiting(user))]

        assert waiting("tm_b") == waiting("sgu") == waiting("qa_lead") == [conversation]
        assert waiting("hos") == waiting("sw_b") == []
        record = db.session.get(Conversation, conversation)
        tm_b = db.session.get(User, world.users["tm_b"])
        family.save_reply(record, "Thanks.", tm_b)
        assert waiting("tm_b") == [conversation]  # written, not sent
        family.record_sent(record.reply, today(), tm_b)
        assert waiting("tm_b") == []


def test_the_home_page_panel_lists_the_replies_waiting(app, world, review, conversation):
    with app.test_request_context():
        [panel] = views_family.dashboard_panels(db.session.get(User, world.users["eh_m"]))
        assert panel.title == "Replies to families waiting to be sent"
        [[link, theme, _, state]] = panel.rows
        assert link == Markup(
            f'<a class="govuk-link" href="/thematic_review/conversations/{conversation}/reply">'
            "CS-1001</a>"
        )
        assert (theme, state) == ("Neglect", "Not written yet")
        assert views_family.dashboard_panels(db.session.get(User, world.users["sw_b"])) == []
