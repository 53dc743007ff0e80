"""The WTForms forms of the reviews' pages (setting a review up, its cases and pairs, its
report, and its SMART action plan), with the fields and checks they share.

Each field's message is the one the GOV.UK error summary shows; a problem the service finds
(a :class:`ReviewError`) is shown on the field it names with :func:`show_error`.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from plugins.thematic_review.inputs import LONG_TEXT_LIMIT, clean, read_date, too_long
from plugins.thematic_review.reviews import MINIMUM_CASES, ReviewError
from portal.plugin_api import User, database_int, today_london

#: The most cases one draw adds.
LARGEST_DRAW = 40


# Fields and checks ----------------------------------------------------------------------


class DayField(DateField):
    """A GOV.UK date input (day, month and year); empty gives None, nonsense an error.

    The widget shows the boxes sent again by unpacking exactly three of them, so whatever was
    posted (nothing, when the field is left out; one box or four, from a crafted form) is
    kept as three boxes for the page shown again, while the date itself is read from what
    was sent.
    """

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the three boxes; a date that does not exist (or not three boxes) is an error."""
        self.raw_data = [*valuelist, "", "", ""][:3]
        self.data = None
        try:
            self.data = read_date(valuelist)
        except ValueError:
            raise ValueError("Enter a real date, for example 3 2 2027") from None


def required_date(message: str):
    """A validator: the date must be given (a date typed badly keeps its own message)."""

    def check(form, field) -> None:
        """Stop at the first problem: an empty date."""
        if field.data is None and not field.process_errors:
            raise StopValidation(message)

    return check


def chosen(message: str, *, listed: bool = True):
    """A validator for a select whose first option (0) says "Choose ...": one of the others
    (or, when not *listed*, anyone: the service says why someone else may not be chosen).

    (Its field sets ``validate_choice=False``, so that this message is the one shown.)
    """

    def check(form, field) -> None:
        """Refuse the "Choose ..." option (and, when *listed*, anyone not on the list)."""
        if not field.data or (listed and field.data not in {v for v, _ in field.choices}):
            raise ValidationError(message)

    return check


def within(limit: int) -> Length:
    """A validator: text of at most *limit* characters, with the plugin's message for it."""
    return Length(max=limit, message=too_long(limit))


#: The largest id a database's integer column holds.
LARGEST_ID = 2**31 - 1


def listed_id(value: str) -> int:
    """The id an option sends (a person's, a team's); 0 (a select's "Choose ..." option)
    for anything that cannot be one, so that the field's own message says what to do."""
    value = value.strip()
    number = int(value) if value.isdecimal() else 0
    return number if number <= LARGEST_ID else 0


class PersonField(SelectField):
    """A GOV.UK select of people (:func:`people_choices`) checked by :func:`chosen` with
    *message*: whatever is sent, even what no option sends, gets that message."""

    def __init__(self, label: str, message: str, *, listed: bool = True, **kwargs) -> None:
        super().__init__(
            label,
            validate_choice=False,
            widget=GovSelect(),
            coerce=int,
            validators=[chosen(message, listed=listed)],
            **kwargs,
        )

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the chosen person's id (a field left out keeps what it had)."""
        if valuelist:
            self.data = listed_id(valuelist[0])


class TickedField(SelectMultipleField):
    """GOV.UK checkboxes (of ids when *ids*, else of codes): anything ticked that is not one
    of the choices gets *message*, which never repeats what was sent."""

    def __init__(self, label: str, message: str, *, ids: bool = False, **kwargs) -> None:
        super().__init__(
            label,
            validate_choice=False,
            widget=GovCheckboxesInput(),
            coerce=int if ids else str,
            **kwargs,
        )
        self.unlisted_message, self.ids = message, ids

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the values ticked."""
        self.data = [listed_id(value) for value in valuelist] if self.ids else list(valuelist)

    def pre_validate(self, form: FlaskForm) -> None:
        """Stop at a value that is not one of the choices."""
        if not set(self.data or ()) <= {value for value, _ in self.choices}:
            raise StopValidation(self.unlisted_message)


def people_choices(people: list[User], prompt: str) -> list[tuple[int, str]]:
    """The options of a select of people: first the *prompt* ("Choose ..."), then each person."""
    return [(0, prompt), *((person.id, person.name) for person in people)]


def show_error(form: FlaskForm, error: ReviewError, default: str) -> None:
    """Show *error* on its field of *form* (or on *default*), for the error summary."""
    getattr(form, error.field if error.field in form._fields else default).errors.append(str(error))


# The forms ------------------------------------------------------------------------------


class ReviewForm(FlaskForm):
    """A review's theme, dates, venue, lead, QA lead and members."""

    theme = StringField(
        "Theme",
        filters=[clean],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the review's theme"), within(200)],
    )
    first_day = DayField(
        "First day",
        description="For example, 3 2 2027",
        validators=[required_date("Enter the review's first day")],
    )
    second_day = DayField(
        "Second day (if the review takes two days)",
        description="Leave it empty for a one-day review",
    )
    venue = StringField(
        "Venue",
        filters=[clean],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the venue"), within(200)],
    )
    lead_id = PersonField(
        "Lead (safeguarding unit)", "Choose the review's lead from the safeguarding unit"
    )
    qa_lead_id = PersonField("QA lead", "Choose the QA lead who co-ordinates the review")
    member_ids = TickedField(
        "Members",
        "Choose the members from the list",
        ids=True,
        description="Cases are reviewed in pairs of members. The lead and the QA lead are "
        "members too.",
    )
    submit = SubmitField("Save the review", widget=GovSubmitInput())

    def validate_second_day(self, field) -> None:
        """The second day comes after the first."""
        if field.data and self.first_day.data and field.data <= self.first_day.data:
            raise ValidationError("The second day must be after the first day")

    def validate_member_ids(self, field) -> None:
        """At least two members, to make a pair."""
        if len(set(field.data or ())) < 2:
            raise ValidationError("Choose at least two members: cases are reviewed in pairs")


