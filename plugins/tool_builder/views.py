"""The QA lead's pages: the tools, building and editing a draft, the preview as the
auditor sees it, publishing a version, retiring, exporting and importing a tool, and the
published schema of a tool file.

Only the QA lead builds tools (administrators run the system; they do not build forms).
Every form carries the CSRF token (the portal's CSRF protection checks it); bad input
shows the GOV.UK error summary with status 400 and changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import case, func, select

from plugins.tool_builder import definition, tools
from plugins.tool_builder.definition import Problem
from plugins.tool_builder.models import Tool, ToolVersion, VersionStatus
from plugins.tool_builder.rules import RULES
from portal.plugin_api import Role, content_disposition, db, paginate, roles_required

bp = Blueprint("tool_builder", __name__, url_prefix="/tool_builder")

#: Who builds tools.
BUILDERS = (Role.QA_LEAD,)
#: A new tool's slug: what the schema allows, short enough for the process key.
SLUG = re.compile(r"^[a-z][a-z0-9_]{0,26}$")
#: The largest tool file the import reads (a tool is a few kilobytes).
MAX_FILE_BYTES = 512 * 1024


def _tool_or_404(tool_id: int) -> Tool:
    """The tool *tool_id*; 404 when there is none."""
    return db.session.get(Tool, tool_id) or abort(404)


def _summary(problems: Sequence[Problem], href: str) -> list[dict[str, str]]:
    """The GOV.UK error summary's items: each problem with its JSON path, linked to *href*."""
    return [{"text": str(problem), "href": href} for problem in problems]


@bp.get("/schema.json")
@roles_required(*BUILDERS)
def schema() -> Response:
    """The published schema of a tool file (JSON Schema draft 2020-12)."""
    return jsonify(definition.schema())


