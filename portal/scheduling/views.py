"""The scheduling pages: the thematic schedule, the monthly selection (draw, check,
confirm), allocation by hand, and joint audits. For the QA lead and QA administrators."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from portal import wording
from portal.activity import record
from portal.audits.access import audit_or_404
from portal.extensions import db
from portal.hookspecs import ScheduleEntry
from portal.models import (
    Case,
    CaseType,
    MonthlySelection,
    Role,
    Service,
    Team,
    ThemeMonth,
    User,
    UserRole,
)
from portal.models.characteristics import FLAGS
from portal.paging import page_of, wants_fragment
from portal.permissions import roles_required
from portal.plugins import plugin_host
from portal.scheduling import service
from portal.scheduling.forms import (
    ConfirmForm,
    DrawForm,
    JointAuditForm,
    ManualAllocationForm,
    ThemeForm,
)
from portal.scheduling.service import SelectionError
from portal.timeutil import today_london

bp = Blueprint("scheduling", __name__, url_prefix="/schedule")
SCHEDULERS = (Role.QA_ADMIN, Role.QA_LEAD)
MONTHS_SHOWN = 12
SELECTION_RESULTS_ID = "selection-results"


def _month_or_404(text: str) -> date:
    try:
        return service.parse_month(text)
    except SelectionError:
        abort(404)


def _months_from(start: date, count: int) -> list[date]:
    months = []
    year, month = start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@bp.route("/")
@roles_required(*SCHEDULERS)
def index():
    """The next twelve months: each month's theme and the state of its selection."""
    today = today_london()
    months = _months_from(today.replace(day=1), MONTHS_SHOWN)
    themes = {
        t.month: t
        for t in db.session.scalars(select(ThemeMonth).where(ThemeMonth.month.in_(months)))
    }
    selections = {
        s.month: s
        for s in db.session.scalars(
            select(MonthlySelection).where(MonthlySelection.month.in_(months))
        )
    }
    return render_template(
        "scheduling/index.html",
        title="Thematic schedule",
        months=months,
        themes=themes,
        selections=selections,
        allocated_by_month=service.audits_by_month(months),
        entries=_plugin_entries(months[0], _months_from(months[-1], 2)[1]),
    )


def _plugin_entries(start: date, end: date) -> dict[date, list[ScheduleEntry]]:
    """What the enabled plugins add to the months shown (``portal_schedule_entries``)."""
    entries: dict[date, list[ScheduleEntry]] = {}
    for key, call in plugin_host().implementations("portal_schedule_entries"):
        for entry in call(start=start, end=end) or []:
            if not isinstance(entry, ScheduleEntry):
                current_app.logger.error("plugin %r: a schedule entry that is not one", key)
            elif start <= entry.month < end:
                entries.setdefault(entry.month.replace(day=1), []).append(entry)
    return entries


def _theme_choices(form: ThemeForm) -> None:
    form.case_types.choices = [(c.value, c.label) for c in CaseType]
    form.service_codes.choices = [
        (s.code, s.name) for s in db.session.scalars(select(Service).order_by(Service.name))
    ]
    form.team_ids.choices = [
        (t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))
    ]
    form.process_keys.choices = [(p.key, p.title) for p in plugin_host().allocatable_processes()]
    form.flags.choices = list(FLAGS.items())


