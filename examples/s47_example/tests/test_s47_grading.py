"""The grading rules of the S.47 enquiry audit, rule by rule."""

from dataclasses import replace

import pytest
from portal.plugin_api import worst_section_grade

from s47_example.grading import actions_required, extra_checks, suggest_judgement
from s47_example.process import S47_AUDIT

FORM = S47_AUDIT.form
KEYS = ("strategy", "enquiry", "outcome", "oversight")


def graded(*grades: str, **extra: dict[str, str]) -> dict[str, dict[str, str]]:
    """Answers giving the four sections *grades*, in the form's order."""
    answers = {key: {"grade": grade} for key, grade in zip(KEYS, grades, strict=True)}
    for key, fields in extra.items():
        answers[key] |= fields
    return answers


@pytest.mark.parametrize(
    ("grades", "suggested"),
    [
        (("good", "inadequate", "good", "good"), "inadequate"),
        (("inadequate", "good", "good", "inadequate"), "inadequate"),
        (("inadequate", "good", "good", "good"), "requires_improvement"),
        (("good", "good", "requires_improvement", "outstanding"), "requires_improvement"),
        (("good", "outstanding", "outstanding", "good"), "outstanding"),
        (("outstanding", "outstanding", "good", "outstanding"), "good"),
        (("good", "good", "good", "good"), "good"),
    ],
)
def test_the_suggested_judgement(grades, suggested):
    judgement = suggest_judgement(FORM, graded(*grades))
    assert judgement.grade == suggested
    assert judgement.reasons


def test_no_suggestion_until_every_section_is_graded():
    answers = graded("good", "good", "good", "good")
    answers["oversight"] = {}
    judgement = suggest_judgement(FORM, answers)
    assert judgement.grade is None
    assert "Management oversight" in judgement.reasons[0]


def test_one_inadequate_section_besides_the_enquiry_differs_from_the_portals_default():
    answers = graded("inadequate", "good", "good", "good")
    assert suggest_judgement(FORM, answers).grade == "requires_improvement"
    assert worst_section_grade(FORM, answers).grade == "inadequate"


def test_a_child_not_seen_in_time_needs_an_action_on_the_enquiry_whatever_its_grade():
    assert actions_required(FORM, graded("good", "good", "good", "requires_improvement")) == (
        "oversight",
    )
    late = graded("good", "good", "good", "good", enquiry={"child_seen": "late"})
    assert actions_required(FORM, late) == ("enquiry",)
    in_time = graded("good", "good", "good", "good", enquiry={"child_seen": "within_timescale"})
    assert actions_required(FORM, in_time) == ()


def test_the_rules_accept_an_older_form_without_the_enquiry():
    older = replace(FORM, version="0", sections=FORM.sections[2:])
    answers = {"outcome": {"grade": "good"}, "oversight": {"grade": "good"}}
    assert suggest_judgement(older, answers).grade == "good"
    assert actions_required(older, answers) == ()


def test_the_extra_checks():
    answers = graded(
        "good",
        "good",
        "good",
        "good",
        enquiry={"consent": "not_sought"},
        outcome={"outcome": "icpc"},
    )
    assert [html_id for html_id, _ in extra_checks(FORM, answers)] == [
        "enquiry-consent_reason",
        "outcome-icpc_on-day",
    ]
    answers["enquiry"]["consent_reason"] = "Asking would have warned the alleged abuser."
    answers["outcome"]["icpc_on"] = "2027-01-20"
    assert extra_checks(FORM, answers) == []
