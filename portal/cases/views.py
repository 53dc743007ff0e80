"""Case pages: the list a user may see, a case's page, and importing the case system's CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PureWindowsPath

from flask import render_template, request
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from portal.access_log import log_access
from portal.audits.listing import visible_audits
from portal.cases import bp
from portal.cases.details import case_details
from portal.cases.forms import CaseFilterForm, CaseImportForm
from portal.cases.importer import import_case_file
from portal.extensions import db
from portal.listfilters import contains_pattern
from portal.models import Audit, AuditAuditor, AuditStatus, Case, CaseType, Role, Team
from portal.models.characteristics import AGE_BANDS, DISABILITIES, ETHNICITIES, FLAGS, SEXES
from portal.paging import paginate, wants_fragment
from portal.permissions import (
    CaseRelation,
    case_or_404,
    case_relations,
    roles_required,
    visible_cases,
)
from portal.plugins import plugin_host

RESULTS_ID = "case-results"


@dataclass(frozen=True)
class AuditLine:
    """One audit of a case, as the case page shows it."""

    audit_id: int
    process: str
    status: str
    allocated_on: date
    due_on: date
    auditors: str


@bp.route("/")
@login_required
def index():
    """The cases the signed-in user may see, filtered and 50 to a page."""
    visible = visible_cases(current_user)
    form = CaseFilterForm(formdata=request.args)
    teams = db.session.scalars(
        select(Team).where(Team.id.in_(visible.with_only_columns(Case.team_id))).order_by(Team.name)
    ).all()
    form.team.choices = [SelectChoice("", "All teams")] + [
        SelectChoice(str(team.id), team.name) for team in teams
    ]

    query = visible
    reference = (form.q.data or "").strip()
    if reference:
        query = query.where(Case.reference.ilike(contains_pattern(reference), escape="\\"))
    if case_type := form.chosen(form.case_type):
        query = query.where(Case.case_type == case_type)
    if team_id := form.chosen(form.team):
        query = query.where(Case.team_id == int(team_id))
    status = form.chosen(form.status)
    if status == "open":
        query = query.where(Case.closed_on.is_(None))
    elif status == "closed":
        query = query.where(Case.closed_on.is_not(None))
    filtered = bool(reference or case_type or team_id or status)

    page = paginate(
        query.options(joinedload(Case.team), joinedload(Case.allocated_worker)).order_by(
            Case.reference, Case.id
        )
    )
    template = "cases/index.html"
    context = {"title": "Cases", "filters": form, "page": page, "filtered": filtered}
    if wants_fragment(RESULTS_ID):
        return render_block(template, "results", **context)
    return render_template(template, **context)


def _relation_sentences(relations: frozenset[CaseRelation], case: Case) -> list[str]:
    """How the user stands to *case*, in plain words, one sentence per relation."""
    sentences = {
        CaseRelation.HOLDS: "You are the allocated worker for this case.",
        CaseRelation.MANAGES: f"You manage {case.team.name}, or a manager who reports to you does.",
        CaseRelation.AUDITS: "You are named as an auditor on an audit of this case.",
        CaseRelation.OVERSEES: "Your role lets you see every case.",
    }
    return [sentence for relation, sentence in sentences.items() if relation in relations]


@bp.route("/<int:case_id>")
@login_required
def show(case_id: int):
    """A case: where it sits, how the user stands to it, and its audits."""
    case = case_or_404(case_id, current_user)
    log_access("case", case.id, case_id=case.id)
    audits = db.session.scalars(
        visible_audits(current_user)  # a partner auditor sees only their own
        .where(Audit.case_id == case.id)
        .options(selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user))
        .order_by(Audit.allocated_on.desc(), Audit.id.desc())
    ).all()
    names = plugin_host().process_names()
    lines = [
        AuditLine(
            audit_id=audit.id,
            process=names.get(audit.process_key, audit.process_key),
            status=AuditStatus(audit.status).label,
            allocated_on=audit.allocated_on,
            due_on=audit.due_on,
            auditors=", ".join(sorted(user.name for user in audit.auditors)),
        )
        for audit in audits
    ]
    return render_template(
        "cases/show.html",
        title=f"Case {case.reference}",
        case=case,
        details=case_details(case),
        relations=_relation_sentences(case_relations(current_user, case), case),
        audits=lines,
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.QA_ADMIN)
def import_cases():
    """Upload the case system's CSV export; a file with any bad row imports nothing."""
    form = CaseImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = import_case_file(
            db.session,
            upload.read(),
            PureWindowsPath(upload.filename).name,
            actor_id=current_user.id,
        )
        if report.errors:
            db.session.rollback()
            count = report.bad_line_count
            rows = "1 row" if count == 1 else f"{count} rows"
            form.file.errors.append(
                f"The selected file has errors on {rows}. Nothing was imported. "
                "Correct the file and upload it again"
            )
        else:
            db.session.commit()
    status = 400 if form.errors else 200
    return render_template(
        "cases/import.html",
        title="Import cases",
        form=form,
        report=report,
        case_types=[(case_type.value, case_type.label) for case_type in CaseType],
        coded_columns={
            "age_band": AGE_BANDS,
            "sex": SEXES,
            "ethnicity": ETHNICITIES,
            "disability": DISABILITIES,
            "flags": FLAGS,
        },
    ), status
