"""The family conversation: consent first, refusal, each step's answers, one conversation per
client key, safe free text, who may capture and who may read, and safeguarding concerns."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from plugins.thematic_review import family
from plugins.thematic_review.models import Conversation, ReviewCase
from plugins.thematic_review.tests.family_world import add_conversation, answers, make_review
from portal.plugin_api import ActivityEntry, Notification, SafeguardingConcern, User, db

JSON = {"Accept": "application/json"}


@pytest.fixture
def review(app, world):
    return make_review(app, world, cases=("CS-1001", "CS-1002"))


def capture_url(review) -> str:
    return f"/thematic_review/cases/{review.review_case}/conversation"


def send_json(client, url: str, data: dict):
    """POST as the page's script does: form-encoded, the CSRF token in a header, JSON back."""
    return client.post(url, data=data, headers={**JSON, "X-CSRFToken": client.csrf_token()})


def conversations(app) -> list[Conversation]:
    with app.app_context():
        rows = db.session.scalars(select(Conversation).order_by(Conversation.id)).all()
        db.session.expunge_all()
        return list(rows)


def key() -> str:
    return str(uuid.uuid4())


# ----- the capture page -----


@pytest.mark.parametrize("person", ["tm_b", "eh_m", "qa_lead", "sgu"])
def test_the_reviews_members_and_the_qa_lead_open_the_capture_page(review, login_as, person):
    page = login_as(person).get(capture_url(review))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Conversation with the family" in html
    assert "/thematic_review/static/thematic_review/capture.js" in html
    # without JavaScript every question is in one form, with a key made by the server
    form = html[html.index('<form method="post" action="/thematic_review/cases/') :]
    for name in (
        "consent",
        "consent_by",
        "consent_how",
        "participants",
        "child_age_band",
        "views_of_service",
        "what_helped",
        "what_did_not_help",
        "ideas",
        "wants_reply",
        "concern",
        "concern_description",
    ):
        assert f'name="{name}"' in form.split("</form>")[0]
    assert re.search(r'name="client_key" value="[0-9a-f-]{36}"', html)


def test_each_visit_to_the_capture_page_starts_a_conversation_with_its_own_key(review, login_as):
    client = login_as("tm_b")
    pattern = r'name="client_key" value="([0-9a-f-]{36})"'
    first = re.search(pattern, client.get(capture_url(review)).get_data(as_text=True))
    second = re.search(pattern, client.get(capture_url(review)).get_data(as_text=True))
    assert first.group(1) != second.group(1)


@pytest.mark.parametrize("person", ["tm_a", "hos", "sw_a", "sw_b", "police", "qa_admin"])
def test_nobody_else_captures_a_conversation(app, review, login_as, person):
    client = login_as(person)
    assert client.get(capture_url(review)).status_code == 403
    assert client.post_form(capture_url(review), answers(key())).status_code == 403
    assert send_json(client, capture_url(review), answers(key())).status_code == 403
    assert conversations(app) == []


def test_an_unknown_case_is_not_found(review, login_as):
    assert login_as("tm_b").get("/thematic_review/cases/999/conversation").status_code == 404


# ----- consent first -----


def test_feedback_without_recorded_consent_is_not_saved(app, review, login_as):
    client = login_as("tm_b")
    without = answers(key())
    del without["consent"]
    page = client.post_form(capture_url(review), without)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Record the family&#39;s consent first" in html
    assert "Error: Conversation with the family" in html
    reply = send_json(client, capture_url(review), answers(key(), consent="maybe"))
    assert reply.status_code == 400
    assert reply.get_json()["errors"] == {"consent": "Record the family's consent first"}
    assert conversations(app) == []


def test_a_refusal_is_recorded_and_nothing_else_is_kept(app, review, login_as, world):
    client = login_as("tm_b")
    page = client.post_form(capture_url(review), answers(key(), consent="refused"))
    assert page.status_code == 302
    assert page.headers["Location"].endswith(
        f"/thematic_review/cases/{review.review_case}/feedback#conversation-1"
    )
    [refusal] = conversations(app)
    assert refusal.consent == "refused"
    assert refusal.captured_by_id == world.users["tm_b"]
    assert (refusal.consent_by, refusal.consent_how, refusal.participants) == ("", "", [])
    assert (refusal.views_of_service, refusal.what_helped, refusal.ideas) == ("", "", "")
    assert refusal.wants_reply is False and refusal.concern_id is None
    feedback = client.get(
        f"/thematic_review/cases/{review.review_case}/feedback", follow_redirects=True
    )
    html = feedback.get_data(as_text=True)
    assert "The family&#39;s refusal has been recorded. Nothing else was kept." in html
    assert "They did not consent. Nothing else was recorded." in html
    assert "The social worker listened to us." not in html


def test_a_refusal_ends_the_capture_even_with_nothing_else_answered(app, review, login_as):
    sent = send_json(
        login_as("tm_b"), capture_url(review), {"client_key": key(), "consent": "refused"}
    )
    assert sent.status_code == 201
    assert sent.get_json()["consent"] == "refused"
    assert [row.consent for row in conversations(app)] == ["refused"]


