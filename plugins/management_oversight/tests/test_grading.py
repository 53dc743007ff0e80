"""The grading rules of the management oversight dip sample, as a table of cases."""

from datetime import date

import pytest

from plugins.management_oversight.grading import (
    actions_required,
    extra_checks,
    suggest_judgement,
)
from plugins.management_oversight.process import MANAGEMENT_OVERSIGHT

FORM = MANAGEMENT_OVERSIGHT.form
KEYS = [section.key for section in FORM.graded_sections]
LETTERS = {"O": "outstanding", "G": "good", "R": "requires_improvement", "I": "inadequate"}


def answers(grades: str, visits: str = "yes", drift: str = "none") -> dict:
    """One letter a graded section, in form order (- for no grade), and the answers to
    "Were the visits within the timescale?" and "Did the dip sample find drift?"."""
    given = {
        key: {"grade": LETTERS[letter]}
        for key, letter in zip(KEYS, grades, strict=True)
        if letter != "-"
    }
    given.setdefault("visits", {})["in_timescale"] = visits
    given.setdefault("drift", {})["drift_found"] = drift
    return given


def test_the_graded_sections_in_order():
    assert KEYS == ["visits", "plan", "records", "supervision", "drift"]


@pytest.mark.parametrize(
    ("grades", "drift", "grade", "phrase"),
    [
        ("IOOOO", "none", "inadequate", "Visits and seeing the child is graded Inadequate"),
        ("GIIGG", "none", "inadequate", "2 or more Inadequate sections"),
        ("GIGGG", "none", "requires_improvement", "no better than Requires improvement"),
        ("GRRGG", "none", "requires_improvement", "2 or more such sections"),
        ("OOOOO", "unchallenged", "requires_improvement", "nobody had challenged"),
        ("OOOOR", "challenged", "good", "cannot be Outstanding"),
        ("GOOOG", "none", "good", "Visits and seeing the child is not Outstanding"),
        ("OOGGG", "none", "good", "3 or more of the 5 sections"),
        ("OOOGG", "challenged", "outstanding", "3 of the 5 are Outstanding"),
    ],
)
def test_suggested_judgement(grades, drift, grade, phrase):
    judgement = suggest_judgement(FORM, answers(grades, drift=drift))
    assert judgement.grade == grade
    assert phrase in " ".join(judgement.reasons)
    assert all(reason[0].isupper() and reason.endswith(".") for reason in judgement.reasons)


def test_no_suggestion_until_every_section_is_graded():
    judgement = suggest_judgement(FORM, answers("GG-GG"))
    assert judgement.grade is None
    assert "still to grade: Case records and chronology." in judgement.reasons[0]


@pytest.mark.parametrize(
    ("grades", "visits", "drift", "needed"),
    [
        ("GGGGG", "yes", "none", ()),
        ("GGGGG", "mostly", "none", ("visits",)),
        ("GGGGG", "yes", "unchallenged", ("drift",)),
        ("GRGGG", "no", "challenged", ("plan", "visits")),
        ("IGGGR", "no", "unchallenged", ("visits", "drift")),
    ],
)
def test_sections_that_need_an_action(grades, visits, drift, needed):
    assert actions_required(FORM, answers(grades, visits, drift)) == needed


def test_the_last_visit_and_supervision_may_not_be_after_today():
    given = {
        "visits": {"last_visit_on": "2026-11-04"},
        "supervision": {"last_supervision_on": "2026-11-01"},
    }
    assert extra_checks(FORM, given, today=date(2026, 11, 4)) == []
    assert extra_checks(FORM, given, today=date(2026, 10, 31)) == [
        (
            "visits-last_visit_on-day",
            "The date of the last visit must be today or in the past, in Visits and seeing "
            "the child",
        ),
        (
            "supervision-last_supervision_on-day",
            "The date of the last supervision must be today or in the past, in Supervision "
            "and management direction",
        ),
    ]
    assert extra_checks(FORM, given) == []  # a portal that does not pass today