@bp.route("/<month>/theme", methods=["GET", "POST"])
@roles_required(*SCHEDULERS)
def theme(month: str):
    """Set a month's theme and the filter of cases its selection draws from."""
    first = _month_or_404(month)
    row = db.session.scalar(select(ThemeMonth).where(ThemeMonth.month == first))
    form = ThemeForm(obj=row)
    _theme_choices(form)
    try:
        service.check_month(first, today_london())
    except SelectionError as error:
        form.theme.errors = [str(error)]
        return render_template("scheduling/theme.html", title="Theme", form=form, month=first), 400
    if request.method == "POST" and form.validate_on_submit():
        before = _theme_fields(row) if row else None
        if row is None:
            row = ThemeMonth(month=first)
            db.session.add(row)
        row.theme = form.theme.data.strip()
        row.notes = (form.notes.data or "").strip()
        row.case_types = list(form.case_types.data)
        row.service_codes = list(form.service_codes.data)
        row.team_ids = list(form.team_ids.data)
        row.process_keys = list(form.process_keys.data)
        row.flags = list(form.flags.data)
        row.updated_by_id = current_user.id
        record(
            "changed" if before else "created",
            "theme",
            f"{first:%Y-%m}",
            actor_id=current_user.id,
            summary=row.theme,
            before=before,
            after=_theme_fields(row),
        )
        db.session.commit()
        flash(f"The theme for {first:%B %Y} is saved.", "success")
        return redirect(url_for("scheduling.index"))
    status = 400 if form.errors else 200
    return render_template(
        "scheduling/theme.html", title=f"Theme for {first:%B %Y}", form=form, month=first
    ), status


def _theme_fields(row: ThemeMonth) -> dict:
    return {
        "theme": row.theme,
        "case_types": row.case_types,
        "service_codes": row.service_codes,
        "team_ids": row.team_ids,
        "process_keys": row.process_keys,
        "flags": row.flags,
    }


def _selection_page(first: date, draw_form: DrawForm, status: int = 200):
    """The month's selection page: the draft or confirmed draw, its audits 50 a page."""
    selection = db.session.scalar(select(MonthlySelection).where(MonthlySelection.month == first))
    theme_row = db.session.scalar(select(ThemeMonth).where(ThemeMonth.month == first))
    allocations = selection.draw["allocations"] if selection else []
    page = page_of(allocations)
    page = replace(
        page,
        items=[{**item, "due_on": date.fromisoformat(item["due_date"])} for item in page.items],
    )
    context = {
        "title": f"Selection for {first:%B %Y}",
        "month": first,
        "selection": selection,
        "theme": theme_row,
        "theme_filter": service.describe_theme(theme_row) if theme_row else [],
        "form": draw_form,
        "confirm_form": ConfirmForm(),
        "page": page,
        "already": service.audits_by_month([first])[first],
        "by_tool": sorted(Counter(item["process_title"] for item in allocations).items()),
    }
    if status == 200 and wants_fragment(SELECTION_RESULTS_ID):
        return render_block("scheduling/selection.html", "results", **context)
    return render_template("scheduling/selection.html", **context), status


@bp.route("/selection/<month>")
@roles_required(*SCHEDULERS)
def selection(month: str):
    """The month's selection: draw it, check it, confirm it."""
    return _selection_page(_month_or_404(month), DrawForm())


@bp.post("/selection/<month>/draw")
@roles_required(*SCHEDULERS)
def draw_selection(month: str):
    """Draw (or draw again) the month's selection and keep it as a draft to check."""
    first = _month_or_404(month)
    form = DrawForm()
    if not form.validate_on_submit():
        return _selection_page(first, form, 400)
    try:
        seed = service.parse_seed(form.seed.data)
        service.preview(first, seed, current_user, today_london())
    except SelectionError as error:
        db.session.rollback()
        form.seed.errors = [str(error)]
        return _selection_page(first, form, 400)
    db.session.commit()
    flash("The selection is drawn. Check it, then confirm it to allocate the audits.", "success")
    return redirect(url_for("scheduling.selection", month=month))


@bp.post("/selection/<month>/confirm")
@roles_required(*SCHEDULERS)
def confirm_selection(month: str):
    """Create the drawn audits and tell the auditors (once: a second confirmation does nothing)."""
    first = _month_or_404(month)
    form = ConfirmForm()
    drafted = db.session.scalar(select(MonthlySelection).where(MonthlySelection.month == first))
    if not form.validate_on_submit() or drafted is None:
        abort(400)
    try:
        created = service.confirm(drafted, current_user, today_london())
    except SelectionError as error:
        db.session.rollback()
        draw_form = DrawForm()
        draw_form.seed.errors = [str(error)]
        return _selection_page(first, draw_form, 409)
    left_out = drafted.draw.get("left_out", [])
    db.session.commit()
    made, dropped = len(created), len(left_out)
    flash(
        f"{wording.count(made, 'audit')} {wording.is_or_are(made)} allocated "
        "and the auditors have been told.",
        "success",
    )
    if left_out:  # allocated since the draw, or gone: a shortfall to allocate by hand
        flash(
            f"{wording.count(dropped, 'drafted audit')} {wording.was_or_were(dropped)} "
            f"left out: {service.describe_left_out(left_out)}. Allocate by hand any still "
            "needed.",
            "warning",
        )
    return redirect(url_for("scheduling.selection", month=month))


