"""The audit pages: the list, an audit's page, the form (with autosave), actions while
drafting, comments, safeguarding concerns, and the printable and PDF copies."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from portal.access_log import log_access
from portal.activity import record
from portal.audits import after, filters, service
from portal.audits.access import audit_or_404, can_comment, can_edit, case_people, is_auditor
from portal.audits.answers import (
    FieldError,
    date_parts,
    length_errors,
    nest,
    read_form,
    section_specs,
)
from portal.audits.forms import ActionInput, read_action, read_text
from portal.audits.listing import audit_page, visible_audits
from portal.audits.loading import PEOPLE, with_people
from portal.downloads import content_disposition
from portal.extensions import db
from portal.listfilters import reload_whole_page
from portal.models import Action, ActionStatus, Audit, AuditComment, LearningArea, User
from portal.notify import notify
from portal.paging import wants_fragment
from portal.pdf import html_to_pdf
from portal.plugins import plugin_host
from portal.timeutil import today_london
from portal.urls import database_int

bp = Blueprint("audits", __name__, url_prefix="/audits")
EDIT_TEMPLATE = "audits/edit.html"
RESULTS_ID = "audit-results"


def _owner_choices(audit: Audit) -> list[User]:
    """Who may own an action on this case: the case holder, the team and its managers."""
    people = [audit.case.allocated_worker] if audit.case.allocated_worker else []
    people += [member for member in audit.case.team.members if member.active]
    people += case_people(audit)
    unique: dict[int, User] = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def _edit_context(audit: Audit, **extra) -> dict:
    form = service.form_of(audit)
    answers = extra.pop("answers", None) or audit.answers()
    today = today_london()
    judgement = service.judgement_for(audit, form, answers, today)
    return {
        "title": f"{form.title}: {audit.case.reference}",
        "audit": audit,
        "form": None,  # the page's own errors are passed as field_errors
        "definition": form,
        "answers": answers,
        "judgement": judgement,
        "needing_actions": set(service.sections_needing_actions(audit, form, answers, today)),
        "with_actions": service.sections_with_actions(audit),
        "owners": _owner_choices(audit),
        "default_owner_id": audit.case.allocated_worker_id,
        "date_parts": date_parts,
        "grade_of": form.grade,
        "field_errors": {},
        "error_list": [],
        "new_actions": {},
        "conflicts": {},
        "others": [],
        "learning_areas": list(LearningArea),
        "own_grade": service.own_judgement(audit, current_user),
        "labels": service.field_labels(form),
        "revision": audit.revision,
        "filler_name": after.filler_name,
        **extra,
    }


def _editable_or_403(audit_id: int) -> Audit:
    audit = audit_or_404(audit_id, current_user)
    if not can_edit(current_user, audit):
        abort(403)
    return audit


@bp.route("/")
@login_required
def index():
    """The audits the signed-in user may see, filtered and 50 to a page, latest due first."""
    form = filters.build(request.args, current_user)
    query, filtered = filters.apply(visible_audits(current_user), form)
    if form.errors and wants_fragment(RESULTS_ID):
        return reload_whole_page()  # the error summary is outside the results block
    context = {
        "title": "Audits",
        "form": form,
        "filtered": filtered,
        "page": audit_page(current_user, query),
        "process_names": plugin_host().process_names(),
        "grade_labels": filters.grade_labels(),
    }
    if wants_fragment(RESULTS_ID):
        return render_block("audits/index.html", "results", **context)
    return render_template("audits/index.html", **context), 400 if form.errors else 200


@bp.route("/<int:audit_id>")
@login_required
def show(audit_id: int):
    """An audit as it was filled in, with its actions, comments and concerns."""
    audit = audit_or_404(audit_id, current_user, options=PEOPLE)
    log_access("audit", audit.id, case_id=audit.case_id)
    return render_template("audits/show.html", **_show_context(audit))


def _show_context(audit: Audit, **extra) -> dict:
    audit = with_people(audit)
    form = service.form_of(audit)
    later = after.after_sections(form) if audit.submitted_at else ()
    return {
        "after_forms": {s.key for s in later if after.may_fill(current_user, audit, s)},
        "after_history": after.history(audit) if later else [],
        "filler_name": after.filler_name,
        "typed": {},
        "date_parts": date_parts,
        "title": f"{form.title}: {audit.case.reference}",
        "audit": audit,
        "definition": form,
        "answers": audit.answers(),
        "grade_of": form.grade,
        "judgement": service.judgement_for(audit, form, audit.answers(), today_london()),
        "can_edit": can_edit(current_user, audit),
        "can_comment": can_comment(current_user, audit),
        "is_auditor": is_auditor(current_user, audit),
        "plugin_enabled": plugin_host().is_enabled(audit.process_key),
        "cancelled_by": db.session.get(User, audit.cancelled_by_id)
        if audit.cancelled_by_id
        else None,
        "today": date.today(),
        "field_errors": {},
        "error_list": [],
        **extra,
    }


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(audit_id: int):
    """The audit form. POST saves the draft, or submits it when asked to."""
    audit = _editable_or_403(audit_id)
    if request.method == "GET":
        return render_template(EDIT_TEMPLATE, **_edit_context(audit))
    outcome = _save_from_request(audit)
    if outcome.conflicts:
        # the form again: their values where only they changed, this user's where both did
        mine = {key: pair[1] for key, pair in outcome.conflicts.items()}
        answers = nest({**service.stored_answers(audit), **mine})
        context = _edit_context(
            audit, answers=answers, conflicts=outcome.conflicts, revision=outcome.page_revision
        )
        return render_template(EDIT_TEMPLATE, **context), 409
    if request.form.get("intent") == "submit":
        errors = service.submit(audit, current_user, today_london())
        if errors:
            db.session.rollback()
            return _with_errors(audit, errors)
        db.session.commit()
        flash(
            "Your audit has been submitted. The worker and their manager have been told.", "success"
        )
        return redirect(url_for("audits.show", audit_id=audit.id))
    flash("Your draft has been saved.", "success")
    return redirect(url_for("audits.edit", audit_id=audit.id))


def _with_errors(audit: Audit, errors: list[FieldError]):
    field_errors = {error.html_id: error.message for error in errors}
    error_list = [{"text": e.message, "href": f"#{e.html_id}"} for e in errors]
    context = _edit_context(audit, field_errors=field_errors, error_list=error_list)
    return render_template(EDIT_TEMPLATE, **context), 400


def _base_revision() -> int:
    value = database_int(request.form.get("revision", ""))
    if value is None:
        abort(400)
    return value


@bp.post("/<int:audit_id>/autosave")
@login_required
def autosave(audit_id: int):
    """Save the draft as the auditor types (htmx); answer with the save status."""
    audit = _editable_or_403(audit_id)
    outcome = _save_from_request(audit)
    context = _edit_context(
        audit,
        conflicts=outcome.conflicts,
        revision=outcome.page_revision,
        others=service.changes_by_others(audit, outcome.page_revision, current_user),
        saved=bool(outcome.changed) or _keeps_mine(),
        hx_oob=True,
    )
    return render_block(EDIT_TEMPLATE, "autosave_response", **context)


@bp.route("/<int:audit_id>/changes")
@login_required
def changes(audit_id: int):
    """What others saved since the page's revision (htmx polls this on a joint audit)."""
    audit = _editable_or_403(audit_id)
    since = database_int(request.args.get("revision", ""))
    if since is None:
        abort(400)
    others = service.changes_by_others(audit, since, current_user)
    return render_block(EDIT_TEMPLATE, "others_panel", **_edit_context(audit, others=others))


