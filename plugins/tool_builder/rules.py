"""The declarative rules a builder tool may choose to suggest its overall judgement.

Each rule is a pure function of the audit's form and answers, like a coded plugin's
``suggest_judgement``; a tool names one in its definition (``"judgement": {"rule": ...}``)
and :func:`rule_for` turns that into the function. They work on any grade scale of two
grades or more (best first, as the form holds it), so they read the form's own grades:

- ``worst_section``: the lowest grade given to any graded section (the portal's default);
- ``majority``: the best grade that more than half of the graded sections reach or
  exceed (with five sections, the third best grade given);
- ``outstanding_needs``: the top grade only when at least *sections* sections have it
  and none is below the second grade ("Outstanding needs N sections Outstanding and none
  below Good"); otherwise the lowest grade given, and no better than the second grade.

Every rule gives no suggestion until every graded section has a grade.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from portal.plugin_api import (
    Answers,
    FormDefinition,
    Grade,
    Judgement,
    grades_given,
    in_words,
    is_or_are,
    waiting_for_grades,
    worst_section_grade,
)

#: The rules a definition may name, with what each does in the QA lead's words.
RULES: dict[str, str] = {
    "worst_section": "The lowest grade given to any section",
    "majority": "The best grade that more than half of the sections reach",
    "outstanding_needs": (
        "The top grade needs a number of sections at the top grade and none below the "
        "second grade; otherwise the lowest grade given"
    ),
}


def worst_section(form: FormDefinition, answers: Answers) -> Judgement:
    """The lowest grade given to any graded section."""
    return worst_section_grade(form, answers)


def majority(form: FormDefinition, answers: Answers) -> Judgement:
    """The best grade that more than half of the graded sections reach or exceed."""
    given = grades_given(form, answers)
    waiting = waiting_for_grades(form, given)
    if waiting is not None:
        return waiting
    ranked = sorted(given.values(), key=lambda grade: grade.rank, reverse=True)
    grade = ranked[len(ranked) // 2]
    reaching = sum(1 for other in ranked if other.rank >= grade.rank)
    return Judgement(
        grade.key,
        (
            f"{reaching} of the {len(ranked)} sections {is_or_are(reaching)} graded "
            f"{grade.label} or better: more than half of them.",
        ),
    )


@dataclass(frozen=True)
class OutstandingNeeds:
    """The top grade needs *sections* sections at the top grade and none below the second
    grade; otherwise the lowest grade given, capped at the second grade."""

    sections: int

    def __call__(self, form: FormDefinition, answers: Answers) -> Judgement:
        """The judgement this rule suggests for *answers*, with its reasons."""
        given = grades_given(form, answers)
        waiting = waiting_for_grades(form, given)
        if waiting is not None:
            return waiting
        top, second = sorted(form.grades, key=lambda grade: grade.rank, reverse=True)[:2]
        worst = min(given.values(), key=lambda grade: grade.rank)
        if worst.rank < second.rank:
            low = _titles(form, given, worst)
            return Judgement(
                worst.key,
                (f"{in_words(low)} {is_or_are(len(low))} graded {worst.label}.",),
            )
        at_top = _titles(form, given, top)
        if len(at_top) >= self.sections:
            return Judgement(
                top.key,
                (
                    f"{len(at_top)} sections are {top.label} (at least {self.sections} "
                    f"needed) and none is below {second.label}.",
                ),
            )
        return Judgement(
            second.key,
            (
                f"No section is below {second.label}; {top.label} needs {self.sections} or "
                f"more sections graded {top.label}, and {len(at_top)} "
                f"{is_or_are(len(at_top))}.",
            ),
        )


def _titles(form: FormDefinition, given: Mapping[str, Grade], grade: Grade) -> list[str]:
    """The titles of the sections given *grade*, in the form's order."""
    return [section.title for section in form.graded_sections if given[section.key] == grade]


def rule_for(spec: Mapping[str, Any]) -> Callable[[FormDefinition, Answers], Judgement]:
    """The rule a definition's ``judgement`` names (validated against the schema first)."""
    name = spec["rule"]
    if name == "worst_section":
        return worst_section
    if name == "majority":
        return majority
    if name == "outstanding_needs":
        return OutstandingNeeds(int(spec["sections"]))
    raise ValueError(f"{name!r} is not one of the rules: {', '.join(RULES)}")