def _auditor_choices() -> list[tuple[int, str]]:
    """The active staff who may audit, as select choices: one statement, roles in SQL."""
    auditing_roles = {
        Role.TEAM_MANAGER.value,
        Role.SERVICE_MANAGER.value,
        Role.HEAD_OF_SERVICE.value,
        Role.ASSISTANT_DIRECTOR.value,
        Role.QA_LEAD.value,
        Role.MASH_HEAD_OF_SERVICE.value,
        Role.PARTNER_AUDITOR.value,
        Role.SAFEGUARDING_UNIT.value,
    }
    auditors = select(UserRole.user_id).where(UserRole.role.in_(auditing_roles))
    people = db.session.execute(
        select(User.id, User.name, User.job_title)
        .where(User.active, User.id.in_(auditors))
        .order_by(User.name)
    )
    return [
        (user_id, f"{name} ({job_title})" if job_title else name)
        for user_id, name, job_title in people
    ]


@bp.route("/allocate", methods=["GET", "POST"])
@roles_required(*SCHEDULERS)
def allocate_by_hand():
    """Allocate an audit of a case chosen by hand, with the reason (conflicts still refused)."""
    form = ManualAllocationForm()
    form.process_key.choices = [
        ("", "Choose the audit tool"),
        *((p.key, p.title) for p in plugin_host().allocatable_processes()),
    ]
    form.auditor_id.choices = [(0, "Choose the auditor"), *_auditor_choices()]
    if form.validate_on_submit():
        case = db.session.scalar(
            select(Case).where(Case.reference == form.case_reference.data.strip())
        )
        process = plugin_host().process(form.process_key.data)
        auditor = db.session.get(User, form.auditor_id.data)
        if case is None:
            form.case_reference.errors.append("No case has that reference")
        elif process is None or not plugin_host().is_enabled(process.key):
            form.process_key.errors.append("Choose the audit tool")
        elif auditor is None:
            form.auditor_id.errors.append("Choose the auditor")
        else:
            try:
                audit = service.allocate_by_hand(
                    case, process, auditor, form.reason.data, current_user, today_london()
                )
            except SelectionError as error:
                db.session.rollback()
                form.auditor_id.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"The audit of {case.reference} is allocated to {auditor.name}.", "success")
                return redirect(url_for("audits.show", audit_id=audit.id))
    status = 400 if form.errors else 200
    return render_template(
        "scheduling/allocate.html", title="Allocate an audit by hand", form=form
    ), status


@bp.route("/joint/<int:audit_id>", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def joint_audit(audit_id: int):
    """Name a second auditor on an audit: a joint audit, to calibrate grading."""
    audit = audit_or_404(audit_id, current_user)
    if audit.submitted_at is not None:
        abort(409)
    form = JointAuditForm()
    named = {row.user_id for row in audit.auditor_rows}
    form.auditor_id.choices = [
        (0, "Choose the second auditor"),
        *(choice for choice in _auditor_choices() if choice[0] not in named),
    ]
    if form.validate_on_submit():
        auditor = db.session.get(User, form.auditor_id.data)
        if auditor is None:
            form.auditor_id.errors.append("Choose the second auditor")
        else:
            try:
                service.add_joint_auditor(audit, auditor, form.reason.data, current_user)
            except SelectionError as error:
                db.session.rollback()
                form.auditor_id.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"{auditor.name} now audits this case too.", "success")
                return redirect(url_for("audits.show", audit_id=audit.id))
    status = 400 if form.errors else 200
    return render_template(
        "scheduling/joint.html", title="Joint audit", form=form, audit=audit
    ), status
