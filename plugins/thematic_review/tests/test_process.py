"""The case review form each pair fills in, and how the portal runs it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.tests.review_helpers import add_cases, make_review
from portal.plugin_api import (
    OFSTED_GRADES,
    Audit,
    CaseType,
    db,
    problems_with,
    run_draw,
    sections_graded_for_action,
    worst_section_grade,
)


def test_the_process_passes_the_start_up_checks():
    assert problems_with(THEMATIC_REVIEW, "thematic_review", {c.value for c in CaseType}) == []


def test_the_process_is_the_thematic_case_review():
    assert THEMATIC_REVIEW.key == "thematic_review"
    assert THEMATIC_REVIEW.title == "Thematic review: case review"
    assert THEMATIC_REVIEW.version == "1"
    assert THEMATIC_REVIEW.services == ("CSC", "EH")
    assert set(THEMATIC_REVIEW.case_types) == {c.value for c in CaseType} - {"MASH_CONTACT"}
    assert THEMATIC_REVIEW.grades == OFSTED_GRADES
    assert THEMATIC_REVIEW.due.working_days == 10
    assert THEMATIC_REVIEW.moderation_share == 1.0
    assert THEMATIC_REVIEW.quotas == ()
    # the portal's own rules: the lowest section grade; an action for RI and Inadequate
    assert THEMATIC_REVIEW.suggest_judgement is worst_section_grade
    assert THEMATIC_REVIEW.actions_required is sections_graded_for_action


def test_six_graded_sections_then_good_practice_and_learning():
    form = THEMATIC_REVIEW.form
    assert [(s.key, s.title) for s in form.graded_sections] == [
        ("journey", "The journey of the child"),
        ("assessment_planning", "The quality of assessment and planning"),
        ("child_voice", "The child's voice"),
        ("multi_agency", "Multi-agency working"),
        ("management_oversight", "Management oversight"),
        ("impact", "Impact and outcomes"),
    ]
    ungraded = [s for s in form.sections if not s.graded]
    assert [(s.key, s.title) for s in ungraded] == [
        ("good_practice", "Good practice to celebrate"),
        ("gaps_learning", "Gaps and learning"),
    ]
    assert [q.key for q in form.section("gaps_learning").questions] == ["gaps", "learning"]
    assert all(q.kind == "text" and q.required for s in ungraded for q in s.questions)


def test_the_guidance_draws_on_the_framework():
    form = THEMATIC_REVIEW.form
    assert "emphasises the journey of the child" in form.section("journey").guidance
    assert (
        "evidence of management oversight and regular supervision that is reflective in nature"
        in form.section("management_oversight").guidance
    )
    assert "spoken to alone" in form.section("child_voice").guidance
    assert "celebrate good practice as well as identify gaps and learning" in (
        form.section("good_practice").guidance
    )
    assert [q.label for q in form.section("impact").questions] == [
        "What did the social worker set out to achieve?",
        "What has changed for the child?",
    ]
    for section in form.sections:
        assert section.guidance.strip().endswith(".")


@pytest.mark.parametrize(
    ("grades", "suggested", "needing_action"),
    [
        ({"journey": "good", "impact": "outstanding"}, None, ()),
        (
            {s.key: "good" for s in THEMATIC_REVIEW.form.graded_sections}
            | {"multi_agency": "requires_improvement"},
            "requires_improvement",
            ("multi_agency",),
        ),
    ],
)
def test_the_portal_s_rules_apply(grades, suggested, needing_action):
    form = THEMATIC_REVIEW.form
    answers = {key: {"grade": grade} for key, grade in grades.items()}
    assert THEMATIC_REVIEW.suggest_judgement(form, answers).grade == suggested
    assert THEMATIC_REVIEW.actions_required(form, answers) == needing_action


def test_the_plugin_hands_the_portal_its_process(app):
    assert app.extensions["portal.plugins"].process("thematic_review") is THEMATIC_REVIEW


def test_reviews_take_no_part_in_the_monthly_draw(app, world, enable_plugins):
    enable_plugins("thematic_review")
    add_cases(app, world, 12)
    with app.app_context():
        drawn = run_draw(date(2027, 1, 1), 7, date(2026, 12, 1))
    assert not [a for a in drawn["allocations"] if a["process"] == "thematic_review"]


def test_the_pair_fills_in_the_case_review_in_the_portal_s_form(
    app, client, world, login_as, enable_plugins
):
    enable_plugins("thematic_review")
    add_cases(app, world, 1)
    make_review(app, world, ["TR-001"], pair=("sm", "hos"))
    with app.app_context():
        audit_id = db.session.scalar(select(Audit.id).where(Audit.process_key == "thematic_review"))
    # a joint audit: each of the pair records their own judgement before it is submitted
    login_as("sm")
    response = client.post_form(
        f"/audits/{audit_id}/edit", {"own-grade": "good", "revision": "0", "intent": "save"}
    )
    assert response.status_code in (200, 302)
    client.post_form("/logout")
    login_as("hos")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    for section in THEMATIC_REVIEW.form.sections:
        assert section.title.replace("'", "&#39;") in page
    answers = {
        **{f"{s.key}-grade": "good" for s in THEMATIC_REVIEW.form.graded_sections},
        **{f"{s.key}-evidence": "Seen in the file." for s in THEMATIC_REVIEW.form.graded_sections},
        "impact-intended": "A safe home.",
        "impact-changed": "The child is safe at home.",
        "good_practice-practice": "Direct work with the child.",
        "gaps_learning-gaps": "No chronology.",
        "gaps_learning-learning": "Chronologies in supervision.",
        "overall-summary": "Good work that kept the child safe.",
        "own-grade": "good",
        "revision": "0",
        "intent": "submit",
    }
    response = client.post_form(f"/audits/{audit_id}/edit", answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.submitted_at is not None
        assert audit.suggested_grade == "good"
