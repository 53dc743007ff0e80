"""What every page shares: blueprints, navigation by role, error pages, security headers."""

from __future__ import annotations

import secrets

from flask import (
    Flask,
    Request,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from portal.concerns.urgency import Urgency, urgency
from portal.extensions import login_manager
from portal.hookspecs import NavItem
from portal.models import Role, SafeguardingConcern
from portal.moderation.calibration_views import READERS as CALIBRATION_READERS
from portal.notifications.views import unread_count
from portal.plugins import plugin_host
from portal.reports import REPORT_ROLES
from portal.timeutil import govuk_date, to_london, today_london, utcnow

ERROR_TITLES = {
    400: "Something was wrong with that request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That is not allowed here",
    409: "That cannot be done now",
    413: "What you sent is too large",
    429: "Too many requests",
    500: "Sorry, there is a problem with the service",
}

ERROR_ADVICE = {
    400: "The page may have been open for too long. Go back, reload the page and try again.",
    403: "If you think you should have access, speak to your manager or the QA team.",
    404: "If you typed the web address, check it is correct.",
    413: (
        "A form may send up to 2 MB of text (an answer up to 20,000 characters) and a file "
        "up to 10 MB. Nothing was saved: shorten the text or split the file, then try again."
    ),
    500: "Try again later. Nothing you entered was saved.",
}


class PortalRequest(Request):
    """A request whose body is capped: ``MAX_FORM_BYTES`` for text forms, and
    ``MAX_CONTENT_LENGTH`` for file uploads (``multipart/form-data``)."""

    @property
    def max_content_length(self) -> int | None:
        """The most bytes this request's body may hold; larger ones get a 413."""
        if self.mimetype == "multipart/form-data":
            return current_app.config["MAX_CONTENT_LENGTH"]
        return current_app.config["MAX_FORM_BYTES"]


def concern_urgency(concern: SafeguardingConcern) -> Urgency | None:
    """The urgency flag of *concern* today (UK time); None once it is answered."""
    return urgency(concern.raised_at, concern.responded_at, today_london())


def navigation_items() -> list[dict]:
    """The main menu for the signed-in user, built from their roles, once per request.

    Each area (blueprint) appears once; its item is marked current on any of its pages.
    The GOV.UK page template renders the navigation block twice: the menu's counts are
    read once.
    """
    if "navigation_items" not in g:
        g.navigation_items = _navigation_items()
    return g.navigation_items


def _navigation_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = [("main.dashboard", "Home"), ("audits.index", "Audits")]
    if current_user.has_role(*(set(Role) - {Role.ADMIN, Role.PARTNER_AUDITOR})):
        # The QA lead holds no cases: their actions page is every action across services.
        actions = "actions.overview" if current_user.has_role(Role.QA_LEAD) else "actions.index"
        items += [("cases.index", "Cases"), (actions, "Actions")]
    elif current_user.has_role(Role.ADMIN):
        items.append(("cases.import_cases", "Import cases"))
    if current_user.has_role(Role.QA_ADMIN, Role.QA_LEAD):
        items.append(("scheduling.index", "Schedule"))
    if current_user.has_role(Role.QA_LEAD):
        items.append(("moderation.index", "Moderation"))
    if current_user.has_role(*CALIBRATION_READERS):
        items.append(("calibration.index", "Calibration"))
    if current_user.has_role(
        Role.HEAD_OF_SERVICE, Role.MASH_HEAD_OF_SERVICE, Role.SAFEGUARDING_UNIT, Role.QA_LEAD
    ):
        items.append(("concerns.index", "Safeguarding concerns"))
    if current_user.has_role(*REPORT_ROLES):
        items.append(("reports.monthly", "Reports"))
    unread = unread_count(current_user)
    items.append(
        ("notifications.index", f"Notifications ({unread})" if unread else "Notifications")
    )
    items += plugin_navigation(current_user)
    if current_user.has_role(Role.ADMIN):
        items.append(("admin.index", "Administration"))
    area = (request.endpoint or "").split(".")[0]
    return [
        {
            "href": url_for(target),
            "text": text,
            "active": target == request.endpoint
            or (area != "main" and target.split(".")[0] == area),
        }
        for target, text in items
    ]


def plugin_navigation(user) -> list[tuple[str, str]]:
    """The enabled plugins' menu items (``portal_navigation``) for *user*.

    An item pointing outside its plugin's own pages is left out and logged.
    """
    items = []
    for key, call in plugin_host().implementations("portal_navigation"):
        for item in call(user=user) or []:
            if isinstance(item, NavItem) and item.endpoint.startswith(f"{key}."):
                items.append((item.endpoint, item.label))
            else:
                current_app.logger.error("plugin %r: a menu item outside its pages: %r", key, item)
    return items


def table_cell(cell: object) -> dict:
    """A cell for the GOV.UK table macro: markup (a link, say) as html, anything else as text."""
    return {"html": cell} if isinstance(cell, Markup) else {"text": cell}


def _security_headers(response):
    nonce = g.get("csp_nonce", "")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    )
    if response.mimetype == "text/html" or current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def render_error(code: int, message: str | None = None):
    """The GOV.UK-styled error page for *code*."""
    title = ERROR_TITLES.get(code, "Something went wrong")
    return (
        render_template(
            "errors/error.html",
            title=title,
            message=message or ERROR_ADVICE.get(code, ""),
            code=code,
        ),
        code,
    )


