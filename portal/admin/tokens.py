"""API tokens for BI tools (administrators): the list, issuing one, revoking one.

A new token is shown once, on the page that answers the form, and never stored: the
table keeps only its digest (see :mod:`portal.api.auth`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import Field, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.admin import bp
from portal.admin.forms import optional_id, strip
from portal.api.auth import issue_token, revoke_token
from portal.extensions import db
from portal.models import ApiToken, Role, User
from portal.permissions import roles_required


def _active_person(form: FlaskForm, field: Field) -> None:
    """Refuse anyone but an active user: a token of an inactive account would not work."""
    person = db.session.get(User, field.data) if field.data else None
    if person is None or not person.active:
        raise ValidationError("Choose the person whose access the token will have")


class TokenForm(FlaskForm):
    """A new API token: what it is for, and whose access it has."""

    name = StringField(
        "What the token is for",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter what the token is for, like Power BI monthly dashboard"),
            Length(max=120, message="What the token is for must be 120 characters or fewer"),
        ],
    )
    user_id = SelectField(
        "Whose access it has",
        widget=GovSelect(),
        coerce=optional_id,
        validate_choice=False,  # _active_person checks the choice, with a clearer message
        validators=[_active_person],
    )
    submit = SubmitField("Issue token", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = db.session.scalars(select(User).where(User.active).order_by(User.name, User.email))
        self.user_id.choices = [("", "Choose a person")] + [
            (str(person.id), f"{person.name} ({person.email})") for person in people
        ]


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def tokens():
    """Every API token, newest first, and the form that issues one.

    After issuing, the page shows the new token once; it is not kept anywhere.
    """
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        person = db.session.get(User, form.user_id.data)
        issued = issue_token(person, form.name.data, current_user)
        db.session.commit()
        form = TokenForm(formdata=None)
    rows = db.session.scalars(
        select(ApiToken)
        .options(selectinload(ApiToken.user))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return render_template(
        "admin/tokens.html", title="API tokens", form=form, issued=issued, tokens=rows.all()
    ), (400 if form.errors else 200)


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