class DrawForm(FlaskForm):
    """A seeded draw of cases from a filter."""

    case_types = TickedField("Case types", "Choose the case types from the list", choices=[])
    service_codes = TickedField("Services", "Choose the services from the list", choices=[])
    team_ids = TickedField("Teams", "Choose the teams from the list", ids=True, choices=[])
    count = StringField(
        "How many cases to draw",
        filters=[clean],
        widget=GovTextInput(),
        default=str(MINIMUM_CASES),
        validators=[DataRequired(message="Enter how many cases to draw")],
    )
    seed = StringField(
        "Seed (optional)",
        filters=[clean],
        widget=GovTextInput(),
        description="A whole number. Leave it empty for a new random draw; the seed is kept "
        "with the review so the same draw can be repeated.",
    )
    submit = SubmitField("Draw the cases", widget=GovSubmitInput())

    def validate_count(self, field) -> None:
        """A whole number from 1 to :data:`LARGEST_DRAW`."""
        count = database_int((field.data or "").strip())
        if count is None or not 1 <= count <= LARGEST_DRAW:
            raise ValidationError(f"Enter a whole number of cases from 1 to {LARGEST_DRAW}")


class ChooseForm(FlaskForm):
    """A case chosen by hand, with the reason."""

    reference = StringField(
        "Case reference",
        filters=[clean],
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the case reference"), within(40)],
    )
    reason = TextAreaField(
        "Why this case?",
        filters=[clean],
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Give the reason for choosing this case"),
            within(2000),
        ],
    )
    submit = SubmitField("Add the case", widget=GovSubmitInput())


class PairForm(FlaskForm):
    """The two members who review a case together."""

    first = PersonField("First auditor", "Choose the first auditor", listed=False)
    second = PersonField("Second auditor", "Choose the second auditor", listed=False)
    submit = SubmitField("Pair them", widget=GovSubmitInput())


class ReportForm(FlaskForm):
    """The review's final report."""

    findings = TextAreaField(
        "Findings",
        filters=[clean],
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter the findings"), within(LONG_TEXT_LIMIT)],
    )
    recommendations = TextAreaField(
        "Recommendations",
        filters=[clean],
        widget=GovTextArea(),
        validators=[DataRequired(message="Enter the recommendations"), within(LONG_TEXT_LIMIT)],
    )
    family_voice = TextAreaField(
        "Family voice themes",
        filters=[clean],
        widget=GovTextArea(),
        description="What the children and families told the auditors, in themes. Optional.",
        validators=[within(LONG_TEXT_LIMIT)],
    )
    submit = SubmitField("Save the report", widget=GovSubmitInput())


class PlanItemForm(FlaskForm):
    """A SMART action: specific, owned, measurable, time-bound."""

    action = TextAreaField(
        "What will be done",
        filters=[clean],
        widget=GovTextArea(),
        description="Specific: one action, in a sentence or two.",
        validators=[DataRequired(message="Say what will be done"), within(LONG_TEXT_LIMIT)],
    )
    owner_id = PersonField("Owner", "Choose who owns the action")
    measure = TextAreaField(
        "How you will measure it",
        filters=[clean],
        widget=GovTextArea(),
        description="Measurable: how everyone will know it is done and has worked.",
        validators=[
            DataRequired(message="Say how you will measure it"),
            within(LONG_TEXT_LIMIT),
        ],
    )
    due_on = DayField(
        "Due date",
        description="Time-bound: a date in the future, for example 30 6 2027",
        validators=[required_date("Enter the due date")],
    )
    submit = SubmitField("Add the action", widget=GovSubmitInput())

    def validate_due_on(self, field) -> None:
        """A due date in the future."""
        if field.data and field.data <= today_london():
            raise ValidationError("The due date must be in the future")


class ProgressForm(FlaskForm):
    """A note of progress on an action of the plan."""

    progress = TextAreaField(
        "Progress",
        filters=[clean],
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Describe the progress made"),
            within(LONG_TEXT_LIMIT),
        ],
    )
    done = BooleanField("This action is done", widget=GovCheckboxInput())
    submit = SubmitField("Record the progress", widget=GovSubmitInput())


class FeedbackSessionForm(FlaskForm):
    """The group feedback session with the social workers and managers, once it is held."""

    held_on = DayField(
        "When was it held?",
        description="For example, 12 3 2027",
        validators=[required_date("Enter the date of the feedback session")],
    )
    attendees = TextAreaField(
        "Who attended",
        filters=[clean],
        widget=GovTextArea(),
        description="The social workers, managers and auditors who came, one a line.",
        validators=[
            DataRequired(message="Say who attended the feedback session"),
            within(LONG_TEXT_LIMIT),
        ],
    )
    notes = TextAreaField(
        "Notes",
        filters=[clean],
        widget=GovTextArea(),
        description="What was shared and what the social workers said. Optional.",
        validators=[within(LONG_TEXT_LIMIT)],
    )
    submit = SubmitField("Save the feedback session", widget=GovSubmitInput())
