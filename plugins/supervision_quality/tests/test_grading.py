"""The quality of supervision audit's grading rules and its own submission checks."""

from datetime import date

import pytest

from plugins.supervision_quality.grading import extra_checks, suggest_judgement
from plugins.supervision_quality.process import SUPERVISION_QUALITY_AUDIT

FORM = SUPERVISION_QUALITY_AUDIT.form
KEYS = ("frequency", "reflection", "child_voice", "actions", "direction")
SHORT = {"o": "outstanding", "g": "good", "r": "requires_improvement", "i": "inadequate"}
TODAY = date(2026, 12, 5)


def graded(letters: str) -> dict[str, dict[str, str]]:
    """Answers grading the five sections in order: "ogrig" is Outstanding, Good, ..."""
    return {key: {"grade": SHORT[letter]} for key, letter in zip(KEYS, letters, strict=True)}


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ("ggggg", "good"),
        ("oogog", "outstanding"),  # 3 Outstanding, the reflection among them
        ("ogoog", "good"),  # 3 Outstanding, but not the reflection
        ("oogoo", "outstanding"),
        ("rooog", "good"),  # one section requires improvement: good at best
        ("rrggg", "requires_improvement"),  # two require improvement
        ("igggg", "requires_improvement"),  # one Inadequate, not decisive
        ("ggigg", "inadequate"),  # the child's voice
        ("ggggi", "inadequate"),  # the management direction
        ("iiggg", "inadequate"),  # two Inadequate sections
        ("ooooo", "outstanding"),
    ],
)
def test_the_suggested_judgement(letters, expected):
    assert suggest_judgement(FORM, graded(letters)).grade == expected


def test_no_suggestion_until_every_section_is_graded_and_the_missing_ones_are_named():
    answers = graded("ggggg")
    del answers["reflection"], answers["direction"]
    judgement = suggest_judgement(FORM, answers)
    assert judgement.grade is None
    assert judgement.reasons == (
        "Grade all 5 sections to see the suggested judgement; still to grade: Reflective "
        "discussion and Management direction and decisions.",
    )


def test_the_reasons_name_the_sections_that_decided():
    judgement = suggest_judgement(FORM, graded("ggigg"))
    assert judgement.reasons == (
        "The child's voice and lived experience is graded Inadequate, which makes the audit "
        "Inadequate.",
    )
    good = suggest_judgement(FORM, graded("ogoog"))
    assert (
        "Reflective discussion is not Outstanding; the audit can be Outstanding only when the "
        "supervision is reflective at its best." in good.reasons
    )


def with_frequency(last: str, met: str, reason: str = "") -> dict[str, dict[str, str]]:
    answers = graded("ggggg")
    answers["frequency"] |= {"last_supervision": last, "met_policy": met, "not_met_reason": reason}
    return answers


def test_the_last_supervision_may_be_today_but_not_tomorrow():
    assert extra_checks(FORM, with_frequency("2026-12-05", "yes"), today=TODAY) == []
    assert extra_checks(FORM, with_frequency("2026-12-06", "yes"), today=TODAY) == [
        (
            "frequency-last_supervision-day",
            "The date of the last supervision must be today or in the past",
        )
    ]


def test_a_date_the_core_cannot_read_is_left_to_the_core():
    assert extra_checks(FORM, with_frequency("2026-02-31", "yes"), today=TODAY) == []


@pytest.mark.parametrize("met", ["mostly", "no"])
def test_supervision_less_often_than_the_policy_needs_a_reason(met):
    assert extra_checks(FORM, with_frequency("2026-11-20", met, "  "), today=TODAY) == [
        (
            "frequency-not_met_reason",
            "Say why supervision was not as frequent as the policy requires",
        )
    ]
    given = with_frequency("2026-11-20", met, "The manager was off sick for six weeks.")
    assert extra_checks(FORM, given, today=TODAY) == []