def _keeps_mine() -> bool:
    return request.form.get("intent") == "save-force"


class AnswersTooLong(Exception):
    """Some answers posted are longer than their fields may hold; nothing is saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


@bp.errorhandler(AnswersTooLong)
def answers_too_long(error: AnswersTooLong):
    """Refuse the whole save: the autosave line says so, the form shows each field."""
    db.session.rollback()
    audit = _editable_or_403(request.view_args["audit_id"])
    if request.endpoint != "audits.autosave":
        return _with_errors(audit, error.errors)
    page_revision = database_int(request.form.get("revision", ""))
    context = _edit_context(
        audit,
        refused=error.errors[0].message,
        revision=audit.revision if page_revision is None else page_revision,
        hx_oob=True,
    )
    return render_block(EDIT_TEMPLATE, "autosave_response", **context), 400


def _read_answers(form) -> dict[str, str]:
    """The answers posted, or :class:`AnswersTooLong` when any is longer than allowed."""
    incoming = read_form(form, request.form)
    too_long = length_errors(form, incoming)
    if too_long:
        raise AnswersTooLong(too_long)
    return incoming


def _save_from_request(audit: Audit) -> service.SaveOutcome:
    """Save the answers posted with the page's base revision; commit."""
    form = service.form_of(audit)
    incoming = _read_answers(form)
    outcome = service.save_answers(
        audit, incoming, _base_revision(), current_user, keep_mine=_keeps_mine()
    )
    own = request.form.get("own-grade", "")
    if own and form.grade(own) is not None:
        service.record_own_judgement(audit, current_user, own)
    db.session.commit()
    return outcome


