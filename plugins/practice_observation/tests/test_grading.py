"""The observation of practice's grading rules and its own submission check."""

from datetime import date

import pytest

from plugins.practice_observation.grading import extra_checks, suggest_judgement
from plugins.practice_observation.process import PRACTICE_OBSERVATION

FORM = PRACTICE_OBSERVATION.form
KEYS = ("preparation", "relationship", "child_focus", "analysis", "next_steps")
SHORT = {"o": "outstanding", "g": "good", "r": "requires_improvement", "i": "inadequate"}
TODAY = date(2026, 12, 5)


def graded(letters: str) -> dict[str, dict[str, str]]:
    """Answers grading the five sections in order: "ogrig" is Outstanding, Good, ..."""
    return {key: {"grade": SHORT[letter]} for key, letter in zip(KEYS, letters, strict=True)}


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ("ggggg", "good"),
        ("ogogo", "outstanding"),  # 3 Outstanding, the child's among them
        ("oogog", "good"),  # 3 Outstanding, but not the child's
        ("rooog", "good"),  # one section requires improvement: good at best
        ("rgggr", "requires_improvement"),  # two require improvement
        ("igggg", "requires_improvement"),  # one Inadequate, not the child's
        ("ggigg", "inadequate"),  # the child's voice and experience
        ("iggig", "inadequate"),  # two Inadequate sections
    ],
)
def test_the_suggested_judgement(letters, expected):
    assert suggest_judgement(FORM, graded(letters)).grade == expected


def test_no_suggestion_until_every_section_is_graded():
    answers = graded("ggggg")
    del answers["analysis"]
    judgement = suggest_judgement(FORM, answers)
    assert judgement.grade is None
    assert "still to grade: Curiosity, risk and analysis." in judgement.reasons[0]


def test_the_reasons_say_why_the_child_decides():
    assert suggest_judgement(FORM, graded("ggigg")).reasons == (
        "The child's voice and experience is graded Inadequate, which makes the observation "
        "Inadequate.",
    )


def visit_on(day: str) -> dict[str, dict[str, str]]:
    return {**graded("ggggg"), "visit": {"visit_date": day, "setting": "home_visit"}}


def test_the_visit_may_be_today_but_not_tomorrow():
    assert extra_checks(FORM, visit_on("2026-12-05"), today=TODAY) == []
    assert extra_checks(FORM, visit_on("2026-12-06"), today=TODAY) == [
        ("visit-visit_date-day", "The date of the visit must be today or in the past")
    ]
    assert extra_checks(FORM, visit_on(""), today=TODAY) == []  # the core asks for it
