"""The grading rules of the Early Help deep-dive audit.

The framework asks Early Help audits to "consider the impact and outcomes of the work
undertaken with children and families", and the child's voice is at the heart of early
help. So the suggested overall judgement weighs every graded section, with the impact
section and the voice of the child counting for more:

1. Until every graded section has a grade there is no suggestion.
2. Inadequate when the impact is Inadequate, the voice of the child is Inadequate, or 2 or
   more sections are Inadequate.
3. Otherwise Requires improvement when any section is Inadequate, the impact requires
   improvement, or 3 or more sections require improvement.
4. Otherwise Outstanding when every section is Good or better, the impact is Outstanding
   and at least half of the sections are Outstanding.
5. Otherwise Good.

Every judgement comes with reasons in plain English, naming the sections that drove it,
for the auditor and the moderator. These are pure functions of the form and the answers.
"""

from portal.plugin_api import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    Answers,
    FormDefinition,
    Judgement,
    Section,
    grades_given,
    in_words,
    is_or_are,
    waiting_for_grades,
)

#: The key of the graded section on what the help set out to achieve and what changed.
IMPACT_KEY = "impact"
#: The key of the graded section on the voice of the child.
VOICE_KEY = "voice_of_child"
#: Sections that make the whole case Inadequate when they are Inadequate.
DECISIVE_KEYS = (VOICE_KEY, IMPACT_KEY)
#: This many Inadequate sections make the case Inadequate.
INADEQUATE_SECTIONS_LIMIT = 2
#: This many sections requiring improvement make the case Requires improvement.
REQUIRES_IMPROVEMENT_SECTIONS_LIMIT = 3


def suggest_judgement(form: FormDefinition, answers: Answers) -> Judgement:
    """The overall judgement the rules suggest for *answers*, with the reasons for it.

    The grade is None until every graded section has a grade. An Outstanding case needs
    at least half of the graded sections (the impact among them) to be Outstanding.
    """
    graded = form.graded_sections
    grades = grades_given(form, answers)
    waiting = waiting_for_grades(form, grades)
    if waiting is not None:
        return waiting
    given = {key: grade.key for key, grade in grades.items()}

    def graded_as(grade_key: str) -> list[Section]:
        return [section for section in graded if given[section.key] == grade_key]

    inadequate = graded_as(INADEQUATE.key)
    requires_improvement = graded_as(REQUIRES_IMPROVEMENT.key)
    outstanding = graded_as(OUTSTANDING.key)
    impact = form.section(IMPACT_KEY)
    impact_grade = given[IMPACT_KEY]

    reasons = _inadequate_reasons(inadequate)
    if reasons:
        return Judgement(INADEQUATE.key, reasons)
    reasons = _requires_improvement_reasons(impact, impact_grade, inadequate, requires_improvement)
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, reasons)
    shortfalls = _outstanding_shortfalls(
        impact, impact_grade, requires_improvement, len(outstanding), len(graded)
    )
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every section is Good or better and {len(outstanding)} of the {len(graded)} "
                f"are Outstanding ({_half(len(graded))} or more are needed).",
                f"{impact.title} is graded Outstanding: the help made a clear, positive "
                f"difference for the child and the family.",
            ),
        )
    return Judgement(
        GOOD.key,
        (
            f"No section is Inadequate, the impact is Good or better, and fewer than "
            f"{REQUIRES_IMPROVEMENT_SECTIONS_LIMIT} sections are graded Requires improvement.",
            *shortfalls,
        ),
    )


def _inadequate_reasons(inadequate: list[Section]) -> tuple[str, ...]:
    """Why the case is Inadequate (rule 2); empty when it is not."""
    reasons = [
        f"{section.title} is graded Inadequate, which makes the case Inadequate."
        for section in inadequate
        if section.key in DECISIVE_KEYS
    ]
    if len(inadequate) >= INADEQUATE_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words([section.title for section in inadequate])} are graded Inadequate: "
            f"{INADEQUATE_SECTIONS_LIMIT} or more Inadequate sections make the case Inadequate."
        )
    return tuple(reasons)


def _requires_improvement_reasons(
    impact: Section,
    impact_grade: str,
    inadequate: list[Section],
    requires_improvement: list[Section],
) -> tuple[str, ...]:
    """Why the case is Requires improvement (rule 3); empty when it is not."""
    reasons = [
        f"{section.title} is graded Inadequate, so the case can be no better than Requires "
        f"improvement."
        for section in inadequate
    ]
    if impact_grade == REQUIRES_IMPROVEMENT.key:
        reasons.append(
            f"{impact.title} is graded Requires improvement, so the case can be no better than "
            f"Requires improvement."
        )
    if len(requires_improvement) >= REQUIRES_IMPROVEMENT_SECTIONS_LIMIT:
        reasons.append(
            f"{in_words([section.title for section in requires_improvement])} are graded "
            f"Requires improvement: {REQUIRES_IMPROVEMENT_SECTIONS_LIMIT} or more such sections "
            f"make the case Requires improvement."
        )
    return tuple(reasons)


def _outstanding_shortfalls(
    impact: Section,
    impact_grade: str,
    requires_improvement: list[Section],
    outstanding_count: int,
    section_count: int,
) -> tuple[str, ...]:
    """Why a case with no Inadequate grade is not Outstanding (rule 4); empty when it is."""
    reasons = []
    if requires_improvement:
        titles = [section.title for section in requires_improvement]
        reasons.append(
            f"{in_words(titles)} {is_or_are(len(titles))} graded Requires improvement, "
            f"so not every section is Good or better and the case cannot be Outstanding."
        )
    if impact_grade != OUTSTANDING.key:
        reasons.append(
            f"{impact.title} is graded Good; the case can be Outstanding only when the impact "
            f"for the child and the family is Outstanding."
        )
    needed = _half(section_count)
    if outstanding_count < needed:
        reasons.append(
            f"The case can be Outstanding only when at least half of the {section_count} "
            f"sections ({needed} or more) are Outstanding; {outstanding_count} "
            f"{is_or_are(outstanding_count)}."
        )
    return tuple(reasons)


def _half(number: int) -> int:
    """At least half of *number*, as a whole number: 4 of 7, 3 of 6."""
    return (number + 1) // 2
