"""The rules of the Section 47 enquiry audit: the suggested judgement, the sections that
need an action, and the checks a question-by-question form cannot express.

A section 47 enquiry exists to find out whether a child is suffering, or likely to suffer,
significant harm, so seeing the child weighs most. The suggested overall judgement,
checked in this order (the first rule that applies gives it):

1. No suggestion until every graded section has a grade.
2. **Inadequate** when Seeing the child is Inadequate, or 2 or more sections are
   Inadequate.
3. **Requires improvement** when any section is Inadequate, 2 or more sections require
   improvement, or the child was not seen within the timescale the strategy discussion set
   (whatever the grades).
4. **Outstanding** when every section is Good or better, Seeing the child and the outcome
   and plan are both Outstanding, and at least half of the sections are Outstanding.
5. **Good** otherwise.

Actions: every section graded Requires improvement or Inadequate needs one (the portal's
default rule), and so does Seeing the child whenever the child was not seen within the
timescale, whatever its grade.

Extra checks at submission: the reason when the parents' consent to information sharing
was not sought, the date the child was first seen unless they were not seen, and no date
after today.

These are pure functions of the form, the answers and *today*. The form is the one the
audit was filled in, which may be older than the plugin's current one, so every section is
looked up in *form* and a missing one counts as not graded.
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

#: The graded section on seeing the child: decisive for the whole audit.
SEEING_CHILD = "seeing_child"
#: The graded section on the outcome of the enquiry and the plan that follows.
OUTCOME = "outcome"
#: The graded section on the information gathered from the agencies, with consent.
MULTI_AGENCY = "multi_agency"
#: The answer to "Was the child seen within the timescale?" that needs no action.
SEEN_IN_TIME = "within_timescale"
#: The answer when the child was not seen at all (then there is no date to give).
NOT_SEEN = "not_seen"
#: This many Inadequate sections make the audit Inadequate.
INADEQUATE_LIMIT = 2
#: This many sections requiring improvement make the audit Requires improvement.
REQUIRES_IMPROVEMENT_LIMIT = 2
#: The date questions that may not be after today: (section, question, what it is).
DATES = (
    ("strategy", "held_on", "the strategy discussion"),
    (SEEING_CHILD, "seen_on", "the day the child was seen"),
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


def seen_late(answers: Answers) -> bool:
    """True when the audit records the child was seen late or not at all."""
    seen = answers.get(SEEING_CHILD, {}).get("child_seen", "")
    return bool(seen) and seen != SEEN_IN_TIME


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
    if SEEING_CHILD in inadequate:
        reasons.append(
            f"{form.section(SEEING_CHILD).title} is graded Inadequate, which makes the audit "
            f"Inadequate."
        )
    if len(inadequate) >= INADEQUATE_LIMIT:
        reasons.append(
            f"{_titles(form, inadequate)} are graded Inadequate: {INADEQUATE_LIMIT} or more "
            f"Inadequate sections make the audit Inadequate."
        )
    if reasons:
        return Judgement(INADEQUATE.key, tuple(reasons))

    if inadequate:
        reasons.append(
            f"{_titles(form, inadequate)} is graded Inadequate, so the audit can be no better "
            f"than Requires improvement."
        )
    if len(improve) >= REQUIRES_IMPROVEMENT_LIMIT:
        reasons.append(
            f"{_titles(form, improve)} are graded Requires improvement: "
            f"{REQUIRES_IMPROVEMENT_LIMIT} or more such sections make the audit Requires "
            f"improvement."
        )
    if seen_late(answers):
        reasons.append(
            "The child was not seen within the timescale the strategy discussion set, so the "
            "audit can be no better than Requires improvement."
        )
    if reasons:
        return Judgement(REQUIRES_IMPROVEMENT.key, tuple(reasons))

    shortfalls = []
    if improve:
        shortfalls.append(
            f"{_titles(form, improve)} {is_or_are(len(improve))} graded Requires improvement, "
            f"so the audit cannot be Outstanding."
        )
    decisive = [key for key in (SEEING_CHILD, OUTCOME) if key in given]
    not_outstanding = [key for key in decisive if given[key].key != OUTSTANDING.key]
    if not_outstanding:
        shortfalls.append(
            f"{_titles(form, not_outstanding)} {is_or_are(len(not_outstanding))} not "
            f"Outstanding; the audit is Outstanding only when seeing the child and the outcome "
            f"and plan both are."
        )
    needed = (len(graded) + 1) // 2
    if len(outstanding) < needed:
        shortfalls.append(
            f"The audit can be Outstanding only when {needed} or more of the {len(graded)} "
            f"sections are Outstanding; {len(outstanding)} {is_or_are(len(outstanding))}."
        )
    if not shortfalls:
        return Judgement(
            OUTSTANDING.key,
            (
                f"Every section is Good or better and {len(outstanding)} of the {len(graded)} "
                f"are Outstanding, seeing the child and the outcome and plan among them.",
            ),
        )
    return Judgement(
        GOOD.key,
        ("No section is Inadequate and the child was seen within the timescale.", *shortfalls),
    )


def actions_required(form: FormDefinition, answers: Answers) -> tuple[str, ...]:
    """The sections that must carry an action: the portal's default rule, plus Seeing the
    child when the child was not seen within the timescale."""
    keys = list(sections_graded_for_action(form, answers))
    if seen_late(answers) and SEEING_CHILD not in keys:
        keys.append(SEEING_CHILD)
    return tuple(keys)


def extra_checks(
    form: FormDefinition, answers: Answers, today: date | None = None
) -> list[tuple[str, str]]:
    """Answers required only after another answer, and dates after *today*: ``(html id,
    message)`` pairs. The html id of a date is its day input, ``section-question-day``.

    Without *today* (a portal older than plugin API 1.1) the dates are not checked.
    """
    problems = []
    agencies = answers.get(MULTI_AGENCY, {})
    if agencies.get("consent") == "not_sought" and not agencies.get("consent_not_sought_why"):
        problems.append(
            (
                f"{MULTI_AGENCY}-consent_not_sought_why",
                "Enter why the parents' consent was not sought, in Multi-agency information",
            )
        )
    seeing = answers.get(SEEING_CHILD, {})
    if seeing.get("child_seen") not in ("", None, NOT_SEEN) and not seeing.get("seen_on"):
        problems.append(
            (
                f"{SEEING_CHILD}-seen_on-day",
                "Enter the date the child was first seen, in Seeing the child",
            )
        )
    if today is not None:
        for section, question, what in DATES:
            value = answers.get(section, {}).get(question, "")
            day = _parsed(value)
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
