"""The case import form and the case list's filters."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectChoice, SelectField, StringField, SubmitField

from portal.models import CaseType

STATUS_CHOICES = [
    SelectChoice("", "Open and closed"),
    SelectChoice("open", "Open"),
    SelectChoice("closed", "Closed"),
]


class CaseImportForm(FlaskForm):
    """One CSV file exported from the case system."""

    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description=(
            "A CSV file with a header row. Required columns: reference, case_type, team, "
            "opened_on. Optional columns: allocated_worker_email, closed_on. "
            "Write dates as YYYY-MM-DD or DD/MM/YYYY."
        ),
        validators=[
            FileRequired(message="Select a CSV file"),
            FileAllowed(["csv"], message="The selected file must be a CSV"),
        ],
    )
    submit = SubmitField("Import cases", widget=GovSubmitInput())


class CaseFilterForm(FlaskForm):
    """Filters for the case list, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Reference", widget=GovTextInput())
    case_type = SelectField(
        "Case type",
        widget=GovSelect(),
        choices=[SelectChoice("", "All case types")]
        + [SelectChoice(case_type.value, case_type.label) for case_type in CaseType],
    )
    team = SelectField("Team", widget=GovSelect(), choices=[SelectChoice("", "All teams")])
    status = SelectField("Open or closed", widget=GovSelect(), choices=STATUS_CHOICES)

    def chosen(self, field: SelectField) -> str:
        """The field's value when it is one of its choices, else "" (no filter)."""
        values = {choice.value for choice in field.choices}
        return field.data if field.data in values else ""
