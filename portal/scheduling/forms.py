"""Forms of the scheduling pages: a month's theme, a draw, a manual allocation, a joint audit."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class ThemeForm(FlaskForm):
    """A month of the thematic schedule: the theme and its case filter."""

    theme = StringField(
        "Theme",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the month's theme"), Length(max=200)],
    )
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Optional()])
    case_types = SelectMultipleField("Case types", widget=GovCheckboxesInput(), choices=[])
    service_codes = SelectMultipleField("Services", widget=GovCheckboxesInput(), choices=[])
    team_ids = SelectMultipleField("Teams", widget=GovCheckboxesInput(), choices=[], coerce=int)
    flags = SelectMultipleField("Flags", widget=GovCheckboxesInput(), choices=[])
    process_keys = SelectMultipleField("Audit tools", widget=GovCheckboxesInput(), choices=[])
    submit = SubmitField("Save the theme", widget=GovSubmitInput())


class DrawForm(FlaskForm):
    """Draw (or draw again) the month's selection."""

    seed = StringField(
        "Seed (optional)",
        widget=GovTextInput(),
        description="A whole number. Leave it empty for a new random draw; the seed is "
        "recorded so the same draw can be repeated.",
        validators=[Optional()],
    )
    submit = SubmitField("Draw the selection", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Confirm the drawn selection: the audits are created and the auditors told."""

    submit = SubmitField("Confirm and allocate the audits", widget=GovSubmitInput())


class ManualAllocationForm(FlaskForm):
    """A case chosen by hand, with the reason."""

    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the case reference"), Length(max=40)],
    )
    process_key = SelectField(
        "Audit tool",
        widget=GovSelect(),
        validators=[InputRequired(message="Choose the audit tool")],
    )
    auditor_id = SelectField(
        "Auditor",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired(message="Choose the auditor")],
    )
    reason = TextAreaField(
        "Why this case, chosen by hand?",
        widget=GovTextArea(),
        validators=[InputRequired(message="Give a reason for choosing this case by hand")],
    )
    submit = SubmitField("Allocate the audit", widget=GovSubmitInput())


class JointAuditForm(FlaskForm):
    """A second auditor for a joint audit."""

    auditor_id = SelectField(
        "Second auditor",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired(message="Choose the second auditor")],
    )
    reason = TextAreaField(
        "Purpose of the joint audit",
        widget=GovTextArea(),
        description="For example: the twice-yearly joint audits to calibrate grading.",
        validators=[InputRequired(message="Say why this is a joint audit")],
    )
    submit = SubmitField("Make it a joint audit", widget=GovSubmitInput())
