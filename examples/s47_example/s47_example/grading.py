"""The rules of the Section 47 enquiry audit: the suggested judgement, the sections that
need an action, and the checks a question-by-question form cannot express.

The suggested overall judgement, checked in this order (the first that applies wins):

1. No suggestion until every graded section has a grade.
2. **Inadequate** when the enquiry itself is Inadequate (the child's safety is the point
   of a section 47 enquiry), or when two or more sections are Inadequate.
3. **Requires improvement** when any section is Inadequate or Requires improvement: one
   Inadequate section other than the enquiry holds the audit at Requires improvement.
4. **Outstanding** when the enquiry and the outcome and plan are both Outstanding (and,
   by rule 3, no section is below Good).
5. **Good** otherwise.

Actions: every section graded Requires improvement or Inadequate needs one (the portal's
default rule), and so does the enquiry whenever the child was not seen within the
timescale the strategy discussion set, whatever its grade.

Extra checks at submission: the reason when consent was not sought, and the date of the
initial child protection conference when that was the outcome.

These are pure functions of the form and the answers. The form is the one the audit was
filled in, which may be an older version than the plugin's current one, so every section
is looked up in *form* and a missing one is simply left out.
"""

from __future__ import annotations

from portal.plugin_api import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    Answers,
    FormDefinition,
    Grade,
    Judgement,
    sections_graded_for_action,
)

#: The graded section on the enquiry: seeing the child, consent, information gathering.
ENQUIRY = "enquiry"
#: The graded section on the outcome of the enquiry and the plan that follows.
OUTCOME = "outcome"
#: This many Inadequate sections make the audit Inadequate.
INADEQUATE_LIMIT = 2
#: The answer to "Was the child seen within the timescale?" that needs no action.
SEEN_IN_TIME = "within_timescale"


def _grades(form: FormDefinition, answers: Answers) -> dict[str, Grade]:
    """The grade given to each graded section of *form* that has one."""
    return {
        section.key: grade
        for section in form.graded_sections
        if (grade := form.grade(answers.get(section.key, {}).get("grade", ""))) is not None
    }


def _title(form: FormDefinition, key: str) -> str:
    """The title of the section *key* of *form*, for the reasons."""
    return form.section(key).title


def suggest_judgement(form: FormDefinition, answers: Answers) -> Judgement:
    """The overall judgement the rules above suggest for *answers*, with the reasons."""
    given = _grades(form, answers)
    missing = [s.title for s in form.graded_sections if s.key not in given]
    if missing:
        return Judgement(None, (f"Grade every section to see a suggestion: {', '.join(missing)}.",))
    inadequate = [key for key, grade in given.items() if grade.key == INADEQUATE.key]
    if ENQUIRY in inadequate:
        return Judgement(
            INADEQUATE.key, (f"{_title(form, ENQUIRY)} is Inadequate, so the audit is Inadequate.",)
        )
    if len(inadequate) >= INADEQUATE_LIMIT:
        titles = ", ".join(_title(form, key) for key in inadequate)
        return Judgement(
            INADEQUATE.key,
            (f"{titles} are Inadequate: {INADEQUATE_LIMIT} or more make the audit Inadequate.",),
        )
    below_good = [key for key, grade in given.items() if grade.needs_action]
    if below_good:
        return Judgement(
            REQUIRES_IMPROVEMENT.key,
            tuple(
                f"{_title(form, key)} is {given[key].label}, so the audit can be no better "
                f"than Requires improvement."
                for key in below_good
            ),
        )
    decisive = [key for key in (ENQUIRY, OUTCOME) if key in given]
    if decisive and all(given[key].key == OUTSTANDING.key for key in decisive):
        return Judgement(
            OUTSTANDING.key,
            (
                f"{' and '.join(_title(form, key) for key in decisive)} are Outstanding and "
                f"every other section is Good or better.",
            ),
        )
    return Judgement(
        GOOD.key,
        (
            "Every section is Good or better; the audit is Outstanding only when the enquiry "
            "and the outcome and plan are both Outstanding.",
        ),
    )


def actions_required(form: FormDefinition, answers: Answers) -> tuple[str, ...]:
    """The sections that must carry an action: the portal's default rule, plus the enquiry
    when the child was not seen within the timescale."""
    keys = list(sections_graded_for_action(form, answers))
    seen = answers.get(ENQUIRY, {}).get("child_seen", "")
    if seen and seen != SEEN_IN_TIME and ENQUIRY not in keys:
        keys.append(ENQUIRY)
    return tuple(keys)


def extra_checks(form: FormDefinition, answers: Answers) -> list[tuple[str, str]]:
    """Questions required only after a certain answer: ``(html id, message)`` pairs.

    The html id is ``section-question``; for a date question it is its day input,
    ``section-question-day``, where the error summary's link takes the auditor.
    """
    problems = []
    enquiry = answers.get(ENQUIRY, {})
    if enquiry.get("consent") == "not_sought" and not enquiry.get("consent_reason"):
        problems.append(
            (f"{ENQUIRY}-consent_reason", "Enter the reason consent was not sought, in The enquiry")
        )
    outcome = answers.get(OUTCOME, {})
    if outcome.get("outcome") == "icpc" and not outcome.get("icpc_on"):
        problems.append(
            (
                f"{OUTCOME}-icpc_on-day",
                "Enter the date of the initial child protection conference, in Outcome and plan",
            )
        )
    return problems
