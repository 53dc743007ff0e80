"""Audit answers: reading them from a form, merging concurrent saves, checking a submission.

Pure functions: no Flask, no database. Answers travel flat, as ``{"section.field": value}``;
in the HTML each field is named ``section-field`` (a date question as three inputs,
``section-field-day``, ``-month`` and ``-year``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from portal.audits.definition import Answers, FormDefinition, Judgement, Question, Section

OVERALL = "overall"
#: The most characters an answer may hold: a free-text answer (about 3,000 words) and a
#: one-line answer. Longer answers are refused, not cut, and nothing is saved.
TEXT_LIMIT = 20_000
LINE_LIMIT = 500


@dataclass(frozen=True)
class FieldSpec:
    """One stored field of a form: where it lives and what kind of input it is."""

    section: str
    field: str
    kind: str  # text, line, date, choice, grade, many (several choices, stored comma-separated)

    @property
    def flat_key(self) -> str:
        """The key in flat answers: ``section.field``."""
        return f"{self.section}.{self.field}"

    @property
    def html_id(self) -> str:
        """The name and id of the input in the page."""
        return f"{self.section}-{self.field}"


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, for the GOV.UK error summary and the field itself."""

    html_id: str
    message: str


@dataclass(frozen=True)
class Conflict:
    """A field that someone else changed while this user changed it too."""

    spec: FieldSpec
    theirs: str
    yours: str


def section_specs(section: Section) -> list[FieldSpec]:
    """Every field of *section*: its questions, then its grade and evidence if graded."""
    specs = [FieldSpec(section.key, q.key, q.kind) for q in section.questions]
    if section.graded:
        specs.append(FieldSpec(section.key, "grade", "grade"))
        specs.append(FieldSpec(section.key, "evidence", "text"))
    return specs


def field_specs(form: FormDefinition) -> list[FieldSpec]:
    """Every field the auditor fills in *form*, section by section, then the overall
    judgement (sections filled after submission are not the auditor's)."""
    specs = []
    for section in form.sections:
        if section.filled_after_by is None:
            specs.extend(section_specs(section))
    specs.extend(
        [
            FieldSpec(OVERALL, "grade", "grade"),
            FieldSpec(OVERALL, "reason", "text"),
            FieldSpec(OVERALL, "summary", "text"),
            FieldSpec(OVERALL, "learning", "many"),
        ]
    )
    return specs


