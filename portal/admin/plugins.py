"""The audit tools (plugins) page: every discovered plugin, enabled or not, with a toggle."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy.orm import joinedload, selectinload

from portal.admin import bp
from portal.audits.cancel import affected, allocated_audits
from portal.extensions import db
from portal.models import Audit, AuditAuditor, Role
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required
from portal.plugins import plugin_host
from portal.reports.snapshots import store_before_disabling, unstored_months
from portal.timeutil import today_london
from portal.wording import count

TEMPLATE = "admin/plugins.html"
DISABLE_TEMPLATE = "admin/plugin_disable.html"
ALLOCATED_ID = "allocated-audits"


def _context() -> dict:
    host = plugin_host()
    return {
        "title": "Audit tools",
        "plugins": [host.installed[key] for key in sorted(host.installed)],
        "enabled": host.enabled_keys(),
        "refused": [host.refused[key] for key in sorted(host.refused)],
    }


@bp.route("/plugins")
@roles_required(Role.ADMIN)
def plugins():
    """List every discovered plugin: key, name, version, description, state and hooks;
    then the plugins the portal refused to load, with the reason."""
    return render_template(TEMPLATE, **_context())


@bp.post("/plugins/<key>")
@roles_required(Role.ADMIN)
def toggle_plugin(key: str):
    """Enable or disable one plugin; htmx gets the plugin's row back, others a redirect.

    Disabling is confirmed first on :func:`disable_plugin`'s page; it stores the reports of
    the past months not stored yet, so that they keep the plugin's section."""
    host = plugin_host()
    if key not in host.installed:
        abort(404)
    wanted = request.form.get("enabled")
    if wanted not in {"true", "false"}:
        abort(400)
    enabled = wanted == "true"
    if not enabled and request.form.get("confirmed") != "yes" and host.is_enabled(key):
        # disabling is confirmed on the page that says what it affects
        return redirect(url_for("admin.disable_plugin", key=key))
    name = host.installed[key].info.name
    kept: list = []
    if not enabled and host.is_enabled(key):
        kept = store_before_disabling(key, name, today_london(), actor_id=current_user.id)
    host.set_enabled(key, enabled, actor_id=current_user.id)
    db.session.commit()
    message = f"{name} is now {'enabled' if enabled else 'disabled'}."
    if kept:
        message += (
            f" The reports of {count(len(kept), 'past month')} were stored first, with its section."
        )
    if request.headers.get("HX-Request"):
        context = _context()
        return render_block(
            TEMPLATE, "plugin_row", plugin=host.installed[key], message=message, **context
        )
    flash(message, "success")
    return redirect(url_for("admin.plugins"))


@bp.route("/plugins/<key>/disable")
@roles_required(Role.ADMIN)
def disable_plugin(key: str):
    """Ask before disabling a plugin, saying what it affects: its audits allocated and not
    yet submitted (listed 50 a page, each with a link to cancel it), its open actions."""
    host = plugin_host()
    if key not in host.installed:
        abort(404)
    page = paginate(
        allocated_audits(key).options(
            joinedload(Audit.case),
            selectinload(Audit.auditor_rows).joinedload(AuditAuditor.user),
        )
    )
    if wants_fragment(ALLOCATED_ID):
        return render_block(DISABLE_TEMPLATE, "results", page=page)
    return render_template(
        DISABLE_TEMPLATE,
        title=f"Disable {host.installed[key].info.name}",
        plugin=host.installed[key],
        is_enabled=host.is_enabled(key),
        counts=affected(key),
        unstored=len(unstored_months(key, today_london())),
        page=page,
    )
