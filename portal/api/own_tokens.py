"""Your API tokens (``/api/tokens``): each member of staff issues and revokes their own.

A token reads what its owner reads, so only its owner creates it; administrators list
and revoke every token on *Administration → API tokens* but never issue one. A new token
is shown once, on the page that answers the form, and never stored (only its digest).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from sqlalchemy import select
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.admin.forms import strip
from portal.api.auth import issue_token, revoke_token
from portal.api.docs import bp
from portal.extensions import db
from portal.models import ApiToken
from portal.paging import paginate


class TokenForm(FlaskForm):
    """A new API token of the signed-in user: what it is for."""

    name = StringField(
        "What the token is for",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter what the token is for, like Power BI monthly dashboard"),
            Length(max=120, message="What the token is for must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def own_tokens():
    """The signed-in user's tokens, newest first, and the form that creates one for them."""
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        issued = issue_token(current_user, form.name.data, current_user)
        db.session.commit()
        form = TokenForm(formdata=None)
    page = paginate(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return render_template(
        "api/tokens.html", title="Your API tokens", form=form, issued=issued, page=page
    ), (400 if form.errors else 200)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_own_token(token_id: int):
    """Revoke one of the signed-in user's tokens; another's is not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if revoke_token(token, current_user):
        db.session.commit()
        flash(f"The API token “{token.name}” is revoked.", "success")
    else:
        flash(f"The API token “{token.name}” was already revoked.", "info")
    return redirect(url_for("api_docs.own_tokens"))
