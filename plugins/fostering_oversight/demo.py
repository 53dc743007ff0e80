"""The fostering review's answers for the demo council's history (``portal_demo_answers``):
answers that agree with the grades the history drew, with the visits and the annual review
dated before the day the review is answered (an overdue review only where its section
needs an action anyway).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from random import Random

from plugins.fostering_oversight.grading import (
    ANNUAL_REVIEW,
    NO_UNANNOUNCED,
    SAFER_CARING,
    UNANNOUNCED,
    VISITS,
)

#: The grades that call for no action.
WELL = ("outstanding", "good")


def _ago(day: date, rng: Random, shortest: int, longest: int) -> str:
    """An ISO date between *shortest* and *longest* days before *day*."""
    return (day - timedelta(days=rng.randint(shortest, longest))).isoformat()


def demo_answers(grades: Mapping[str, str], day: date, rng: Random) -> dict[str, dict[str, str]]:
    """Answers to the review's choice and date questions agreeing with *grades*."""
    well = {key: grade in WELL for key, grade in grades.items()}
    unannounced = well.get(UNANNOUNCED, True) or rng.random() < 0.5
    training = grades.get("training", "good")
    return {
        VISITS: {
            "as_often_as_policy": "yes" if well.get(VISITS, True) else rng.choice(["mostly", "no"]),
            "last_visit_on": _ago(day, rng, 2, 30 if well.get(VISITS, True) else 75),
        },
        UNANNOUNCED: {
            "in_last_year": "yes" if unannounced else NO_UNANNOUNCED,
            "last_unannounced_on": _ago(day, rng, 20, 300) if unannounced else "",
        },
        ANNUAL_REVIEW: {
            "last_review_on": _ago(day, rng, 30, 330)
            if well.get(ANNUAL_REVIEW, True)
            else _ago(day, rng, 370, 450),
            "children_views": "yes" if well.get(ANNUAL_REVIEW, True) else rng.choice(["yes", "no"]),
        },
        "training": {
            "tsd_standards": rng.choice(["completed", "completed", "in_time"])
            if training in WELL
            else ("overdue" if training == "inadequate" else "in_time")
        },
        SAFER_CARING: {
            "plan_current": "yes"
            if well.get(SAFER_CARING, True)
            else ("none" if grades[SAFER_CARING] == "inadequate" else "out_of_date")
        },
    }
