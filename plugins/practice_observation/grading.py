"""The grading rules of the observation of practice.

The observer watches a practitioner at work with a family and grades five parts of the
practice. The child's experience of the visit matters most: a practitioner who does not
see or hear the child has not done the visit's main job. So:

1. Until every graded section has a grade there is no suggestion.
2. Inadequate when the child's voice and experience is Inadequate, or 2 or more sections
   are Inadequate.
3. Otherwise Requires improvement when any section is Inadequate, or 2 or more sections
   require improvement.
4. Otherwise Outstanding when every section is Good or better, the child's voice and
   experience is Outstanding and at least 3 of the 5 sections are Outstanding.
5. Otherwise Good.

The submission checks need today's date, which the portal passes in (rules never read the
clock): the visit observed cannot be in the future.
"""

from __future__ import annotations

from collections.abc import Iterator
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
)

#: The section on the child seen and heard during the visit.
CHILD_KEY = "child_focus"
#: This many Inadequate sections make the observation Inadequate.
INADEQUATE_SECTIONS_LIMIT = 2
#: This many sections requiring improvement make the observation Requires improvement.
REQUIRES_IMPROVEMENT_SECTIONS_LIMIT = 2
#: An Outstanding observation needs at least this many Outstanding sections.
OUTSTANDING_SECTIONS_NEEDED = 3
#: The question giving the date of the visit observed.
VISIT_DATE = ("visit", "visit_date")
#: The question saying whether the family gave their view of the visit.
VIEW_GIVEN = ("family_view", "view_given")


def given_grades(form: FormDefinition, answers: Answers) -> dict[str, Grade]:
    """The grade of each graded section that has one, by section key."""
    grades = {}
    for section in form.graded_sections:
        grade = form.grade(answers.get(section.key, {}).get("grade", ""))
        if grade is not None:
            grades[section.key] = grade
    return grades


def suggest_judgement(form: FormDefinition, answers: Answers) -> Judgement:
    """The overall judgement the rules suggest for *answers*, with the reasons for it.

    The grade is None until every graded section has a grade.
    """
    graded = form.graded_sections
    given = given_grades(form, answers)
    missing = [section.title for section in graded if section.key not in given]
    if missing:
        return Judgement(
            None,
            (
                f"Grade all {len(graded)} sections to see the suggested judgement; still to "
                f"grade: {in_words(missing)}.",
            ),
        )

    def titles(grade: Grade) -> list[str]:
        return [section.title for section in graded if given[section.key] == grade]

    inadequate = titles(INADEQUATE)
    requires_improvement = titles(REQUIRES_IMPROVEMENT)
    outstanding = titles(OUTSTANDING)
    child = form.section(CHILD_KEY).title

    reasons = []
    if given[CHILD_KEY] == INADEQUATE:
        reasons.append(f"{child} is graded Inadequate, which makes the observation Inadequate.")
    if len(inadequate) >= INADEQUATE_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words(inadequate)} are graded Inadequate: {INADEQUATE_SECTIONS_LIMIT} or more "
            f"Inadequate sections make the observation Inadequate."
        )
    if reasons:
        return Judgement(INADEQUATE.key, tuple(reasons))

    if inadequate:
        reasons.append(
            f"{in_words(inadequate)} {is_or_are(len(inadequate))} graded Inadequate, so the "
            f"observation can be no better than Requires improvement."
        )
    if len(requires_improvement) >= REQUIRES_IMPROVEMENT_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words(requires_improvement)} are graded Requires improvement: "
            f"{REQUIRES_IMPROVEMENT_SECTIONS_LIMIT} or more such sections make the "
            f"observation Requires improvement."
        )
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, tuple(reasons))

    shortfalls = list(_outstanding_shortfalls(child, given, requires_improvement, outstanding))
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every section is Good or better, {len(outstanding)} of the {len(graded)} are "
                f"Outstanding, and {child} is Outstanding.",
            ),
        )
    return Judgement(
        GOOD.key,
        ("No section is Inadequate and at most one requires improvement.", *shortfalls),
    )


def _outstanding_shortfalls(
    child: str, given: dict[str, Grade], requires_improvement: list[str], outstanding: list[str]
) -> Iterator[str]:
    """Why an observation with no Inadequate grade is not Outstanding (rule 4)."""
    if requires_improvement:
        yield (
            f"{in_words(requires_improvement)} {is_or_are(len(requires_improvement))} graded "
            f"Requires improvement, so the observation cannot be Outstanding."
        )
    if given[CHILD_KEY] != OUTSTANDING:
        yield (
            f"{child} is not Outstanding; the observation can be Outstanding only when the "
            f"child's experience of the visit is."
        )
    if len(outstanding) < OUTSTANDING_SECTIONS_NEEDED:
        yield (
            f"The observation can be Outstanding only when {OUTSTANDING_SECTIONS_NEEDED} or "
            f"more sections are Outstanding; {len(outstanding)} {is_or_are(len(outstanding))}."
        )


def extra_checks(form: FormDefinition, answers: Answers, today: date) -> list[tuple[str, str]]:
    """The observation's own submission checks, as (html id, message) pairs: the visit
    observed cannot be after *today*."""
    section, field = VISIT_DATE
    given = answers.get(section, {}).get(field, "")
    try:
        visited = date.fromisoformat(given) if given else None
    except ValueError:
        visited = None  # the core reports a date it cannot read
    if visited is not None and visited > today:
        return [(f"{section}-{field}-day", "The date of the visit must be today or in the past")]
    return []