def init_app(app: Flask) -> None:
    """Register the blueprints and the behaviour every page shares."""
    from portal.actions import bp as actions_bp
    from portal.admin import bp as admin_bp
    from portal.api import bp as api_bp
    from portal.api import own_tokens  # noqa: F401  (its views attach themselves to api_docs)
    from portal.api.docs import bp as api_docs_bp
    from portal.audits.cancel_views import bp as audit_cancel_bp
    from portal.audits.views import bp as audits_bp
    from portal.cases import bp as cases_bp
    from portal.circulation.views import bp as circulation_bp
    from portal.concerns import bp as concerns_bp
    from portal.learning.views import bp as learning_bp
    from portal.main import bp as main_bp
    from portal.moderation.calibration_views import bp as calibration_bp
    from portal.moderation.views import bp as moderation_bp
    from portal.notifications import bp as notifications_bp
    from portal.reports.views import bp as reports_bp
    from portal.scheduling.views import bp as scheduling_bp

    app.request_class = PortalRequest
    app.register_blueprint(main_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(audits_bp)
    app.register_blueprint(audit_cancel_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(scheduling_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(calibration_bp)
    app.register_blueprint(concerns_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(circulation_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_docs_bp)
    WTFormsHelpers(app)

    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_global(concern_urgency, "concern_urgency")
    app.add_template_filter(table_cell, "table_cell")
    app.add_template_filter(lambda cells: [table_cell(cell) for cell in cells], "table_row")

    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    app.after_request(_security_headers)

    @app.context_processor
    def layout_helpers():
        return {
            "navigation_items": navigation_items,
            "cspNonce": g.get("csp_nonce"),
            "Role": Role,
            "london": to_london,
            "now_london": lambda: to_london(utcnow()),
        }

    @login_manager.unauthorized_handler
    def unauthorized():
        target = url_for("auth.login", next=request.full_path.rstrip("?"))
        if request.headers.get("HX-Request"):
            response = app.response_class(status=401)
            response.headers["HX-Redirect"] = target
            return response
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(target)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            "Your form had expired or was not sent from this site. "
            "Go back, reload the page and try again. Nothing was changed.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        if request_ctx.url_adapter is None:
            # The Host header is not one of TRUSTED_HOSTS: no page of ours can be built
            # (its links need the host), so Werkzeug's plain error answers.
            return error
        return render_error(error.code)