# ----- each step's answers -----


def test_every_step_needs_its_answer_once_consent_is_given(app, review, login_as):
    reply = send_json(
        login_as("tm_b"), capture_url(review), {"client_key": key(), "consent": "given"}
    )
    assert reply.status_code == 400
    assert reply.get_json()["errors"] == {
        "consent_by": "Enter who gave consent, and their relationship to the child",
        "consent_how": "Select how they gave consent",
        "participants": "Select who took part",
        "child_age_band": "Select the child's age band",
        "views_of_service": "Enter their views of the service, in their own words",
        "wants_reply": "Select whether they want a written reply",
        "concern": "Select whether anything they said is a safeguarding concern",
    }
    assert conversations(app) == []


def test_the_plain_form_shows_each_problem_beside_its_question_and_keeps_the_answers(
    app, review, login_as
):
    page = login_as("tm_b").post_form(
        capture_url(review),
        answers(key(), participants=[], child_age_band="7", concern="yes", concern_description=""),
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert '<a href="#participants">Select who took part</a>' in html
    assert '<a href="#child_age_band">Select the child&#39;s age band</a>' in html
    assert '<a href="#concern_description">Describe the safeguarding concern</a>' in html
    assert 'id="participants-error"' in html
    assert "The social worker listened to us." in html  # what was typed is still there
    assert 'value="Sam Jones, mother"' in html
    assert conversations(app) == []


def test_what_helped_what_did_not_and_ideas_may_be_left_empty(app, review, login_as):
    data = answers(key(), what_helped="", what_did_not_help="", ideas="")
    assert send_json(login_as("tm_b"), capture_url(review), data).status_code == 201
    [conversation] = conversations(app)
    assert conversation.what_helped == conversation.ideas == ""


def test_a_whole_conversation_is_recorded_in_the_familys_words(app, review, login_as, world):
    client_key = key()
    sent = send_json(
        login_as("eh_m"), capture_url(review), answers(client_key, participants=["carer", "child"])
    )
    assert sent.status_code == 201
    body = sent.get_json()
    assert body["created"] is True and body["concern_raised"] is False
    [conversation] = conversations(app)
    assert body["id"] == conversation.id
    assert conversation.client_key == client_key
    assert conversation.consent_by == "Sam Jones, mother"
    assert conversation.consent_how == "verbal"
    assert conversation.participants == ["child", "carer"]
    assert conversation.child_age_band == "5_10"
    assert conversation.what_did_not_help == "Changing worker three times."
    assert conversation.wants_reply is True
    assert conversation.captured_by_id == world.users["eh_m"]
    with app.app_context():
        entry = db.session.scalar(
            select(ActivityEntry).where(ActivityEntry.object_type == "thematic_review_conversation")
        )
        assert entry.verb == "recorded"
        # the history says that a conversation took place, never what the family said
        assert "listened" not in str(entry.after) + entry.summary


# ----- sent once -----


def test_the_same_conversation_sent_again_is_kept_once(app, review, login_as):
    client = login_as("tm_b")
    client_key = key()
    first = send_json(client, capture_url(review), answers(client_key))
    again = send_json(client, capture_url(review), answers(client_key, views_of_service="Changed"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["created"] is False
    [conversation] = conversations(app)
    assert conversation.views_of_service == "The social worker listened to us."
    # the plain form, sent twice (the back button, say), is kept once too
    page = client.post_form(capture_url(review), answers(client_key))
    assert page.status_code == 302
    followed = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "This conversation had already been recorded. It has been kept once." in followed
    assert len(conversations(app)) == 1


def test_two_copies_arriving_together_are_settled_by_the_unique_key(
    app, world, review, monkeypatch
):
    first = add_conversation(app, world, review.review_case)
    with app.app_context():
        taken = db.session.get(Conversation, first).client_key
    looked = []
    earlier = family._existing

    def not_committed_yet(review_case, wanted):
        # the first look happens before the other copy is committed: it finds nothing
        looked.append(wanted)
        return None if len(looked) == 1 else earlier(review_case, wanted)

    monkeypatch.setattr(family, "_existing", not_committed_yet)
    with app.app_context():
        found = family.read_conversation(MultiDict(answers(taken, ideas="A second copy")))
        review_case = db.session.get(ReviewCase, review.review_case)
        recorded = family.record_conversation(
            review_case, found, db.session.get(User, world.users["tm_b"])
        )
        assert (recorded.created, recorded.conversation.id) == (False, first)
    assert looked == [taken, taken]
    assert [row.ideas for row in conversations(app)] == ["Text before a visit."]


def test_a_key_already_used_for_another_case_is_refused(app, review, login_as):
    client = login_as("tm_b")
    client_key = key()
    assert send_json(client, capture_url(review), answers(client_key)).status_code == 201
    other = f"/thematic_review/cases/{review.review_case + 1}/conversation"
    clash = send_json(client, other, answers(client_key))
    assert clash.status_code == 409
    assert "client_key" in clash.get_json()["errors"]
    assert client.post_form(other, answers(client_key)).status_code == 409
    assert [row.review_case_id for row in conversations(app)] == [review.review_case]


def test_a_conversation_needs_a_key(app, review, login_as):
    reply = send_json(login_as("tm_b"), capture_url(review), answers("<bad key>"))
    assert reply.status_code == 400
    assert list(reply.get_json()["errors"]) == ["client_key"]
    assert conversations(app) == []


def test_a_signed_out_auditor_is_sent_to_sign_in_and_nothing_is_saved(app, client, review):
    page = send_json(client, capture_url(review), answers(key()))
    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
    assert conversations(app) == []


# ----- free text shown safely -----


def test_free_text_is_stored_as_typed_and_shown_escaped(app, review, login_as):
    client = login_as("tm_b")
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = answers(key(), views_of_service=script, consent_by=f"Mum {script}")
    assert send_json(client, capture_url(review), data).status_code == 201
    [conversation] = conversations(app)
    assert conversation.views_of_service == script
    html = client.get(f"/thematic_review/cases/{review.review_case}/feedback").get_data(
        as_text=True
    )
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    )


# ----- who may read what the families said -----


@pytest.mark.parametrize("person", ["tm_b", "eh_m", "qa_lead", "sgu", "tm_a", "sm", "hos", "ad"])
def test_members_the_qa_lead_the_safeguarding_unit_and_the_cases_chain_read_the_feedback(
    app, world, review, login_as, person
):
    add_conversation(app, world, review.review_case)
    page = login_as(person).get(f"/thematic_review/cases/{review.review_case}/feedback")
    assert page.status_code == 200
    assert "The social worker listened to us." in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "person", ["sw_a", "sw_b", "eh_w", "police", "qa_admin", "mash_hos", "admin"]
)
def test_nobody_else_reads_what_the_families_said(app, world, review, login_as, person):
    add_conversation(app, world, review.review_case)
    page = login_as(person).get(f"/thematic_review/cases/{review.review_case}/feedback")
    assert page.status_code == 403
    assert "listened" not in page.get_data(as_text=True)


def test_only_members_and_the_qa_lead_are_offered_to_record_or_link(app, world, review, login_as):
    add_conversation(app, world, review.review_case)
    html = (
        login_as("hos")
        .get(f"/thematic_review/cases/{review.review_case}/feedback")
        .get_data(as_text=True)
    )
    assert "Record a conversation with the family" not in html
    assert "Write the reply" not in html


# ----- safeguarding concerns, escalated at once -----


def test_a_concern_raised_in_the_conversation_reaches_the_head_of_service_and_the_unit_at_once(
    app, world, review, login_as
):
    client = login_as("tm_b")
    client_key = key()
    data = answers(client_key, concern="yes", concern_description="A bruise on the child's arm.")
    sent = send_json(client, capture_url(review), data)
    assert sent.status_code == 201
    body = sent.get_json()
    assert body["concern_raised"] is True
    assert body["concern_sent_to"] == "Hana Head and Saffron Unit"
    [conversation] = conversations(app)
    with app.app_context():
        concern = db.session.get(SafeguardingConcern, conversation.concern_id)
        assert concern.source_type == "thematic_review_conversation"
        assert concern.source_id == str(conversation.id)
        assert concern.case_id == world.cases["CS-1001"]
        assert concern.description == "A bruise on the child's arm."
        assert concern.raised_by_id == world.users["tm_b"]
        told = db.session.scalars(
            select(User.email).join(Notification, Notification.user_id == User.id)
        ).all()
        assert sorted(told) == [world.emails["hos"], world.emails["sgu"]]
    # sent again: the same conversation and still one concern, and the auditor is told again
    again = send_json(client, capture_url(review), data)
    assert again.status_code == 200
    assert again.get_json()["concern_sent_to"] == "Hana Head and Saffron Unit"
    with app.app_context():
        assert db.session.scalar(select(func.count(SafeguardingConcern.id))) == 1
        assert db.session.scalar(select(func.count(Notification.id))) == 2


def test_the_plain_form_tells_the_auditor_who_received_the_concern(app, world, review, login_as):
    client = login_as("tm_b")
    data = answers(key(), concern="yes", concern_description="Unsafe home.")
    page = client.post_form(capture_url(review), data, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "The conversation with the family has been recorded." in html
    assert "Your safeguarding concern has been sent to Hana Head and Saffron Unit." in html
    assert 'href="/concerns/1"' in html


def test_no_concern_is_raised_when_the_family_refused(app, review, login_as):
    data = answers(key(), consent="refused", concern="yes", concern_description="Ignored")
    assert send_json(login_as("tm_b"), capture_url(review), data).status_code == 201
    with app.app_context():
        assert db.session.scalar(select(func.count(SafeguardingConcern.id))) == 0
