"""The grading rules of the Children's Social Care case file audit.

The framework says Outstanding outcomes are "the result of adherence to practice standards
coupled with positive impacts for the child", so the suggested overall judgement weighs
the ten practice standards and the impact section together:

1. Until every graded section has a grade there is no suggestion.
2. Inadequate when the impact is Inadequate, standard 8 (risk assessment and contingency
   plan) is Inadequate, or 3 or more standards are Inadequate.
3. Otherwise Requires improvement when any standard is Inadequate, the impact requires
   improvement, or 4 or more standards require improvement.
4. Otherwise Outstanding when every standard is Good or better, at least 6 of them are
   Outstanding and the impact is Outstanding.
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

#: The key of the graded section on what the work set out to achieve and what changed.
IMPACT_KEY = "impact"
#: Standard 8, risk assessment and contingency plan: Inadequate here is Inadequate overall.
RISK_STANDARD_KEY = "standard_8"
#: This many Inadequate standards make the case Inadequate.
INADEQUATE_STANDARDS_LIMIT = 3
#: This many standards requiring improvement make the case Requires improvement.
REQUIRES_IMPROVEMENT_STANDARDS_LIMIT = 4
#: An Outstanding case needs at least this many Outstanding standards.
OUTSTANDING_STANDARDS_NEEDED = 6


def suggest_judgement(form: FormDefinition, answers: Answers) -> Judgement:
    """The overall judgement the rules suggest for *answers*, with the reasons for it.

    The grade is None until every graded section has a grade. The standards are the
    graded sections other than the impact section.
    """
    graded = form.graded_sections
    grades = grades_given(form, answers)
    waiting = waiting_for_grades(form, grades)
    if waiting is not None:
        return waiting
    given = {key: grade.key for key, grade in grades.items()}
    standards = [section for section in graded if section.key != IMPACT_KEY]
    impact = form.section(IMPACT_KEY)
    impact_grade = given[IMPACT_KEY]

    def titles(grade_key: str) -> list[str]:
        return [section.title for section in standards if given[section.key] == grade_key]

    inadequate = titles(INADEQUATE.key)
    requires_improvement = titles(REQUIRES_IMPROVEMENT.key)
    outstanding = titles(OUTSTANDING.key)

    reasons = _inadequate_reasons(form, given, impact, inadequate)
    if reasons:
        return Judgement(INADEQUATE.key, reasons)
    reasons = _requires_improvement_reasons(impact, impact_grade, inadequate, requires_improvement)
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, reasons)
    shortfalls = _outstanding_shortfalls(
        impact, impact_grade, requires_improvement, len(outstanding), len(standards)
    )
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every standard is Good or better and {len(outstanding)} of the "
                f"{len(standards)} are Outstanding ({OUTSTANDING_STANDARDS_NEEDED} or more "
                f"are needed).",
                f"{impact.title} is graded Outstanding: the practice standards are met and the "
                f"work had a positive impact for the child.",
            ),
        )
    return Judgement(
        GOOD.key,
        (
            f"No standard is Inadequate, the impact is Good or better, and fewer than "
            f"{REQUIRES_IMPROVEMENT_STANDARDS_LIMIT} standards are graded Requires improvement.",
            *shortfalls,
        ),
    )


def _inadequate_reasons(
    form: FormDefinition, given: dict[str, str], impact: Section, inadequate: list[str]
) -> tuple[str, ...]:
    """Why the case is Inadequate (rule 2); empty when it is not."""
    reasons = []
    if given[IMPACT_KEY] == INADEQUATE.key:
        reasons.append(f"{impact.title} is graded Inadequate, which makes the case Inadequate.")
    if given.get(RISK_STANDARD_KEY) == INADEQUATE.key:
        reasons.append(
            f"{form.section(RISK_STANDARD_KEY).title} is graded Inadequate, which makes the "
            f"case Inadequate."
        )
    if len(inadequate) >= INADEQUATE_STANDARDS_LIMIT:
        reasons.append(
            f"{in_words(inadequate)} are graded Inadequate: {INADEQUATE_STANDARDS_LIMIT} or more "
            f"Inadequate standards make the case Inadequate."
        )
    return tuple(reasons)


def _requires_improvement_reasons(
    impact: Section, impact_grade: str, inadequate: list[str], requires_improvement: list[str]
) -> tuple[str, ...]:
    """Why the case is Requires improvement (rule 3); empty when it is not."""
    reasons = []
    if inadequate:
        reasons.append(
            f"{in_words(inadequate)} {is_or_are(len(inadequate))} graded Inadequate, "
            f"so the case can be no better than Requires improvement."
        )
    if impact_grade == REQUIRES_IMPROVEMENT.key:
        reasons.append(
            f"{impact.title} is graded Requires improvement, so the case can be no better than "
            f"Requires improvement."
        )
    if len(requires_improvement) >= REQUIRES_IMPROVEMENT_STANDARDS_LIMIT:
        reasons.append(
            f"{in_words(requires_improvement)} are graded Requires improvement: "
            f"{REQUIRES_IMPROVEMENT_STANDARDS_LIMIT} or more such standards make the case "
            f"Requires improvement."
        )
    return tuple(reasons)


def _outstanding_shortfalls(
    impact: Section,
    impact_grade: str,
    requires_improvement: list[str],
    outstanding_count: int,
    standard_count: int,
) -> tuple[str, ...]:
    """Why a case with no Inadequate grade is not Outstanding (rule 4); empty when it is."""
    reasons = []
    if requires_improvement:
        reasons.append(
            f"{in_words(requires_improvement)} {is_or_are(len(requires_improvement))} "
            f"graded Requires improvement, so not every standard is met and the case cannot "
            f"be Outstanding."
        )
    if impact_grade != OUTSTANDING.key:
        reasons.append(
            f"{impact.title} is graded Good; the case can be Outstanding only when the impact "
            f"for the child is Outstanding."
        )
    if outstanding_count < OUTSTANDING_STANDARDS_NEEDED:
        reasons.append(
            f"The case can be Outstanding only when {OUTSTANDING_STANDARDS_NEEDED} or more of "
            f"the {standard_count} standards are Outstanding; {outstanding_count} "
            f"{is_or_are(outstanding_count)}."
        )
    return tuple(reasons)
