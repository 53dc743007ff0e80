"""The audit tools (plugins) page: every discovered plugin, enabled or not, with a toggle."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from portal.admin import bp
from portal.extensions import db
from portal.models import Role
from portal.permissions import roles_required
from portal.plugins import plugin_host

TEMPLATE = "admin/plugins.html"


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
    """Enable or disable one plugin; htmx gets the plugin's row back, others a redirect."""
    host = plugin_host()
    if key not in host.installed:
        abort(404)
    wanted = request.form.get("enabled")
    if wanted not in {"true", "false"}:
        abort(400)
    enabled = wanted == "true"
    host.set_enabled(key, enabled, actor_id=current_user.id)
    db.session.commit()
    message = f"{host.installed[key].info.name} is now {'enabled' if enabled else 'disabled'}."
    if request.headers.get("HX-Request"):
        context = _context()
        return render_block(
            TEMPLATE, "plugin_row", plugin=host.installed[key], message=message, **context
        )
    flash(message, "success")
    return redirect(url_for("admin.plugins"))
