"""The discussion with each case's social worker: the question framework the QA lead edits,
the notice to the worker, their attendance and their answers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from plugins.thematic_review import cases, discussion, reviews
from plugins.thematic_review.models import Question, ReviewCase
from plugins.thematic_review.tests.review_helpers import add_cases, make_review, review_of
from portal.plugin_api import Case, Notification, User, db


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


@pytest.fixture
def review(app, world):
    """A review of TR-001 (held by Sophie Worker, managed by Tara Manager) paired to Sam
    Service and Hana Head; Alex Director is a member who is not in the pair."""
    add_cases(app, world, 2)
    review_id = make_review(app, world, ["TR-001"], pair=("sm", "hos"))
    with app.app_context():
        return review_id, review_of(review_id).cases[0].id


def questions(app, review_id) -> list[str]:
    with app.app_context():
        db.session.expire_all()
        return [q.text for q in review_of(review_id).questions]


# The question framework -------------------------------------------------------------------


def test_the_qa_lead_adds_changes_moves_and_removes_questions(app, client, world, login_as, review):
    review_id, _ = review
    login_as("qa_lead")
    url = f"/thematic_review/{review_id}/questions"
    page = client.get(url).get_data(as_text=True)
    assert "What got in the way?" in page
    assert client.post_form(url, {"text": "  What did the family say?  "}).status_code == 302
    assert questions(app, review_id)[-1] == "What did the family say?"
    with app.app_context():
        first, second, *_, last = review_of(review_id).questions
        first_id, second_id, last_id = first.id, second.id, last.id
    response = client.post_form(f"{url}/{second_id}", {"text": "What were you hoping to change?"})
    assert response.status_code == 302
    assert questions(app, review_id)[1] == "What were you hoping to change?"
    client.post_form(f"{url}/{last_id}/move", {"direction": "up"})
    assert questions(app, review_id)[-2:] == [
        "What did the family say?",
        "What does the child say about our help?",
    ]
    client.post_form(f"{url}/{first_id}/move", {"direction": "up"})  # already first
    assert questions(app, review_id)[0] == reviews.DEFAULT_QUESTIONS[0]
    assert client.post_form(f"{url}/{first_id}/move", {"direction": "sideways"}).status_code == 400
    assert client.post_form(f"{url}/{first_id}/remove").status_code == 302
    assert len(questions(app, review_id)) == 6
    assert reviews.DEFAULT_QUESTIONS[0] not in questions(app, review_id)
    with app.app_context():
        assert [q.position for q in review_of(review_id).questions] == [1, 2, 3, 4, 5, 6]


def test_an_empty_question_is_refused(app, client, world, login_as, review):
    review_id, _ = review
    login_as("qa_lead")
    url = f"/thematic_review/{review_id}/questions"
    response = client.post_form(url, {"text": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#new-question"' in page
    with app.app_context():
        question_id = review_of(review_id).questions[0].id
    response = client.post_form(f"{url}/{question_id}", {"text": ""})
    assert response.status_code == 400
    assert f'href="#question-{question_id}"' in response.get_data(as_text=True)
    response = client.post_form(url, {"text": "x" * 501})
    assert response.status_code == 400
    assert "Use 500 characters or fewer" in response.get_data(as_text=True)
    assert questions(app, review_id) == list(reviews.DEFAULT_QUESTIONS)


def test_only_the_qa_lead_edits_the_questions(app, client, world, login_as, review):
    review_id, _ = review
    login_as("sm")
    url = f"/thematic_review/{review_id}/questions"
    assert client.get(url).status_code == 403
    assert client.post_form(url, {"text": "Mine?"}).status_code == 403
    assert questions(app, review_id) == list(reviews.DEFAULT_QUESTIONS)


def test_a_question_of_another_review_is_not_found(app, client, world, login_as, review):
    review_id, _ = review
    other = make_review(app, world, theme="Other")
    with app.app_context():
        question_id = review_of(other).questions[0].id
    login_as("qa_lead")
    response = client.post_form(
        f"/thematic_review/{review_id}/questions/{question_id}", {"text": "x"}
    )
    assert response.status_code == 404


# Notice to the worker ---------------------------------------------------------------------


def test_the_pair_sends_the_worker_and_their_manager_notice(app, client, world, login_as, review):
    review_id, review_case_id = review
    login_as("sm")
    response = client.post_form(f"/thematic_review/{review_id}/cases/{review_case_id}/notice")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ReviewCase, review_case_id).worker_notified_at is not None
        told = db.session.scalars(
            select(Notification).where(Notification.subject.like("Thematic review of case TR-001%"))
        ).all()
        assert {n.user_id for n in told} == {world.users["sw_a"], world.users["tm_a"]}
        assert "attendance is required" in told[0].body
        assert "Council offices, room 2" in told[0].body
    page = client.get(f"/thematic_review/{review_id}").get_data(as_text=True)
    assert "Told on" in page


def test_a_member_outside_the_pair_cannot_send_notice(app, client, world, login_as, review):
    review_id, review_case_id = review
    login_as("ad")
    assert client.get(f"/thematic_review/{review_id}/cases/{review_case_id}").status_code == 200
    response = client.post_form(f"/thematic_review/{review_id}/cases/{review_case_id}/notice")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(ReviewCase, review_case_id).worker_notified_at is None


def test_a_case_with_no_worker_gets_no_notice(app, client, world, login_as, review):
    review_id, review_case_id = review
    with app.app_context():
        db.session.get(Case, world.cases["TR-001"]).allocated_worker_id = None
        db.session.commit()
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{review_id}/cases/{review_case_id}/notice")
    assert response.status_code == 400
    assert "TR-001 has no allocated worker to tell" in response.get_data(as_text=True)


def test_the_qa_lead_sends_notice_for_every_case_at_once(app, client, world, login_as, review):
    review_id, _ = review
    with app.app_context():
        qa_lead = db.session.get(User, world.users["qa_lead"])
        cases.choose_case(review_of(review_id), "CS-1002", "Also", qa_lead)
        db.session.commit()
    login_as("qa_lead")
    assert client.post_form(f"/thematic_review/{review_id}/notices").status_code == 302
    with app.app_context():
        assert all(rc.worker_notified_at for rc in review_of(review_id).cases)
        told = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.subject.like("Thematic review of case%")
                )
            )
        )
    assert told == {world.users[short] for short in ("sw_a", "tm_a", "sw_b", "tm_b")}


# The discussion ---------------------------------------------------------------------------


def test_the_pair_records_attendance_and_the_worker_s_answers(app, client, world, login_as, review):
    review_id, review_case_id = review
    with app.app_context():
        first, second = (q.id for q in review_of(review_id).questions[:2])
    login_as("hos")
    url = f"/thematic_review/{review_id}/cases/{review_case_id}"
    page = client.get(url).get_data(as_text=True)
    assert "What were you trying to achieve for the child?" in page
    response = client.post_form(
        f"{url}/discussion",
        {
            "attended": "yes",
            f"answer-{first}": "To keep <em>her</em> safe at home.",
            f"answer-{second}": "  ",
            "notes": "Reflective; wants help with chronologies.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        review_case = db.session.get(ReviewCase, review_case_id)
        assert review_case.worker_attended is True
        assert review_case.discussion == {str(first): "To keep <em>her</em> safe at home."}
        assert review_case.discussion_notes == "Reflective; wants help with chronologies."
    client.post_form("/logout")
    login_as("ad")  # a member outside the pair reads it
    page = client.get(url).get_data(as_text=True)
    assert "To keep &lt;em&gt;her&lt;/em&gt; safe at home." in page
    assert "<em>her</em>" not in page
    assert 'name="attended"' not in page
    response = client.post_form(f"{url}/discussion", {"attended": "no"})
    assert response.status_code == 403


def test_attendance_must_be_recorded(app, client, world, login_as, review):
    review_id, review_case_id = review
    login_as("sm")
    url = f"/thematic_review/{review_id}/cases/{review_case_id}"
    response = client.post_form(f"{url}/discussion", {"notes": "Typed notes"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say whether the social worker attended" in page
    assert 'href="#attended"' in page
    assert "Typed notes" in page  # what was typed is shown again
    with app.app_context():
        review_case = db.session.get(ReviewCase, review_case_id)
        assert review_case.worker_attended is None and review_case.discussion_notes == ""


def test_a_question_with_answers_cannot_be_removed(app, client, world, login_as, review):
    review_id, review_case_id = review
    with app.app_context():
        question_id = review_of(review_id).questions[0].id
        discussion.record_discussion(
            db.session.get(ReviewCase, review_case_id),
            True,
            {question_id: "An answer"},
            "",
            db.session.get(User, world.users["sm"]),
        )
        db.session.commit()
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{review_id}/questions/{question_id}/remove")
    assert response.status_code == 400
    assert "Answers to this question are recorded for 1 case" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, question_id) is not None


def test_a_case_of_another_review_is_not_found(app, client, world, login_as, review):
    review_id, review_case_id = review
    other = make_review(app, world, theme="Other")
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{other}/cases/{review_case_id}").status_code == 404
    assert client.get(f"/thematic_review/{review_id}/cases/999").status_code == 404


def test_a_non_member_cannot_read_the_discussion(app, client, world, login_as, review):
    review_id, review_case_id = review
    login_as("sw_a")  # the worker themself is not a member of the review
    assert client.get(f"/thematic_review/{review_id}/cases/{review_case_id}").status_code == 403
