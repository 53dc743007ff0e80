"""A tool's definition: the JSON the QA lead edits, exports and imports, checked against
the published schema (``schema.json``) and mapped to the portal's ``AuditProcess``.

A tool file is one JSON object: the tool's ``slug`` and the definition's fields (see
``schema.json``). The database keeps the slug on the tool and the rest on each version.
A definition is sound when the schema accepts it, no two sections (or two questions of a
section, or two grades) share a key, and the portal's own checks of an audit process
(``process_problems``) find nothing; each problem names where it is, as a JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from plugins.tool_builder.rules import rule_for
from portal.plugin_api import (
    OFSTED_GRADES,
    AuditProcess,
    DueRule,
    Grade,
    Question,
    Quota,
    Section,
    process_problems,
)

#: The plugin's key: each tool's audit process is ``tool_builder.<slug>``.
PLUGIN_KEY = "tool_builder"
#: The published schema of a tool file, shipped with the package.
SCHEMA_PATH = Path(__file__).with_name("schema.json")
#: The figures a tool's report section may show, in the QA lead's words.
REPORT_FIGURES: dict[str, str] = {
    "grade_distribution": "How many audits got each overall grade",
    "needing_action": "The share of audits with a section graded for an action",
    "sections_graded_low": "The sections most often graded for an action",
}
#: The evidence prompt of a graded section that gives none.
DEFAULT_EVIDENCE_PROMPT = "What in the case file supports this grade?"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a tool file: where (a JSON path such as ``$.sections[0].key``)
    and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@cache
def schema() -> dict[str, Any]:
    """The published schema of a tool file (JSON Schema draft 2020-12)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def process_key(slug: str) -> str:
    """The key of the audit process of the tool *slug*."""
    return f"{PLUGIN_KEY}.{slug}"


def ofsted_grades() -> list[dict[str, Any]]:
    """The four Ofsted grades as a definition's ``grades`` (the default scale)."""
    return [
        {
            "key": grade.key,
            "label": grade.label,
            "descriptor": grade.descriptor,
            "needs_action": grade.needs_action,
        }
        for grade in OFSTED_GRADES
    ]


def starter(slug: str, title: str) -> dict[str, Any]:
    """A first draft for a new tool: one graded section with one question, to edit."""
    return {
        "slug": slug,
        "title": title,
        "sections": [
            {
                "key": "practice",
                "title": "Quality of practice",
                "graded": True,
                "guidance": "What the auditor looks for in the case file.",
                "evidence_prompt": DEFAULT_EVIDENCE_PROMPT,
                "questions": [
                    {"key": "summary", "label": "What did you find?", "kind": "text"},
                ],
            }
        ],
        "grades": ofsted_grades(),
        "judgement": {"rule": "worst_section"},
        "due_working_days": 20,
        "quotas": [
            {
                "name": "Each team manager audits one case a month",
                "auditor_roles": ["team_manager"],
                "per_auditor": 1,
            }
        ],
        "moderation_share": 0.1,
        "services": ["CSC"],
        "case_types": ["CIN", "CP", "CLA"],
        "report_figures": list(REPORT_FIGURES),
    }


def problems(document: object, version: int = 1) -> list[Problem]:
    """Everything wrong with *document*, a tool file; empty when it may be saved or
    published (as version *version*)."""
    found = [
        Problem(error.json_path, error.message)
        for error in sorted(
            Draft202012Validator(schema()).iter_errors(document),
            key=lambda error: list(map(str, error.absolute_path)),
        )
    ]
    if found:
        return found
    assert isinstance(document, Mapping)  # the schema says it is an object
    found = [*_repeated_keys(document), *_rule_fits(document)]
    if found:
        return found
    process = to_process(document, version)
    return [Problem("$", message) for message in process_problems(process, PLUGIN_KEY)]