@bp.get("/")
@roles_required(*BUILDERS)
def index():
    """The tools, 50 a page, newest first: each with its latest published version and
    whether a draft waits."""
    published = func.max(
        case((ToolVersion.status == VersionStatus.PUBLISHED.value, ToolVersion.number))
    )
    drafts = func.count(case((ToolVersion.status == VersionStatus.DRAFT.value, 1)))
    query = (
        select(Tool, published, drafts)
        .join(ToolVersion, ToolVersion.tool_id == Tool.id)
        .group_by(Tool.id)
        .order_by(Tool.created_at.desc(), Tool.id.desc())
    )
    return render_template(
        "tool_builder/index.html", title="Audit tools", page=paginate(query, scalars=False)
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def new_tool():
    """Start a tool: its slug and title; a first draft follows, to edit."""
    slug = request.form.get("slug", "").strip()
    title = request.form.get("title", "").strip()
    if request.method == "GET":
        return _new_page(slug, title, {})
    errors = {}
    if not SLUG.match(slug):
        errors["slug"] = (
            "Enter a short name of up to 27 characters: lower-case letters, digits and "
            "underscores, starting with a letter"
        )
    elif tools.slug_taken(slug):
        errors["slug"] = "Another tool has this short name: choose another"
    if not title or len(title) > 200:
        errors["title"] = "Enter the tool's title, up to 200 characters"
    if errors:
        return _new_page(slug, title, errors), 400
    tool = tools.create(slug, title, current_user)
    db.session.commit()
    flash(f"{title} created: edit its first draft, then preview and publish it.", "success")
    return redirect(url_for("tool_builder.edit", tool_id=tool.id))


def _new_page(slug: str, title: str, errors: dict[str, str]):
    """The page that starts a tool, with *errors* by field."""
    return render_template(
        "tool_builder/new.html",
        title=f"{'Error: ' if errors else ''}Build a new audit tool",
        slug=slug,
        tool_title=title,
        errors=errors,
    )


@bp.get("/<int:tool_id>")
@roles_required(*BUILDERS)
def show(tool_id: int):
    """One tool: its versions, its draft, and what may be done with it."""
    tool = _tool_or_404(tool_id)
    return render_template(
        "tool_builder/show.html",
        title=tool.title,
        tool=tool,
        draft=tools.draft(tool),
        published=tools.published(tool),
        process_key=definition.process_key(tool.slug),
    )


@bp.route("/<int:tool_id>/edit", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def edit(tool_id: int):
    """Edit the tool's draft as its JSON (the tool file of ``schema.json``)."""
    tool = _tool_or_404(tool_id)
    if tool.retired_at is not None:
        abort(409)
    if request.method == "GET":
        version = tools.draft(tool) or tools.published(tool)
        text = json.dumps(tools.document(tool, version), indent=2, ensure_ascii=False)
        return _edit_page(tool, text, [])
    text = request.form.get("definition", "")
    document, problems = definition.parse(text)
    if not problems:
        problems = tools.save_draft(tool, document, current_user)
    if problems:
        db.session.rollback()
        return _edit_page(tool, text, problems), 400
    db.session.commit()
    flash("Draft saved. Preview it as the auditor will see it, then publish it.", "success")
    return redirect(url_for("tool_builder.show", tool_id=tool.id))


def _edit_page(tool: Tool, text: str, problems: list[Problem]):
    """The draft's editor, with *problems* in the error summary."""
    return render_template(
        "tool_builder/edit.html",
        title=f"{'Error: ' if problems else ''}Edit {tool.title}",
        tool=tool,
        text=text,
        problems=_summary(problems, "#definition"),
        rules=RULES,
        figures=definition.REPORT_FIGURES,
    )


@bp.get("/<int:tool_id>/preview")
@roles_required(*BUILDERS)
def preview(tool_id: int):
    """The draft (or the latest published version) as the auditor's form shows it."""
    tool = _tool_or_404(tool_id)
    version = tools.draft(tool) or tools.published(tool)
    process = definition.to_process(tools.document(tool, version), version.number)
    return render_template(
        "tool_builder/preview.html",
        title=f"Preview: {tool.title}",
        tool=tool,
        version=version,
        process=process,
        definition=process.form,
        answers={},
        field_errors={},
        date_parts=lambda value: ("", "", ""),
    )


@bp.post("/<int:tool_id>/publish")
@roles_required(*BUILDERS)
def publish(tool_id: int):
    """Publish the draft as the tool's next version: audits allocated from now on get it;
    those already allocated keep the version they were started on."""
    tool = _tool_or_404(tool_id)
    problems = tools.publish(tool, current_user)
    if problems:
        db.session.rollback()
        return render_template(
            "tool_builder/show.html",
            title=f"Error: {tool.title}",
            tool=tool,
            draft=tools.draft(tool),
            published=tools.published(tool),
            process_key=definition.process_key(tool.slug),
            problems=_summary(problems, "#publish"),
        ), 400
    version = tools.published(tool)
    db.session.commit()
    flash(f"{tool.title} version {version.number} is published.", "success")
    return redirect(url_for("tool_builder.show", tool_id=tool.id))


@bp.post("/<int:tool_id>/retire")
@roles_required(*BUILDERS)
def retire(tool_id: int):
    """Retire the tool: no longer drawn or allocated; its audits stay readable."""
    tool = _tool_or_404(tool_id)
    if tool.retired_at is not None:
        abort(409)
    if request.form.get("confirm") != "yes":
        return render_template(
            "tool_builder/show.html",
            title=f"Error: {tool.title}",
            tool=tool,
            draft=tools.draft(tool),
            published=tools.published(tool),
            process_key=definition.process_key(tool.slug),
            problems=[{"text": "Confirm that the tool is to be retired", "href": "#confirm"}],
        ), 400
    tools.retire(tool, current_user)
    db.session.commit()
    flash(
        f"{tool.title} is retired: it is no longer drawn; its audits stay readable and those "
        "under way can be finished.",
        "success",
    )
    return redirect(url_for("tool_builder.show", tool_id=tool.id))


@bp.get("/<int:tool_id>/export")
@roles_required(*BUILDERS)
def export(tool_id: int) -> Response:
    """The tool file of the latest published version (the draft when none is), to share."""
    tool = _tool_or_404(tool_id)
    text = json.dumps(tools.export(tool), indent=2, ensure_ascii=False)
    return Response(
        text + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": content_disposition(f"{tool.slug}.json")},
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*BUILDERS)
def import_tool():
    """A tool from a tool file (uploaded or pasted), as a draft to preview and publish;
    nothing is imported when anything is wrong, and the summary says where."""
    if request.method == "GET":
        return _import_page("", []), 200
    upload = request.files.get("tool_file")
    text = request.form.get("tool_json", "").strip()
    if upload is not None and upload.filename:
        raw = upload.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            problems = [Problem("$", "the file is larger than a tool file can be (512 KB)")]
            return _import_page(text, problems), 400
        text = raw.decode("utf-8", errors="replace")
    if not text:
        problems = [Problem("$", "choose a tool file (.json) or paste its JSON")]
        return _import_page(text, problems), 400
    document, problems = definition.parse(text)
    tool = None
    if not problems:
        tool, problems = tools.import_tool(document, current_user)
    if problems or tool is None:
        db.session.rollback()
        return _import_page(text, problems), 400
    db.session.commit()
    flash(f"{tool.title} imported as a draft: preview it, then publish it.", "success")
    return redirect(url_for("tool_builder.show", tool_id=tool.id))


def _import_page(text: str, problems: list[Problem]) -> str:
    """The import page, with *problems* in the error summary."""
    return render_template(
        "tool_builder/import.html",
        title=f"{'Error: ' if problems else ''}Import an audit tool",
        text=text,
        problems=_summary(problems, "#tool_file"),
    )
