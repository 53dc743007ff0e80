"""The plugin's own pages: the S.47 enquiries whose child was not seen within the
timescale, for the QA lead and the safeguarding unit, who may raise a safeguarding
concern about one through the core's concerns service.

Every view checks the person's role, and their relation to the case, itself: the core
only makes sure someone is signed in.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from portal.plugin_api import (
    Audit,
    AuditAnswer,
    NavItem,
    Role,
    User,
    case_or_404,
    db,
    raise_concern,
    read_text,
    recipients,
    roles_required,
)
from sqlalchemy import select

from s47_example.grading import ENQUIRY, SEEN_IN_TIME
from s47_example.process import S47_AUDIT
from s47_example.report import CHILD_SEEN

bp = Blueprint("s47_example", __name__, url_prefix="/s47_example")

#: Who reads these pages: they oversee practice and escalate safeguarding concerns.
READERS = (Role.QA_LEAD, Role.SAFEGUARDING_UNIT)
#: The source type of the concerns raised from these pages: the plugin's key.
SOURCE = S47_AUDIT.key
#: The message when the concern's description is left empty.
DESCRIBE = "Describe the safeguarding concern"


def navigation(user: User) -> list[NavItem]:
    """The menu item for the people who read these pages; nothing for anyone else."""
    if user.has_role(*READERS):
        return [NavItem("S.47: children not seen in time", "s47_example.index")]
    return []


def not_seen_in_time() -> list[tuple[Audit, str]]:
    """The submitted S.47 audits that found the child seen late or not at all, newest
    first, each with the answer's label."""
    labels = dict(CHILD_SEEN)
    rows = db.session.execute(
        select(Audit, AuditAnswer.value)
        .join(AuditAnswer, AuditAnswer.audit_id == Audit.id)
        .where(
            Audit.process_key == S47_AUDIT.key,
            Audit.submitted_at.is_not(None),
            AuditAnswer.section_key == ENQUIRY,
            AuditAnswer.field_key == "child_seen",
            AuditAnswer.value.in_([value for value in labels if value != SEEN_IN_TIME]),
        )
        .order_by(Audit.submitted_at.desc(), Audit.id.desc())
    )
    return [(audit, labels[value]) for audit, value in rows]


def _audit_or_404(audit_id: int) -> tuple[Audit, str]:
    """One of :func:`not_seen_in_time`'s audits, if the signed-in person may see its case."""
    audit = db.session.get(Audit, audit_id)
    if audit is None or audit.process_key != S47_AUDIT.key or audit.submitted_at is None:
        abort(404)
    case_or_404(audit.case_id, current_user)  # 403 unless they may see the case
    seen = audit.answers().get(ENQUIRY, {}).get("child_seen", "")
    if seen in ("", SEEN_IN_TIME):
        abort(404)
    return audit, dict(CHILD_SEEN).get(seen, seen)


@bp.route("/")
@roles_required(*READERS)
def index():
    """The S.47 enquiries whose child was not seen within the timescale."""
    return render_template(
        "s47_example/index.html", title="Children not seen in time", audits=not_seen_in_time()
    )


def _page(audit: Audit, seen: str, description: str = "", error: str | None = None) -> str:
    """The page of one enquiry, with what was typed and the error when raising failed."""
    return render_template(
        "s47_example/audit.html",
        title=f"{'Error: ' if error else ''}Child not seen in time: {audit.case.reference}",
        audit=audit,
        seen=seen,
        source=SOURCE,
        description=description,
        error=error,
    )


@bp.route("/audits/<int:audit_id>")
@roles_required(*READERS)
def audit_page(audit_id: int):
    """One S.47 enquiry whose child was not seen in time, and its safeguarding concerns."""
    return _page(*_audit_or_404(audit_id))


@bp.post("/audits/<int:audit_id>/concern")
@roles_required(*READERS)
def concern(audit_id: int):
    """Raise a safeguarding concern about the enquiry's case, from this plugin's page."""
    audit, seen = _audit_or_404(audit_id)
    description, error = read_text(request.form, "description", DESCRIBE)
    if error:
        return _page(audit, seen, description, error), 400
    raise_concern(audit.case, SOURCE, audit.id, description, current_user)
    sent_to = [person.name for person in recipients(audit.case) if person.id != current_user.id]
    db.session.commit()
    if sent_to:
        flash(f"Your safeguarding concern has been sent to {', '.join(sent_to)}.", "success")
    else:
        flash(
            "Your safeguarding concern has been recorded, but nobody holds the head of service "
            "or safeguarding unit role to receive it. Tell a senior manager now.",
            "error",
        )
    return redirect(url_for("s47_example.audit_page", audit_id=audit.id))
