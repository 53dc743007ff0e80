"""The grading rules of the fostering management oversight, as a table of cases."""

from datetime import date

import pytest

from plugins.fostering_oversight.grading import (
    actions_required,
    extra_checks,
    suggest_judgement,
)
from plugins.fostering_oversight.process import FOSTERING_OVERSIGHT

FORM = FOSTERING_OVERSIGHT.form
KEYS = [section.key for section in FORM.graded_sections]
LETTERS = {"O": "outstanding", "G": "good", "R": "requires_improvement", "I": "inadequate"}
TODAY = date(2026, 11, 20)


def answers(grades: str, unannounced: str = "yes", review: str = "2026-06-01") -> dict:
    """One letter a graded section, in form order (- for no grade), whether there was an
    unannounced visit in the year, and the date of the last annual review."""
    given = {
        key: {"grade": LETTERS[letter]}
        for key, letter in zip(KEYS, grades, strict=True)
        if letter != "-"
    }
    given.setdefault("unannounced_visits", {})["in_last_year"] = unannounced
    given.setdefault("annual_review", {})["last_review_on"] = review
    return given


def test_the_graded_sections_in_order():
    assert KEYS == [
        "supervisory_visits",
        "unannounced_visits",
        "annual_review",
        "training",
        "safer_caring",
    ]


@pytest.mark.parametrize(
    ("grades", "unannounced", "grade", "phrase"),
    [
        ("IOOOO", "yes", "inadequate", "Supervising social worker visits is graded Inadequate"),
        ("OOOOI", "yes", "inadequate", "Safer caring is graded Inadequate"),
        ("GIIGG", "yes", "inadequate", "2 or more Inadequate sections"),
        ("GGIGG", "yes", "requires_improvement", "no better than Requires improvement"),
        ("GRGRG", "yes", "requires_improvement", "2 or more such sections"),
        ("OOOOO", "no", "requires_improvement", "no unannounced visit in the last 12 months"),
        ("OOORO", "yes", "good", "cannot be Outstanding"),
        ("OOOGG", "yes", "good", "Safer caring is not Outstanding"),
        ("OGGGO", "yes", "good", "3 or more of the 5 sections"),
        ("OGGOO", "yes", "outstanding", "3 of the 5 are Outstanding, safer caring among them"),
    ],
)
def test_suggested_judgement(grades, unannounced, grade, phrase):
    judgement = suggest_judgement(FORM, answers(grades, unannounced))
    assert judgement.grade == grade
    assert phrase in " ".join(judgement.reasons)
    assert all(reason[0].isupper() and reason.endswith(".") for reason in judgement.reasons)


def test_no_suggestion_until_every_section_is_graded():
    judgement = suggest_judgement(FORM, answers("GGG--"))
    assert judgement.grade is None
    assert "still to grade: Training and development and Safer caring." in judgement.reasons[0]


@pytest.mark.parametrize(
    ("grades", "unannounced", "review", "needed"),
    [
        ("GGGGG", "yes", "2026-06-01", ()),
        ("GGGGG", "no", "2026-06-01", ("unannounced_visits",)),
        ("GGGGG", "yes", "2025-11-20", ()),  # a year ago today: on time
        ("GGGGG", "yes", "2025-11-19", ("annual_review",)),  # more than a year ago
        (
            "GGGRI",
            "no",
            "2024-01-01",
            ("training", "safer_caring", "unannounced_visits", "annual_review"),
        ),
    ],
)
def test_sections_that_need_an_action(grades, unannounced, review, needed):
    assert actions_required(FORM, answers(grades, unannounced, review), today=TODAY) == needed


def test_without_today_an_overdue_review_is_not_known():
    assert actions_required(FORM, answers("GGGGG", review="2020-01-01")) == ()


def test_no_date_may_be_after_today():
    given = {
        "supervisory_visits": {"last_visit_on": "2026-11-20"},
        "unannounced_visits": {"last_unannounced_on": "2026-11-21"},
        "annual_review": {"last_review_on": "2026-06-01"},
    }
    assert extra_checks(FORM, given, today=TODAY) == [
        (
            "unannounced_visits-last_unannounced_on-day",
            "The date of the last unannounced visit must be today or in the past, in "
            "Unannounced visits",
        )
    ]
    assert extra_checks(FORM, given) == []  # a portal that does not pass today
