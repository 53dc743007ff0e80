"""The rules of the management oversight of fostering cases.

The case is a fostering household: the foster carers, supervised by a supervising social
worker. Safe care weighs most: the supervising social worker's visits and the household's
safer caring plan. The suggested overall judgement, checked in this order (the first rule
that applies gives it):

1. No suggestion until every graded section has a grade.
2. **Inadequate** when Supervising social worker visits or Safer caring is Inadequate, or 2
   or more sections are Inadequate.
3. **Requires improvement** when any section is Inadequate, 2 or more sections require
   improvement, or there was no unannounced visit in the last 12 months.
4. **Outstanding** when every section is Good or better and 3 or more are Outstanding,
   Safer caring among them.
5. **Good** otherwise.

Actions: every section graded Requires improvement or Inadequate needs one (the portal's
default rule); so does Unannounced visits when there was none in the last 12 months, and
Annual review when the last review is more than a year before *today*, whatever the
grades.

Extra checks at submission: no date after *today*. Pure functions of the form, the
answers and *today*; a section missing from an older form counts as not graded.
"""

from __future__ import annotations

from datetime import date, timedelta

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

#: The graded sections whose Inadequate grade makes the case Inadequate.
VISITS = "supervisory_visits"
SAFER_CARING = "safer_caring"
DECISIVE = (VISITS, SAFER_CARING)
#: The graded section on unannounced visits, and its answer when there was none in a year.
UNANNOUNCED = "unannounced_visits"
NO_UNANNOUNCED = "no"
#: The graded section on the annual review of the carers' approval.
ANNUAL_REVIEW = "annual_review"
#: A review older than this before today is overdue.
REVIEW_EVERY = timedelta(days=365)
#: This many Inadequate sections make the case Inadequate.
INADEQUATE_LIMIT = 2
#: This many sections requiring improvement make the case Requires improvement.
REQUIRES_IMPROVEMENT_LIMIT = 2
#: An Outstanding case needs at least this many Outstanding sections.
OUTSTANDING_NEEDED = 3
#: The date questions that may not be after today: (section, question, what it is).
DATES = (
    (VISITS, "last_visit_on", "the last supervisory visit"),
    (UNANNOUNCED, "last_unannounced_on", "the last unannounced visit"),
    (ANNUAL_REVIEW, "last_review_on", "the last annual review"),
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


def no_unannounced_visit(answers: Answers) -> bool:
    """True when there was no unannounced visit in the last 12 months."""
    return answers.get(UNANNOUNCED, {}).get("in_last_year", "") == NO_UNANNOUNCED


def review_overdue(answers: Answers, today: date) -> bool:
    """True when the last annual review was more than a year before *today*."""
    last = _parsed(answers.get(ANNUAL_REVIEW, {}).get("last_review_on", ""))
    return last is not None and today - last > REVIEW_EVERY


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

    reasons = [
        f"{form.section(key).title} is graded Inadequate, which makes the case Inadequate."
        for key in inadequate
        if key in DECISIVE
    ]
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
    if no_unannounced_visit(answers):
        reasons.append(
            "There was no unannounced visit in the last 12 months, so the case can be no "
            "better than Requires improvement."
        )
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, tuple(reasons))

    shortfalls = []
    if improve:
        shortfalls.append(
            f"{_titles(form, improve)} {is_or_are(len(improve))} graded Requires improvement, "
            f"so the case cannot be Outstanding."
        )
    if SAFER_CARING in given and given[SAFER_CARING].key != OUTSTANDING.key:
        shortfalls.append(
            f"{form.section(SAFER_CARING).title} is not Outstanding; the case is Outstanding "
            f"only when it is."
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
                f"are Outstanding, safer caring among them.",
            ),
        )
    return Judgement(
        GOOD.key,
        (
            f"No section is Inadequate, fewer than {REQUIRES_IMPROVEMENT_LIMIT} require "
            f"improvement, and there was an unannounced visit in the last 12 months.",
            *shortfalls,
        ),
    )


def actions_required(
    form: FormDefinition, answers: Answers, today: date | None = None
) -> tuple[str, ...]:
    """The sections that must carry an action: the portal's default rule, plus the
    unannounced visits when there was none in a year and the annual review when it is
    overdue on *today* (not checked without *today*)."""
    keys = list(sections_graded_for_action(form, answers))
    graded = {section.key for section in form.graded_sections}
    needed = [
        (UNANNOUNCED, no_unannounced_visit(answers)),
        (ANNUAL_REVIEW, today is not None and review_overdue(answers, today)),
    ]
    for key, needs_one in needed:
        if needs_one and key in graded and key not in keys:
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
