"""The observation of practice's page of its own: the practitioner's reflection.

``/practice_observation/<audit_id>/reflection`` shows the reflection to whoever may read
the observation, and lets the practitioner write it once the observation is submitted. Bad
input shows the GOV.UK error summary with status 400 and changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from plugins.practice_observation import reflection
from portal.plugin_api import db, log_access

bp = Blueprint("practice_observation", __name__, url_prefix="/practice_observation")

#: The longest answer a field takes, in characters.
TEXT_LIMIT = 10000


def _text(label: str, missing: str | None) -> TextAreaField:
    """A GOV.UK textarea, required (with the message *missing*) unless *missing* is None."""
    validators = [
        Length(max=TEXT_LIMIT, message=f"{label} must be {TEXT_LIMIT} characters or fewer")
    ]
    if missing:
        validators.insert(0, DataRequired(message=missing))
    return TextAreaField(label, validators=validators, widget=GovTextArea())


class ReflectionForm(FlaskForm):
    """The practitioner's reflection: two questions required, one optional."""

    went_well = _text("What went well in the visit", "Enter what went well in the visit")
    differently = _text(
        "What you would do differently next time", "Enter what you would do differently"
    )
    support = _text("What learning or support would help you", None)
    submit = SubmitField("Save your reflection", widget=GovSubmitInput())


@bp.route("/<int:audit_id>/reflection", methods=["GET", "POST"])
def reflection_page(audit_id: int):
    """The practitioner's reflection on the observation *audit_id*."""
    audit = reflection.observation_or_404(audit_id, current_user)
    writable = reflection.may_write(current_user, audit)
    saved = reflection.reflection_of(audit)
    form = ReflectionForm(obj=saved)
    if form.is_submitted() and not writable:
        abort(403)
    if writable and form.validate_on_submit():
        values = {name: (getattr(form, name).data or "").strip() for name in reflection.FIELDS}
        reflection.save_reflection(audit, current_user, values)
        db.session.commit()
        flash("Your reflection is saved. The observer can read it.", "success")
        return redirect(url_for("practice_observation.reflection_page", audit_id=audit.id))
    log_access("practice_observation_reflection", audit.id, case_id=audit.case_id)
    mine = reflection.practitioner_id(audit) == current_user.id
    return render_template(
        "practice_observation/reflection.html",
        title="Your reflection" if mine else "The practitioner's reflection",
        audit=audit,
        reflection=saved,
        form=form if writable else None,
        mine=mine,
    ), 400 if form.errors else 200
