"""API tokens for BI tools (administrators): the list of every token, and revoking one.

Administrators never issue a token: a token reads what its owner reads, so each person
creates their own (:mod:`portal.api.own_tokens`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.admin import bp
from portal.api.auth import revoke_token
from portal.extensions import db
from portal.models import ApiToken, Role
from portal.paging import paginate
from portal.permissions import roles_required


@bp.get("/tokens")
@roles_required(Role.ADMIN)
def tokens():
    """Every API token, newest first, 50 a page, each with a button to revoke it (nobody
    issues a token here: each person creates their own on *Your API tokens*)."""
    page = paginate(
        select(ApiToken)
        .options(selectinload(ApiToken.user))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return render_template("admin/tokens.html", title="API tokens", tokens=page.items, page=page)


@bp.post("/tokens/<int:token_id>/revoke")
@roles_required(Role.ADMIN)
def revoke_api_token(token_id: int):
    """Revoke a token: from now on, the API refuses it."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if revoke_token(token, current_user):
        db.session.commit()
        flash(f"The API token “{token.name}” of {token.user.name} is revoked.", "success")
    else:
        flash(f"The API token “{token.name}” was already revoked.", "info")
    return redirect(url_for("admin.tokens"))