@bp.post("/<int:audit_id>/actions")
@login_required
def add_action(audit_id: int):
    """Add an action to a section while drafting (saving the answers sent with it)."""
    audit = _editable_or_403(audit_id)
    form = service.form_of(audit)
    section_key = request.args.get("section", "")
    try:
        section = form.section(section_key)
    except KeyError:
        abort(404)
    if "revision" in request.form:  # the whole form came along (no JavaScript)
        service.save_answers(audit, _read_answers(form), _base_revision(), current_user)
    owners = {person.id for person in _owner_choices(audit)}
    prefix = f"new-{section.key}"
    typed = read_action(request.form, prefix, owners, date.today())
    if typed.errors:
        db.session.commit()
        return _action_errors(audit, section.key, typed)
    action = Action(
        audit_id=audit.id,
        section_key=section.key,
        description=typed.description,
        priority=typed.priority,
        owner_id=typed.owner_id,
        due_on=typed.due_on,
        status=ActionStatus.DRAFT.value,
        created_by_id=current_user.id,
    )
    db.session.add(action)
    db.session.flush()
    record(
        "created",
        "action",
        action.id,
        actor_id=current_user.id,
        summary=f"action on {section.title} of audit {audit.id}",
        after={
            "description": action.description,
            "priority": action.priority,
            "owner_id": action.owner_id,
            "due_on": action.due_on.isoformat(),
        },
    )
    db.session.commit()
    if request.headers.get("HX-Request"):
        db.session.refresh(audit)
        return _section_actions_fragment(audit, section)
    return redirect(url_for("audits.edit", audit_id=audit.id, _anchor=f"{section.key}-actions"))


def _section_actions_fragment(audit: Audit, section):
    """A section's actions, and the judgement panel out of band: the sections that still
    need an action change as actions are added and removed."""
    context = _edit_context(audit)
    return render_block(EDIT_TEMPLATE, "section_actions", section=section, **context) + (
        render_block(EDIT_TEMPLATE, "judgement_panel", **{**context, "hx_oob": True})
    )


def _action_errors(audit: Audit, section_key: str, typed: ActionInput):
    error_list = [
        {"text": message, "href": f"#{html_id}"} for html_id, message in typed.errors.items()
    ]
    context = _edit_context(
        audit,
        field_errors=typed.errors,
        error_list=error_list,
        new_actions={section_key: typed},
    )
    if request.headers.get("HX-Request"):
        section = service.form_of(audit).section(section_key)
        return render_block(EDIT_TEMPLATE, "section_actions", section=section, **context), 400
    return render_template(EDIT_TEMPLATE, **context), 400