def _repeated_keys(document: Mapping[str, Any]) -> Iterator[Problem]:
    """Sections, questions of a section, options of a question or grades sharing a key."""
    yield from _repeats(document["sections"], "key", "$.sections", "section")
    for s, section in enumerate(document["sections"]):
        questions = section.get("questions", [])
        yield from _repeats(questions, "key", f"$.sections[{s}].questions", "question")
        for q, question in enumerate(questions):
            path = f"$.sections[{s}].questions[{q}].options"
            yield from _repeats(question.get("options", []), "value", path, "option")
    yield from _repeats(document.get("grades", []), "key", "$.grades", "grade")


def _rule_fits(document: Mapping[str, Any]) -> Iterator[Problem]:
    """A tool needs a graded section, and its judgement rule must be one it can reach."""
    graded = sum(1 for section in document["sections"] if section.get("graded", True))
    if not graded:
        yield Problem("$.sections", "at least one section must be graded")
    needed = document.get("judgement", {}).get("sections")
    if needed is not None and needed > graded:
        yield Problem(
            "$.judgement.sections",
            f"the rule needs {needed} sections at the top grade but the tool grades {graded}",
        )


def _repeats(items: list[Mapping[str, Any]], field: str, path: str, what: str):
    """A problem for each item whose *field* an earlier item already has."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item[field] in seen:
            yield Problem(f"{path}[{index}].{field}", f"another {what} has the key {item[field]!r}")
        seen.add(item[field])


def to_process(document: Mapping[str, Any], version: int) -> AuditProcess:
    """The audit process of a tool file (one the schema accepts), as version *version*."""
    grade_specs = document.get("grades") or ofsted_grades()
    grades = tuple(
        Grade(
            key=spec["key"],
            label=spec["label"],
            descriptor=spec.get("descriptor", ""),
            rank=len(grade_specs) - index,
            needs_action=spec.get("needs_action", False),
        )
        for index, spec in enumerate(grade_specs)
    )
    return AuditProcess(
        key=process_key(document["slug"]),
        title=document["title"],
        version=str(version),
        sections=tuple(_section(spec) for spec in document["sections"]),
        services=tuple(document.get("services", ())),
        case_types=tuple(document["case_types"]),
        grades=grades,
        due=DueRule(working_days=document.get("due_working_days", DueRule().working_days)),
        suggest_judgement=rule_for(document.get("judgement", {"rule": "worst_section"})),
        quotas=tuple(
            Quota(
                name=spec["name"],
                auditor_roles=tuple(spec["auditor_roles"]),
                per_auditor=spec.get("per_auditor", 0),
                total=spec.get("total", 0),
                auditor_agency=spec.get("auditor_agency"),
            )
            for spec in document.get("quotas", ())
        ),
        moderation_share=float(document.get("moderation_share", 1.0)),
    )


def _section(spec: Mapping[str, Any]) -> Section:
    """The form's section of a definition's section."""
    return Section(
        key=spec["key"],
        title=spec["title"],
        guidance=spec.get("guidance", ""),
        graded=spec.get("graded", True),
        evidence_hint=spec.get("evidence_prompt") or DEFAULT_EVIDENCE_PROMPT,
        questions=tuple(
            Question(
                key=question["key"],
                label=question["label"],
                kind=question.get("kind", "text"),
                hint=question.get("hint", ""),
                choices=tuple(
                    (option["value"], option["label"]) for option in question.get("options", ())
                ),
                required=question.get("required", True),
            )
            for question in spec.get("questions", ())
        ),
    )


def document_of(slug: str, definition: Mapping[str, Any]) -> dict[str, Any]:
    """The tool file of a stored definition: the slug first, then the definition."""
    return {"slug": slug, **{k: v for k, v in definition.items() if k != "slug"}}


def parse(text: str) -> tuple[object, list[Problem]]:
    """The JSON in *text*, or the problem reading it (with its line and column)."""
    try:
        return json.loads(text), []
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                "$", f"this is not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            )
        ]