def nest(flat: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Turn ``{"s.f": v}`` into ``{"s": {"f": v}}``."""
    nested: dict[str, dict[str, str]] = {}
    for key, value in flat.items():
        section, _, field = key.partition(".")
        nested.setdefault(section, {})[field] = value
    return nested


def flatten(answers: Answers) -> dict[str, str]:
    """Turn ``{"s": {"f": v}}`` into ``{"s.f": v}``."""
    return {f"{s}.{f}": v for s, fields in answers.items() for f, v in fields.items()}


def date_parts(value: str) -> tuple[str, str, str]:
    """Day, month and year of a stored date (ISO, or the raw parts of an invalid one)."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day = value.split("-")
        return str(int(day)), str(int(month)), year
    parts = [*value.split("/"), "", "", ""][:3] if value else ["", "", ""]
    return parts[0], parts[1], parts[2]


def _read_date(data: Mapping[str, str], html_id: str) -> str:
    day, month, year = (
        data.get(f"{html_id}-{part}", "").strip() for part in ("day", "month", "year")
    )
    if not (day or month or year):
        return ""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{day}/{month}/{year}"  # kept as typed, refused at submit


def read_form(
    form: FormDefinition, data: Mapping[str, str], specs: Iterable[FieldSpec] | None = None
) -> dict[str, str]:
    """The flat answers in a submitted form (an unselected grade or choice reads as "");
    the auditor's fields unless *specs* name others."""
    answers = {}
    for spec in field_specs(form) if specs is None else specs:
        if spec.kind == "date":
            answers[spec.flat_key] = _read_date(data, spec.html_id)
        elif spec.kind == "many":
            chosen = data.getlist(spec.html_id) if hasattr(data, "getlist") else []
            answers[spec.flat_key] = ",".join(sorted(value.strip() for value in chosen if value))
        else:
            answers[spec.flat_key] = data.get(spec.html_id, "").replace("\r\n", "\n").strip()
    return answers


def length_errors(
    form: FormDefinition, answers: Mapping[str, str], specs: Iterable[FieldSpec] | None = None
) -> list[FieldError]:
    """A problem for each of the flat *answers* longer than its field may hold (the
    auditor's fields unless *specs* name others)."""
    errors = []
    for spec in field_specs(form) if specs is None else specs:
        limit = LINE_LIMIT if spec.kind == "line" else TEXT_LIMIT
        length = len(answers.get(spec.flat_key, ""))
        if length > limit:
            errors.append(
                FieldError(
                    spec.html_id,
                    f"This answer has {length:,} characters: use {limit:,} or fewer. "
                    "Nothing was saved.",
                )
            )
    return errors


def merge(
    stored: Mapping[str, str], base: Mapping[str, str], incoming: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Merge a save made from an older revision into the stored answers, field by field.

    *base* is what the saving user started from, *stored* what is saved now, *incoming*
    what they send. A field only they changed takes their value; a field only someone
    else changed keeps the stored value; a field both changed differently is a conflict:
    the stored value stays and the field's key is returned, so nothing is silently lost.
    """
    merged = dict(stored)
    conflicts = []
    for key, value in incoming.items():
        now, then = stored.get(key, ""), base.get(key, "")
        if value in (now, then):
            continue  # nothing new from this user for this field
        if now == then:
            merged[key] = value  # only this user changed it
        else:
            conflicts.append(key)  # both changed it: keep theirs, tell this user
    return merged, conflicts


def is_iso_date(value: str) -> bool:
    """True for a valid ``YYYY-MM-DD`` date."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _question_error(question: Question, value: str, where: str) -> str | None:
    label = f"‘{question.label}’"
    if question.kind == "date" and value and not is_iso_date(value):
        return f"{label} in {where} must be a real date, for example 27 3 2026"
    if question.required and not value:
        verb = "Choose an answer to" if question.kind == "choice" else "Enter an answer to"
        return f"{verb} {label} in {where}"
    if question.kind == "choice" and value and value not in dict(question.choices):
        return f"Choose one of the options for {label} in {where}"
    return None


def submission_errors(
    form: FormDefinition,
    answers: Answers,
    judgement: Judgement,
    sections_needing_actions: Iterable[str],
    sections_with_actions: Iterable[str],
) -> list[FieldError]:
    """Every reason the audit cannot be submitted yet, in the order of the form.

    *sections_with_actions* are the sections that already carry at least one action
    with an owner and a due date.
    """
    errors = []
    needing = set(sections_needing_actions)
    having = set(sections_with_actions)
    for section in form.sections:
        if section.filled_after_by is not None:
            continue  # filled after submission, by someone else
        given = answers.get(section.key, {})
        for question in section.questions:
            html_id = f"{section.key}-{question.key}"
            message = _question_error(question, given.get(question.key, ""), section.title)
            if message:
                anchor = f"{html_id}-day" if question.kind == "date" else html_id
                errors.append(FieldError(anchor, message))
        if section.graded:
            grade = form.grade(given.get("grade", ""))
            if grade is None:
                errors.append(
                    FieldError(f"{section.key}-grade", f"Choose a grade for {section.title}")
                )
            if not given.get("evidence", ""):
                errors.append(
                    FieldError(f"{section.key}-evidence", f"Enter the evidence for {section.title}")
                )
            if section.key in needing and section.key not in having:
                label = grade.label if grade else "this grade"
                errors.append(
                    FieldError(
                        f"{section.key}-actions",
                        f"Add an action with an owner and a due date to {section.title}, "
                        f"graded {label}",
                    )
                )
    overall = answers.get(OVERALL, {})
    chosen = overall.get("grade", "")
    if chosen and form.grade(chosen) is None:
        errors.append(FieldError("overall-grade", "Choose one of the grades"))
    elif chosen and judgement.grade and chosen != judgement.grade and not overall.get("reason"):
        errors.append(
            FieldError("overall-reason", "Give a reason for changing the suggested judgement")
        )
    if not chosen and not judgement.grade:
        errors.append(FieldError("overall-grade", "Choose the overall judgement"))
    if not overall.get("summary", ""):
        errors.append(FieldError("overall-summary", "Enter a summary of your findings"))
    return errors


def after_submission_errors(
    section: Section, answers: Mapping[str, str], today: date
) -> list[FieldError]:
    """Every problem with the flat *answers* to *section*, filled after submission: each
    required answer given, each date a real one and not after *today*."""
    errors = []
    for question in section.questions:
        html_id = f"{section.key}-{question.key}"
        anchor = f"{html_id}-day" if question.kind == "date" else html_id
        value = answers.get(f"{section.key}.{question.key}", "")
        message = _question_error(question, value, section.title)
        if message is None and question.kind == "date" and value and value > today.isoformat():
            message = f"‘{question.label}’ must be today or in the past"
        if message:
            errors.append(FieldError(anchor, message))
    return errors


def overall_grade(answers: Answers, judgement: Judgement) -> str | None:
    """The overall judgement of record: the auditor's choice, else the suggestion."""
    return answers.get(OVERALL, {}).get("grade") or judgement.grade
