"""The tool builder's service: create a tool, save its draft, publish it as a version,
retire it, import and export it, and the audit processes of the published tools.

Nothing here commits: the page does, once everything it changes is sound. A change that
a problem refuses changes nothing and returns the problems (see ``definition.problems``).
After a publish or a retirement the portal is told to read the processes again
(``forget_processes``), so the same request already sees the change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from plugins.tool_builder import definition
from plugins.tool_builder.definition import Problem
from plugins.tool_builder.models import Tool, ToolVersion, VersionStatus
from portal.plugin_api import AuditProcess, User, db, forget_processes, record, utcnow


@dataclass(frozen=True)
class PublishedTool:
    """A tool's latest published version as the portal runs it: its audit process, and the
    figures its report section shows."""

    process: AuditProcess
    figures: tuple[str, ...]
    retired: bool = False


#: The published versions already built, by slug, number and content (a published version
#: never changes; the content tells apart databases emptied and refilled).
_BUILT: dict[tuple[str, int, str, bool], PublishedTool] = {}


def published(tool: Tool) -> ToolVersion | None:
    """The tool's latest published version, or None."""
    versions = [v for v in tool.versions if v.status == VersionStatus.PUBLISHED.value]
    return versions[-1] if versions else None


def draft(tool: Tool) -> ToolVersion | None:
    """The tool's draft, or None."""
    return next((v for v in tool.versions if v.status == VersionStatus.DRAFT.value), None)


def document(tool: Tool, version: ToolVersion) -> dict[str, Any]:
    """The tool file of *version* of *tool*."""
    return definition.document_of(tool.slug, version.definition)


def slug_taken(slug: str) -> bool:
    """True when a tool (retired or not) already has the slug *slug*."""
    return db.session.scalar(select(Tool.id).where(Tool.slug == slug)) is not None


def create(slug: str, title: str, user: User) -> Tool:
    """A new tool with a starter draft (version 1), for *user* to edit."""
    tool = Tool(slug=slug, title=title, created_by_id=user.id)
    tool.versions.append(
        ToolVersion(
            number=1,
            status=VersionStatus.DRAFT.value,
            definition=_stored(definition.starter(slug, title)),
            saved_by_id=user.id,
        )
    )
    db.session.add(tool)
    db.session.flush()
    record("created", "tool_builder_tool", tool.id, actor_id=user.id, summary=title)
    return tool


def _stored(document: Mapping[str, Any]) -> dict[str, Any]:
    """What a version stores of a tool file: everything but the slug (kept on the tool)."""
    return {key: value for key, value in document.items() if key not in ("slug", "$schema")}


def save_draft(tool: Tool, document: object, user: User) -> list[Problem]:
    """Save *document* as the tool's draft (creating the draft from nothing if need be).

    Refused, changing nothing, when the document is unsound or names another slug.
    """
    current = draft(tool)
    number = current.number if current else _next_number(tool)
    problems = definition.problems(document, number)
    if not problems and document["slug"] != tool.slug:  # type: ignore[index]
        problems = [Problem("$.slug", f"this tool's slug is {tool.slug!r}: it cannot change")]
    if problems:
        return problems
    if current is None:
        current = ToolVersion(number=number, status=VersionStatus.DRAFT.value, definition={})
        tool.versions.append(current)
    current.definition = _stored(document)  # type: ignore[arg-type]
    current.saved_at = utcnow()
    current.saved_by_id = user.id
    tool.title = current.definition["title"]
    return []


def _next_number(tool: Tool) -> int:
    """The number the tool's next version gets."""
    return max((v.number for v in tool.versions), default=0) + 1


def publish(tool: Tool, user: User) -> list[Problem]:
    """Publish the tool's draft as its next version; refused when there is no draft, the
    tool is retired or the draft is unsound."""
    current = draft(tool)
    if tool.retired_at is not None:
        return [Problem("$", "this tool is retired: it cannot be published again")]
    if current is None:
        return [Problem("$", "there is no draft to publish: edit the tool first")]
    problems = definition.problems(document(tool, current), current.number)
    if problems:
        return problems
    current.status = VersionStatus.PUBLISHED.value
    current.published_at = utcnow()
    current.published_by_id = user.id
    record(
        "published",
        "tool_builder_tool",
        tool.id,
        actor_id=user.id,
        summary=f"{tool.title}, version {current.number}",
    )
    db.session.flush()
    forget_processes()
    return []


def retire(tool: Tool, user: User) -> None:
    """Retire the tool: it is no longer drawn or allocated; its audits stay readable."""
    tool.retired_at = utcnow()
    tool.retired_by_id = user.id
    record("retired", "tool_builder_tool", tool.id, actor_id=user.id, summary=tool.title)
    db.session.flush()
    forget_processes()


def import_tool(document: object, user: User) -> tuple[Tool | None, list[Problem]]:
    """A new tool from a tool file, its definition as the draft of version 1 (to preview
    and publish); nothing is created when the file is unsound or its slug is taken."""
    problems = definition.problems(document, 1)
    if not problems and slug_taken(document["slug"]):  # type: ignore[index]
        problems = [
            Problem("$.slug", f"a tool with the slug {document['slug']!r} exists already")  # type: ignore[index]
        ]
    if problems:
        return None, problems
    assert isinstance(document, Mapping)
    tool = Tool(slug=document["slug"], title=document["title"], created_by_id=user.id)
    tool.versions.append(
        ToolVersion(
            number=1,
            status=VersionStatus.DRAFT.value,
            definition=_stored(document),
            saved_by_id=user.id,
        )
    )
    db.session.add(tool)
    db.session.flush()
    record("imported", "tool_builder_tool", tool.id, actor_id=user.id, summary=tool.title)
    return tool, []


def export(tool: Tool) -> dict[str, Any]:
    """The tool file of the tool's latest published version (its draft when none is)."""
    version = published(tool) or draft(tool)
    assert version is not None  # a tool always has one or the other
    return {"$schema": "/tool_builder/schema.json", **document(tool, version)}


def published_tools() -> list[PublishedTool]:
    """Each published tool in its latest published version (one query).

    A retired tool is still there, so that its audits are named by its title and those
    under way can be finished, but marked retired (the draw, themes and allocation by hand
    leave it out) and with "(retired)" after its title.
    """
    latest = (
        select(ToolVersion.tool_id, func.max(ToolVersion.number).label("number"))
        .where(ToolVersion.status == VersionStatus.PUBLISHED.value)
        .group_by(ToolVersion.tool_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Tool.slug, Tool.retired_at, ToolVersion)
        .join(ToolVersion, ToolVersion.tool_id == Tool.id)
        .join(
            latest,
            (latest.c.tool_id == ToolVersion.tool_id) & (latest.c.number == ToolVersion.number),
        )
        .order_by(Tool.slug)
    ).all()
    found = []
    for slug, retired_at, version in rows:
        retired = retired_at is not None
        key = (slug, version.number, json.dumps(version.definition, sort_keys=True), retired)
        if key not in _BUILT:
            process = definition.to_process(
                definition.document_of(slug, version.definition), version.number
            )
            if retired:
                process = replace(process, retired=True, title=f"{process.title} (retired)")
            figures = tuple(version.definition.get("report_figures", ()))
            _BUILT[key] = PublishedTool(process, figures, retired)
        found.append(_BUILT[key])
    return found


def published_processes() -> list[AuditProcess]:
    """The audit process of each published tool, in its latest published version (a
    retired one marked retired)."""
    return [tool.process for tool in published_tools()]
