"""The dip sample's answers for the demo council's history (``portal_demo_answers``):
answers that agree with the grades the history drew, with the last visit and supervision
dated before the day the dip sample is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from random import Random

from plugins.management_oversight.grading import (
    DRIFT,
    SUPERVISION,
    UNCHALLENGED_DRIFT,
    VISITS,
    VISITS_IN_TIME,
)

#: The grades that call for no action.
WELL = ("outstanding", "good")


def demo_answers(grades: Mapping[str, str], day: date, rng: Random) -> dict[str, dict[str, str]]:
    """Answers to the dip sample's choice and date questions agreeing with *grades*."""
    visits = grades.get(VISITS, "good")
    in_time = visits in WELL
    drift = grades.get(DRIFT, "good")
    if drift in WELL:
        drift_found = rng.choice(["none", "none", "challenged"])
    else:
        drift_found = UNCHALLENGED_DRIFT if drift == "inadequate" else "challenged"
    supervised = grades.get(SUPERVISION, "good") in WELL
    return {
        VISITS: {
            "in_timescale": VISITS_IN_TIME if in_time else rng.choice(["mostly", "no"]),
            "last_visit_on": (
                day - timedelta(days=rng.randint(1, 9 if in_time else 40))
            ).isoformat(),
            "seen_alone": rng.choice(["yes", "yes", "not_appropriate"]) if in_time else "no",
        },
        "plan": {"reviewed_in_time": "yes" if grades.get("plan", "good") in WELL else "no"},
        SUPERVISION: {
            "last_supervision_on": (
                day - timedelta(days=rng.randint(3, 28 if supervised else 90))
            ).isoformat()
        },
        DRIFT: {"drift_found": drift_found},
        "direction": {"discussed": rng.choice(["yes", "yes", "arranged"])},
    }
