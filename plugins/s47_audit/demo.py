"""The S.47 audit's answers for the demo council's history (``portal_demo_answers``):
answers that agree with the grades the history drew, and dates in the order an enquiry
runs (the strategy discussion, then the child seen) before the day the audit is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from random import Random

from plugins.s47_audit.grading import MULTI_AGENCY, NOT_SEEN, OUTCOME, SEEING_CHILD, SEEN_IN_TIME

#: The grades that call for no action, best first.
WELL = ("outstanding", "good")


def _by_grade(grade: str, rng: Random, well: str, poor: tuple[str, ...], worst: str) -> str:
    """The answer for a section graded *grade*: *well* when it is Good or better, one of
    *poor* when it requires improvement, *worst* when it is Inadequate."""
    if grade in WELL:
        return well
    if grade == "inadequate":
        return worst
    return rng.choice(poor)


def demo_answers(grades: Mapping[str, str], day: date, rng: Random) -> dict[str, dict[str, str]]:
    """Answers to the S.47 audit's choice and date questions agreeing with *grades*."""
    seeing = grades.get(SEEING_CHILD, "good")
    child_seen = _by_grade(seeing, rng, SEEN_IN_TIME, (SEEN_IN_TIME, "late"), "late")
    if seeing == "inadequate" and rng.random() < 0.5:
        child_seen = NOT_SEEN
    held = day - timedelta(days=rng.randint(10, 25))
    seen = held + timedelta(days=rng.randint(0, 1) if child_seen == SEEN_IN_TIME else 4)
    agencies = grades.get(MULTI_AGENCY, "good")
    consent = _by_grade(
        agencies, rng, rng.choice(["given", "given", "refused"]), ("given", "refused"), "not_sought"
    )
    answers = {
        "strategy": {
            "held_on": held.isoformat(),
            "attendance": _by_grade(
                grades.get("strategy", "good"),
                rng,
                "csc_police_health",
                ("csc_police",),
                "csc_only",
            ),
        },
        "timeliness": {
            "in_timescale": _by_grade(
                grades.get("timeliness", "good"), rng, "yes", ("yes", "explained"), "no"
            )
        },
        SEEING_CHILD: {
            "child_seen": child_seen,
            "seen_on": "" if child_seen == NOT_SEEN else seen.isoformat(),
            "seen_alone": _by_grade(
                seeing, rng, rng.choice(["yes", "yes", "not_appropriate"]), ("no", "yes"), "no"
            ),
        },
        MULTI_AGENCY: {
            "agencies": _by_grade(agencies, rng, "all", ("some",), "none"),
            "consent": consent,
            "consent_not_sought_why": (
                "The record says asking would have warned the adult suspected of the harm."
                if consent == "not_sought"
                else ""
            ),
        },
        OUTCOME: {
            "outcome": rng.choices(["icpc", "cin", "early_help", "nfa"], weights=[4, 4, 1, 1])[0],
        },
    }
    return answers
