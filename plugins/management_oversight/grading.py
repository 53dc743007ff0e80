"""The rules of the management oversight dip sample of CIN, CP and CLA cases.

A dip sample is a manager's quick look at whether a case is being held safely: is the
child seen as often as their plan and the law require, is the plan moving, are the records
current, does supervision give direction, and is there drift. Seeing the child weighs most.
The suggested overall judgement, checked in this order (the first rule that applies gives
it):

1. No suggestion until every graded section has a grade.
2. **Inadequate** when Visits and seeing the child is Inadequate, or 2 or more sections
   are Inadequate.
3. **Requires improvement** when any section is Inadequate, 2 or more sections require
   improvement, or drift was found that nobody had challenged.
4. **Outstanding** when every section is Good or better and 3 or more are Outstanding,
   Visits and seeing the child among them.
5. **Good** otherwise.

Actions: every section graded Requires improvement or Inadequate needs one (the portal's
default rule); so does Visits and seeing the child when the visits were not within the
timescale, and Drift and delay when unchallenged drift was found, whatever the grades.

Extra checks at submission: the last visit and the last supervision are not after today.
Pure functions of the form, the answers and *today*; a section missing from an older form
counts as not graded.
"""

from __future__ import annotations

from datetime import date

from portal.plugin_api import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    Answers,
    FormDefinition,
    Grade,
    Judgement,
    in_words,
    is_or_are,
    sections_graded_for_action,
)

#: The graded section on statutory visits and seeing the child: decisive.
VISITS = "visits"
#: The graded section on drift and delay.
DRIFT = "drift"
#: The graded section on supervision and management direction.
SUPERVISION = "supervision"
#: The answer that visits were within the timescale.
VISITS_IN_TIME = "yes"
#: The answer that drift was found and nobody had challenged it.
UNCHALLENGED_DRIFT = "unchallenged"
#: This many Inadequate sections make the case Inadequate.
INADEQUATE_LIMIT = 2
#: This many sections requiring improvement make the case Requires improvement.
REQUIRES_IMPROVEMENT_LIMIT = 2
#: An Outstanding case needs at least this many Outstanding sections.
OUTSTANDING_NEEDED = 3
#: The date questions that may not be after today: (section, question, what it is).
DATES = (
    (VISITS, "last_visit_on", "the last visit"),
    (SUPERVISION, "last_supervision_on", "the last supervision"),
)


def grades_given(form: FormDefinition, answers: Answers) -> dict[str, Grade]:
    """The grade given to each graded section of *form* that has one, by section key."""
    return {
        section.key: grade
        for section in form.graded_sections
        if (grade := form.grade(answers.get(section.key, {}).get("grade", ""))) is not None
    }


def _titles(form: FormDefinition, keys: list[str]) -> str:
    return in_words(form.section(key).title for key in keys)


def visits_late(answers: Answers) -> bool:
    """True when the dip sample found the visits were not within the timescale."""
    answer = answers.get(VISITS, {}).get("in_timescale", "")
    return bool(answer) and answer != VISITS_IN_TIME


def drift_unchallenged(answers: Answers) -> bool:
    """True when the dip sample found drift that nobody had challenged."""
    return answers.get(DRIFT, {}).get("drift_found", "") == UNCHALLENGED_DRIFT


def suggest_judgement(form: FormDefinition, answers: Answers) -> Judgement:
    """The overall judgement the rules above suggest for *answers*, with the reasons."""
    given = grades_given(form, answers)
    graded = form.graded_sections
    missing = [section.title for section in graded if section.key not in given]
    if missing:
        return Judgement(
            None,
            (
                f"Grade all {len(graded)} sections to see the suggested judgement; still to "
                f"grade: {in_words(missing)}.",
            ),
        )
    inadequate = [key for key, grade in given.items() if grade.key == INADEQUATE.key]
    improve = [key for key, grade in given.items() if grade.key == REQUIRES_IMPROVEMENT.key]
    outstanding = [key for key, grade in given.items() if grade.key == OUTSTANDING.key]

    reasons = []
    if VISITS in inadequate:
        reasons.append(
            f"{form.section(VISITS).title} is graded Inadequate, which makes the case Inadequate."
        )
    if len(inadequate) >= INADEQUATE_LIMIT:
        reasons.append(
            f"{_titles(form, inadequate)} are graded Inadequate: {INADEQUATE_LIMIT} or more "
            f"Inadequate sections make the case Inadequate."
        )
    if reasons:
        return Judgement(INADEQUATE.key, tuple(reasons))

    if inadequate:
        reasons.append(
            f"{_titles(form, inadequate)} is graded Inadequate, so the case can be no better "
            f"than Requires improvement."
        )
    if len(improve) >= REQUIRES_IMPROVEMENT_LIMIT:
        reasons.append(
            f"{_titles(form, improve)} are graded Requires improvement: "
            f"{REQUIRES_IMPROVEMENT_LIMIT} or more such sections make the case Requires "
            f"improvement."
        )
    if drift_unchallenged(answers):
        reasons.append(
            "Drift was found that nobody had challenged, so the case can be no better than "
            "Requires improvement."
        )
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, tuple(reasons))

    shortfalls = []
    if improve:
        shortfalls.append(
            f"{_titles(form, improve)} {is_or_are(len(improve))} graded Requires improvement, "
            f"so the case cannot be Outstanding."
        )
    if VISITS in given and given[VISITS].key != OUTSTANDING.key:
        shortfalls.append(
            f"{form.section(VISITS).title} is not Outstanding; the case is Outstanding only "
            f"when it is."
        )
    if len(outstanding) < OUTSTANDING_NEEDED:
        shortfalls.append(
            f"The case can be Outstanding only when {OUTSTANDING_NEEDED} or more of the "
            f"{len(graded)} sections are Outstanding; {len(outstanding)} "
            f"{is_or_are(len(outstanding))}."
        )
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every section is Good or better and {len(outstanding)} of the {len(graded)} "
                f"are Outstanding, visits and seeing the child among them.",
            ),
        )
    return Judgement(
        GOOD.key,
        (
            f"No section is Inadequate and fewer than {REQUIRES_IMPROVEMENT_LIMIT} require "
            f"improvement.",
            *shortfalls,
        ),
    )


def actions_required(form: FormDefinition, answers: Answers) -> tuple[str, ...]:
    """The sections that must carry an action: the portal's default rule, plus the visits
    when they were not within the timescale and drift when it went unchallenged."""
    keys = list(sections_graded_for_action(form, answers))
    for key, needed in ((VISITS, visits_late(answers)), (DRIFT, drift_unchallenged(answers))):
        if needed and key not in keys and key in {s.key for s in form.graded_sections}:
            keys.append(key)
    return tuple(keys)


def extra_checks(
    form: FormDefinition, answers: Answers, today: date | None = None
) -> list[tuple[str, str]]:
    """Dates after *today*: ``(html id, message)`` pairs, the html id of a date being its
    day input. Without *today* (a portal older than plugin API 1.1) nothing is checked."""
    if today is None:
        return []
    problems = []
    for section, question, what in DATES:
        day = _parsed(answers.get(section, {}).get(question, ""))
        if day is not None and day > today:
            title = next((s.title for s in form.sections if s.key == section), section)
            problems.append(
                (
                    f"{section}-{question}-day",
                    f"The date of {what} must be today or in the past, in {title}",
                )
            )
    return problems


def _parsed(value: str) -> date | None:
    """The ISO date *value*, or None when it is empty or not a date."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
