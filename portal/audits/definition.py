"""How a plugin describes its audit process: sections, questions, grades and rules.

Everything here is plain data (frozen dataclasses) plus two pure functions supplied by
the plugin. The form part (:class:`FormDefinition`) is stored with every audit as JSON,
so a submitted audit always renders in the version it was filled in, even after the
plugin changes its questions or is uninstalled.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from portal.timeutil import today_london
from portal.wording import count, in_words

#: What the auditor entered: ``{section key: {field key: value}}``. Graded sections hold
#: their grade under "grade" and their evidence under "evidence".
Answers = Mapping[str, Mapping[str, str]]

QUESTION_KINDS = ("text", "line", "date", "choice")


@dataclass(frozen=True)
class Grade:
    """One point of a grade scale; a higher rank is better."""

    key: str
    label: str
    descriptor: str
    rank: int
    needs_action: bool = False


OUTSTANDING = Grade(
    "outstanding",
    "Outstanding",
    "Exceedingly good, sustaining improvement, an exceptional difference.",
    4,
)
GOOD = Grade(
    "good",
    "Good",
    "Widespread and common good practice which demonstrably leads to improved outcomes.",
    3,
)
REQUIRES_IMPROVEMENT = Grade(
    "requires_improvement",
    "Requires improvement",
    "Practice with not enough characteristic of good.",
    2,
    needs_action=True,
)
INADEQUATE = Grade(
    "inadequate",
    "Inadequate",
    "Widespread or serious concern: child at risk of being harmed, no improved outcomes.",
    1,
    needs_action=True,
)

#: The four Ofsted grades with the descriptors of the council's framework, best first.
OFSTED_GRADES: tuple[Grade, ...] = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)


@dataclass(frozen=True)
class Question:
    """One field of a section.

    *kind* is "text" (several lines), "line" (one line), "date" or "choice" (radios from
    *choices*, pairs of value and label). Optional questions may be left empty at submit.
    """

    key: str
    label: str
    kind: str = "text"
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Section:
    """A part of the audit form.

    A graded section gets a grade (from the process's scale) and an evidence field in
    addition to its own *questions*. *guidance* is shown to the auditor (a practice
    standard's text, say). *template*, when set, names a plugin template
    (``<key>/...html``) that renders the section instead of the generic form.
    *filled_after_by*, when set, makes the section one that is filled *after* the audit
    is submitted, not by the auditor, by the person it names (a key of
    :data:`FILLED_AFTER_BY`): the date the audit was discussed in supervision, say. Such a
    section is not graded and is left out of the auditor's form and submission checks.
    """

    key: str
    title: str
    guidance: str = ""
    graded: bool = True
    questions: tuple[Question, ...] = ()
    evidence_label: str = "Evidence"
    evidence_hint: str = "What in the case file supports this grade?"
    template: str | None = None
    filled_after_by: str | None = None


#: Who may fill a section after submission (``Section.filled_after_by``), as the pages
#: name them. "case_manager": the line manager of the case's allocated worker, or the
#: manager of the team that holds the case.
FILLED_AFTER_BY: dict[str, str] = {"case_manager": "the case holder's manager"}


@dataclass(frozen=True)
class FormDefinition:
    """The form of one version of an audit process, as stored with each audit."""

    process_key: str
    version: str
    title: str
    sections: tuple[Section, ...]
    grades: tuple[Grade, ...] = OFSTED_GRADES

    def section(self, key: str) -> Section:
        """The section *key*; ``KeyError`` when the form has none."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def grade(self, key: str) -> Grade | None:
        """The grade *key* of this form's scale, or None."""
        return next((grade for grade in self.grades if grade.key == key), None)

    @property
    def graded_sections(self) -> tuple[Section, ...]:
        """The sections that carry a grade."""
        return tuple(section for section in self.sections if section.graded)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, to store with the audits of this version."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FormDefinition:
        """Rebuild a definition stored by :meth:`to_json`."""
        return cls(
            process_key=data["process_key"],
            version=data["version"],
            title=data["title"],
            sections=tuple(
                Section(
                    **{
                        **section,
                        "questions": tuple(
                            Question(
                                **{
                                    **question,
                                    "choices": tuple(tuple(c) for c in question["choices"]),
                                }
                            )
                            for question in section["questions"]
                        ),
                    }
                )
                for section in data["sections"]
            ),
            grades=tuple(Grade(**grade) for grade in data["grades"]),
        )


@dataclass(frozen=True)
class Judgement:
    """The overall judgement the grading rules suggest, and why."""

    grade: str | None
    reasons: tuple[str, ...] = ()


def section_grades(form: FormDefinition, answers: Answers) -> dict[str, Grade]:
    """The grade of each graded section that has one (a grade of the form's scale), by key.

    For a plugin's grading rules, with :func:`waiting_for_grades`.
    """
    return {
        section.key: grade
        for section in form.graded_sections
        if (grade := form.grade(answers.get(section.key, {}).get("grade", ""))) is not None
    }


def waiting_for_grades(form: FormDefinition, given: Mapping[str, Grade]) -> Judgement | None:
    """No suggestion while a graded section has no grade, saying which; None once all do."""
    graded = form.graded_sections
    missing = [section.title for section in graded if section.key not in given]
    if not missing:
        return None
    return Judgement(
        None,
        (
            f"Grade all {len(graded)} sections to see the suggested judgement; "
            f"{count(len(missing), 'section')} still to grade: {in_words(missing)}.",
        ),
    )


def worst_section_grade(form: FormDefinition, answers: Answers) -> Judgement:
    """The default grading rule: the lowest grade given to any graded section."""
    given = section_grades(form, answers)
    waiting = waiting_for_grades(form, given)
    if waiting is not None:
        return waiting
    worst = min(given.values(), key=lambda grade: grade.rank)
    return Judgement(worst.key, (f"The lowest section grade is {worst.label}.",))


def sections_graded_for_action(form: FormDefinition, answers: Answers) -> tuple[str, ...]:
    """The default action rule: sections graded with a grade that needs an action."""
    keys = []
    for section in form.graded_sections:
        grade = form.grade(answers.get(section.key, {}).get("grade", ""))
        if grade is not None and grade.needs_action:
            keys.append(section.key)
    return tuple(keys)


@dataclass(frozen=True)
class DueRule:
    """When an audit is due: a number of working days after allocation."""

    working_days: int = 20


@dataclass(frozen=True)
class Quota:
    """Who audits how many cases of a process in the monthly selection.

    Either *per_auditor* (each eligible auditor gets that many) or *total* (at least that
    many in all, shared out among the eligible auditors). Eligible auditors are the active
    staff holding one of *auditor_roles* (role values such as "team_manager"), and, when
    given, employed by *auditor_agency* (an agency code such as "POLICE").
    """

    name: str
    auditor_roles: tuple[str, ...]
    per_auditor: int = 0
    total: int = 0
    auditor_agency: str | None = None


@dataclass(frozen=True)
class AnswerMeasure:
    """One answer of a process's form that a report counts as yes or no: the answer to
    *field_key* of section *section_key* (``"grade"`` for the section's grade) is a yes
    when it is one of *yes_values*. *label* says what a yes means, in a few words
    ("a positive impact for the child").

    A process names its *outcome* and its *family_participation* this way (see
    :class:`AuditProcess`): the equality section of the learning report breaks them down
    by the child's characteristics.
    """

    section_key: str
    field_key: str
    yes_values: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class AuditProcess:
    """Everything the core needs to run one audit process.

    *services* are service codes and *case_types* case-type codes the process applies to.
    *suggest_judgement* and *actions_required* are pure functions of the form and the
    answers; the defaults take the lowest section grade and ask for an action on every
    section graded Requires improvement or Inadequate. *moderation_share* is the share of
    submitted audits the QA lead moderates (1.0: all; an administrator may change it).
    *recently_closed_days* lets the monthly draw take cases closed up to that many days
    before the month starts (short-lived cases such as MASH contacts); otherwise only open
    cases are drawn. *quotas* say who gets how many
    audits in the monthly selection; *eligible*, when given, is an extra rule
    ``(case, auditor) -> bool`` on top of the core's independence rules (the arguments are
    :class:`portal.scheduling.selection.CandidateCase` and ``Auditor``). *extra_checks*,
    when given, adds the process's own submission checks (a question required only after a
    certain answer, say) as pairs of the field's html id (``section-field``) and a message.
    *auditor_agencies* are the codes of the agencies whose staff may audit it; None (the
    default) means the council's own staff only, never a partner agency's. *outcome* and
    *family_participation*, when given, are the answers that say whether the work made a
    positive difference for the child and whether the family took part
    (:class:`AnswerMeasure`); the learning report's equality section counts them.
    *reaudit_inadequate_after_months*, when set, lets the monthly draw take again a case
    whose last audit of this process was graded Inadequate, that many months after that
    audit was allocated, to see whether its actions changed things for the child;
    otherwise (None, the default) a case audited in the last 12 months is not drawn.
    *retired*, when True, says the process takes no new audits: the draw, themes and
    allocation by hand leave it out, while its existing audits stay named, readable and
    can be finished (a plugin that registers processes at run time retires one this way
    rather than stop returning it).

    A rule (*suggest_judgement*, *actions_required*, *extra_checks*, *eligible*) that
    declares a parameter named ``today`` is also given today's date as ``today=`` (the
    portal's London today; in the demo's history, the day of the story; for *eligible*,
    the first day of the month being drawn), so a rule can check a date without reading
    the clock. Rules without that parameter are called as before. Call them through
    :meth:`apply`.
    """

    key: str
    title: str
    version: str
    sections: tuple[Section, ...]
    services: tuple[str, ...] = ()
    case_types: tuple[str, ...] = ()
    grades: tuple[Grade, ...] = OFSTED_GRADES
    due: DueRule = field(default_factory=DueRule)
    suggest_judgement: Callable[[FormDefinition, Answers], Judgement] = worst_section_grade
    actions_required: Callable[[FormDefinition, Answers], tuple[str, ...]] = (
        sections_graded_for_action
    )
    quotas: tuple[Quota, ...] = ()
    recently_closed_days: int = 0
    moderation_share: float = 1.0
    eligible: Callable[[Any, Any], bool] | None = None
    extra_checks: Callable[[FormDefinition, Answers], Iterable[tuple[str, str]]] | None = None
    auditor_agencies: frozenset[str] | None = None
    outcome: AnswerMeasure | None = None
    family_participation: AnswerMeasure | None = None
    reaudit_inadequate_after_months: int | None = None
    retired: bool = False

    def apply(self, rule: str, *args: Any, today: date) -> Any:
        """Call the process's rule *rule* (one of :data:`RULES`) with *args*, and with
        ``today=`` when the rule declares that parameter."""
        if rule not in RULES:
            raise ValueError(f"{rule!r} is not one of the process's rules")
        function = getattr(self, rule)
        if takes_today(function):
            return function(*args, today=today)
        return function(*args)

    def admits_agency(self, code: str | None, partner: bool) -> bool:
        """True when staff of the agency *code* (a *partner* agency or the council's own;
        None for no agency) may audit this process."""
        if self.auditor_agencies is None:
            return not partner
        return code in self.auditor_agencies or (code is None and not partner)

    def auditor_agency_problem(self, name: str, code: str | None, partner: bool) -> str | None:
        """Why *name*, of the agency *code*, may not audit this process; None when they may."""
        if self.admits_agency(code, partner):
            return None
        if self.auditor_agencies is None:
            staff = "only the council's own staff audit"
            return f"{name} works for a partner agency: {staff} a {self.title}"
        allowed = ", ".join(sorted(self.auditor_agencies))
        return (
            f"{name} works for {code or 'no agency'}: only staff of {allowed} audit a {self.title}"
        )

    @property
    def form(self) -> FormDefinition:
        """This version's form, as stored with each audit."""
        return FormDefinition(
            process_key=self.key,
            version=self.version,
            title=self.title,
            sections=self.sections,
            grades=self.grades,
        )


#: The fields of :class:`AuditProcess` that hold rule functions.
RULES = ("suggest_judgement", "actions_required", "extra_checks", "eligible")


def takes_today(rule: Callable | None) -> bool:
    """True when *rule* declares a parameter named ``today`` (a keyword it accepts).

    The signature of each rule is read once and remembered.
    """
    if rule is None:
        return False
    try:
        return _declares_today(rule)
    except TypeError:  # an unhashable callable object: read its signature each time
        return _declares_today.__wrapped__(rule)


@functools.lru_cache(maxsize=1024)
def _declares_today(rule: Callable) -> bool:
    try:
        parameter = inspect.signature(rule).parameters.get("today")
    except (TypeError, ValueError):  # a callable whose signature Python cannot read
        return False
    return parameter is not None and parameter.kind in (
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.KEYWORD_ONLY,
    )


FIELD_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED_SECTION_KEYS = frozenset({"overall"})
SECTION_FIELDS = frozenset({"grade", "evidence"})


def problems_with(process: object, plugin_key: str, case_types: set[str]) -> list[str]:
    """Everything wrong with a plugin's process description; empty when it is sound."""
    if not isinstance(process, AuditProcess):
        return [f"portal_audit_process returned {type(process).__name__}, not AuditProcess"]
    problems = []
    if process.key != plugin_key:
        problems.append(f"the audit process has the key {process.key!r}")
    if not process.title.strip() or not process.version.strip():
        problems.append("the audit process needs a title and a version")
    if not process.sections:
        problems.append("the audit process has no sections")
    if not process.grades or len({g.key for g in process.grades}) != len(process.grades):
        problems.append("the grade scale is empty or repeats a key")
    if len({g.rank for g in process.grades}) != len(process.grades):
        problems.append("two grades share a rank")
    if not 0 < process.moderation_share <= 1:
        problems.append("the moderation share must be above 0 and at most 1")
    if process.due.working_days < 1:
        problems.append("the due rule must give at least one working day")
    months = process.reaudit_inadequate_after_months
    if months is not None and (not isinstance(months, int) or months < 1):
        problems.append("reaudit_inadequate_after_months must be a whole number of at least 1")
    unknown = sorted(set(process.case_types) - case_types)
    if unknown:
        problems.append(f"unknown case types {', '.join(unknown)}")
    problems.extend(_rule_problems(process))
    for quota in process.quotas:
        if (quota.per_auditor > 0) == (quota.total > 0):
            problems.append(f"quota {quota.name!r} needs either per_auditor or total")
        if not quota.auditor_roles:
            problems.append(f"quota {quota.name!r} names no auditor roles")
    seen: set[str] = set()
    for section in process.sections:
        if not FIELD_KEY_PATTERN.match(section.key) or section.key in RESERVED_SECTION_KEYS:
            problems.append(f"section key {section.key!r} is not allowed")
        if section.key in seen:
            problems.append(f"two sections have the key {section.key!r}")
        if section.filled_after_by is not None and (
            section.filled_after_by not in FILLED_AFTER_BY or section.graded
        ):
            problems.append(
                f"section {section.key!r} is filled after submission by "
                f"{section.filled_after_by!r}: it must not be graded, and the filler must be "
                f"one of {', '.join(sorted(FILLED_AFTER_BY))}"
            )
        seen.add(section.key)
        question_keys = [question.key for question in section.questions]
        if len(set(question_keys)) != len(question_keys):
            problems.append(f"section {section.key!r} repeats a question key")
        for question in section.questions:
            if not FIELD_KEY_PATTERN.match(question.key) or question.key in SECTION_FIELDS:
                problems.append(f"question key {question.key!r} is not allowed")
            if question.kind not in QUESTION_KINDS:
                problems.append(f"question {question.key!r} has the unknown kind {question.kind!r}")
            if question.kind == "choice" and not question.choices:
                problems.append(f"question {question.key!r} is a choice without choices")
    return problems


def _rule_problems(process: AuditProcess) -> list[str]:
    """Call the process's rules once with no answers, as a smoke test of their shape."""
    form = process.form
    try:
        today = today_london()
        judgement = process.apply("suggest_judgement", form, {}, today=today)
        required = process.apply("actions_required", form, {}, today=today)
    except Exception as error:  # a broken rule must stop the start-up, whatever it raised
        return [f"its grading rules fail on an empty audit: {error!r}"]
    problems = []
    if not isinstance(judgement, Judgement):
        problems.append("suggest_judgement must return a Judgement")
    elif judgement.grade is not None and form.grade(judgement.grade) is None:
        problems.append(f"suggest_judgement gave {judgement.grade!r}, which is not on the scale")
    if not isinstance(required, tuple | list):
        problems.append("actions_required must return a tuple of section keys")
    return problems
