"""The page that cancels an audit with a reason (``/audits/<id>/cancel``): the QA lead's
and the administrators'. It shows what identifies the audit, none of its answers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.audits.access import can_view
from portal.audits.cancel import cancel, may_cancel, reason_problem
from portal.audits.loading import PEOPLE
from portal.extensions import db
from portal.models import Audit, Role
from portal.plugins import plugin_host, plugin_key_of

bp = Blueprint("audit_cancel", __name__, url_prefix="/audits")
TEMPLATE = "audits/cancel.html"


@bp.route("/<int:audit_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_audit(audit_id: int):
    """Ask for the reason, then cancel the audit (one not yet submitted)."""
    audit = db.session.get(Audit, audit_id, options=PEOPLE)
    if audit is None:
        abort(404)
    if not current_user.has_role(Role.QA_LEAD, Role.ADMIN):
        abort(403)
    if not may_cancel(current_user, audit):
        abort(409)  # submitted, or cancelled already
    process = plugin_host().process(audit.process_key)
    context = {
        "title": "Cancel an audit",
        "audit": audit,
        "tool": process.title if process else audit.process_key,
        "can_view": can_view(current_user, audit),
        "plugin_key": plugin_key_of(audit.process_key),
        "reason": "",
        "error": None,
    }
    if request.method == "POST":
        reason = request.form.get("reason", "").replace("\r\n", "\n").strip()
        error = reason_problem(reason)
        if error:
            return render_template(TEMPLATE, **{**context, "reason": reason, "error": error}), 400
        cancel(audit, current_user, reason)
        db.session.commit()
        flash(f"The audit of {audit.case.reference} is cancelled.", "success")
        if context["can_view"]:
            return redirect(url_for("audits.show", audit_id=audit.id))
        return redirect(url_for("admin.disable_plugin", key=context["plugin_key"]))
    return render_template(TEMPLATE, **context)
