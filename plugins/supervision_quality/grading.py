"""The grading rules of the quality of supervision audit.

Supervision records show "social workers' and managers' reflections on the progress of
cases and the quality of decision making" (section 7 of the framework), and standard 9
asks for "management oversight and regular supervision that is reflective in nature". So
the suggested judgement weighs the five graded sections, with the child's voice and the
management direction counting for more, because supervision that loses sight of the
child or gives no direction leaves the child's plan to drift:

1. Until every graded section has a grade there is no suggestion.
2. Inadequate when the child's voice or the management direction is Inadequate, or 2 or
   more sections are Inadequate.
3. Otherwise Requires improvement when any section is Inadequate, or 2 or more sections
   require improvement.
4. Otherwise Outstanding when every section is Good or better, the reflective discussion
   is Outstanding and at least 3 of the 5 sections are Outstanding.
5. Otherwise Good.

One submission check needs today's date, which the portal passes in (rules never read the
clock): the date of the last supervision cannot be in the future. And when supervision
was not as frequent as the policy requires, the auditor says why.
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

#: The section on how often supervision takes place against the policy.
FREQUENCY_KEY = "frequency"
#: The section on reflective discussion.
REFLECTION_KEY = "reflection"
#: The section on the child's voice and lived experience.
CHILD_KEY = "child_voice"
#: The section on the management direction recorded.
DIRECTION_KEY = "direction"
#: Sections that make the whole audit Inadequate when they are Inadequate.
DECISIVE_KEYS = (CHILD_KEY, DIRECTION_KEY)
#: This many Inadequate sections make the audit Inadequate.
INADEQUATE_SECTIONS_LIMIT = 2
#: This many sections requiring improvement make the audit Requires improvement.
REQUIRES_IMPROVEMENT_SECTIONS_LIMIT = 2
#: An Outstanding audit needs at least this many Outstanding sections.
OUTSTANDING_SECTIONS_NEEDED = 3
#: The question giving the date of the most recent supervision.
LAST_SUPERVISION = (FREQUENCY_KEY, "last_supervision")
#: The question saying whether supervision met the policy's frequency.
MET_POLICY = (FREQUENCY_KEY, "met_policy")
#: The question explaining why it did not.
NOT_MET_REASON = (FREQUENCY_KEY, "not_met_reason")


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

    reasons = [
        f"{form.section(key).title} is graded Inadequate, which makes the audit Inadequate."
        for key in DECISIVE_KEYS
        if given[key] == INADEQUATE
    ]
    if len(inadequate) >= INADEQUATE_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words(inadequate)} are graded Inadequate: {INADEQUATE_SECTIONS_LIMIT} or more "
            f"Inadequate sections make the audit Inadequate."
        )
    if reasons:
        return Judgement(INADEQUATE.key, tuple(reasons))

    if inadequate:
        reasons.append(
            f"{in_words(inadequate)} {is_or_are(len(inadequate))} graded Inadequate, so the "
            f"audit can be no better than Requires improvement."
        )
    if len(requires_improvement) >= REQUIRES_IMPROVEMENT_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words(requires_improvement)} are graded Requires improvement: "
            f"{REQUIRES_IMPROVEMENT_SECTIONS_LIMIT} or more such sections make the audit "
            f"Requires improvement."
        )
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, tuple(reasons))

    shortfalls = list(_outstanding_shortfalls(form, given, requires_improvement, outstanding))
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every section is Good or better, {len(outstanding)} of the {len(graded)} are "
                f"Outstanding, and the reflective discussion is Outstanding.",
            ),
        )
    return Judgement(
        GOOD.key,
        ("No section is Inadequate and at most one requires improvement.", *shortfalls),
    )


def _outstanding_shortfalls(
    form: FormDefinition,
    given: dict[str, Grade],
    requires_improvement: list[str],
    outstanding: list[str],
) -> Iterator[str]:
    """Why an audit with no Inadequate grade is not Outstanding (rule 4)."""
    if requires_improvement:
        yield (
            f"{in_words(requires_improvement)} {is_or_are(len(requires_improvement))} graded "
            f"Requires improvement, so the audit cannot be Outstanding."
        )
    if given[REFLECTION_KEY] != OUTSTANDING:
        yield (
            f"{form.section(REFLECTION_KEY).title} is not Outstanding; the audit can be "
            f"Outstanding only when the supervision is reflective at its best."
        )
    if len(outstanding) < OUTSTANDING_SECTIONS_NEEDED:
        yield (
            f"The audit can be Outstanding only when {OUTSTANDING_SECTIONS_NEEDED} or more "
            f"sections are Outstanding; {len(outstanding)} {is_or_are(len(outstanding))}."
        )


def extra_checks(form: FormDefinition, answers: Answers, today: date) -> list[tuple[str, str]]:
    """The audit's own submission checks, as (html id, message) pairs.

    The last supervision cannot be after *today*; when supervision did not meet the
    policy's frequency, the reason is required.
    """
    problems = []
    section, field = LAST_SUPERVISION
    given = answers.get(section, {}).get(field, "")
    try:
        last = date.fromisoformat(given) if given else None
    except ValueError:
        last = None  # the core reports a date it cannot read
    if last is not None and last > today:
        problems.append(
            (
                f"{section}-{field}-day",
                "The date of the last supervision must be today or in the past",
            )
        )
    section, field = MET_POLICY
    met = answers.get(section, {}).get(field, "")
    reason_section, reason_field = NOT_MET_REASON
    if met and met != "yes" and not answers.get(reason_section, {}).get(reason_field, "").strip():
        problems.append(
            (
                f"{reason_section}-{reason_field}",
                "Say why supervision was not as frequent as the policy requires",
            )
        )
    return problems