@bp.post("/<int:audit_id>/actions/<int:action_id>/delete")
@login_required
def delete_action(audit_id: int, action_id: int):
    """Remove an action drafted with the audit (only before submission)."""
    audit = _editable_or_403(audit_id)
    action = db.session.get(Action, action_id)
    if action is None or action.audit_id != audit.id or action.state != ActionStatus.DRAFT:
        abort(404)
    if "revision" in request.form:
        form = service.form_of(audit)
        service.save_answers(audit, _read_answers(form), _base_revision(), current_user)
    record(
        "deleted",
        "action",
        action.id,
        actor_id=current_user.id,
        summary=f"draft action removed from audit {audit.id}",
        before={"description": action.description},
    )
    section_key = action.section_key
    db.session.delete(action)
    db.session.commit()
    if request.headers.get("HX-Request"):
        db.session.refresh(audit)
        return _section_actions_fragment(audit, service.form_of(audit).section(section_key))
    return redirect(url_for("audits.edit", audit_id=audit.id, _anchor=f"{section_key}-actions"))


@bp.post("/<int:audit_id>/comments")
@login_required
def comment(audit_id: int):
    """Add a comment on the findings of a submitted audit."""
    audit = audit_or_404(audit_id, current_user)
    if not can_comment(current_user, audit):
        abort(403)
    body, error = read_text(request.form, "comment", "Enter your comment")
    if error:
        context = _show_context(
            audit,
            field_errors={"comment": error},
            error_list=[{"text": error, "href": "#comment"}],
            comment_text=body,
        )
        return render_template("audits/show.html", **context), 400
    db.session.add(AuditComment(audit_id=audit.id, author_id=current_user.id, body=body))
    record("commented", "audit", audit.id, actor_id=current_user.id, after={"comment": body})
    others = [*audit.auditors, *case_people(audit)[:2]]
    notify(
        [person for person in others if person.id != current_user.id],
        f"New comment on the audit of {audit.case.reference}",
        f"{current_user.name} commented on the findings.",
        url_for("audits.show", audit_id=audit.id, _anchor="comments"),
    )
    db.session.commit()
    flash("Your comment has been added.", "success")
    return redirect(url_for("audits.show", audit_id=audit.id, _anchor="comments"))


@bp.post("/<int:audit_id>/after/<section_key>")
@login_required
def record_after(audit_id: int, section_key: str):
    """Record a section filled after submission (the date the audit was discussed in
    supervision, say), by the person the process names for it."""
    audit = audit_or_404(audit_id, current_user, options=PEOPLE)
    try:
        section = service.form_of(audit).section(section_key)
    except KeyError:
        abort(404)
    if not after.may_fill(current_user, audit, section):
        abort(403)
    specs = section_specs(section)
    incoming = read_form(service.form_of(audit), request.form, specs)
    errors = length_errors(service.form_of(audit), incoming, specs) or after.record_after(
        audit, section, incoming, current_user, date.today()
    )
    if errors:
        db.session.rollback()
        audit = audit_or_404(audit_id, current_user, options=PEOPLE)
        context = _show_context(
            audit,
            field_errors={error.html_id: error.message for error in errors},
            error_list=[{"text": e.message, "href": f"#{e.html_id}"} for e in errors],
            typed=nest(incoming),
        )
        return render_template("audits/show.html", **context), 400
    db.session.commit()
    flash(f"“{section.title}” is recorded.", "success")
    return redirect(url_for("audits.show", audit_id=audit.id, _anchor=f"view-{section.key}"))


@bp.route("/<int:audit_id>/print")
@login_required
def print_view(audit_id: int):
    """A printable copy of the audit for the child's file."""
    audit = audit_or_404(audit_id, current_user, options=PEOPLE)
    log_access("audit", audit.id, case_id=audit.case_id, action="printed")
    return render_template("audits/print.html", **_show_context(audit))


@bp.route("/<int:audit_id>/pdf")
@login_required
def pdf(audit_id: int):
    """The audit as a PDF (A4) for the child's file in the case system."""
    audit = audit_or_404(audit_id, current_user, options=PEOPLE)
    document = html_to_pdf(render_template("audits/print.html", **_show_context(audit)))
    log_access("audit", audit.id, case_id=audit.case_id, action="downloaded")
    record("downloaded", "audit", audit.id, actor_id=current_user.id, summary="PDF")
    db.session.commit()
    filename = f"audit-{audit.id}-{audit.case.reference}.pdf"
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(filename)},
    )
