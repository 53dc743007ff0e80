"""The administration forms: users, passwords, teams, services and the list filters.

Field-level rules live here; rules that need the record being edited (a free email
address, a line-management chain without loops) are passed in by the views as
``extra_validators``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from portal.extensions import db
from portal.models import Agency, Role, Service, Team, User

Validator = Callable[[FlaskForm, Field], None]


def optional_id(value: object) -> int | None:
    """Coerce a select box's value to a record id, or None for the empty choice."""
    if value in ("", None):
        return None
    return int(value)


def strip(value: str | None) -> str | None:
    """A WTForms filter: the text without surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def unused(column: InstrumentedAttribute, own_id: int | None, message: str) -> Validator:
    """A validator refusing a value that another row already has in *column*.

    The comparison ignores case; *own_id* is the row being edited (None when creating).
    """
    model = column.class_

    def check(form: FlaskForm, field: Field) -> None:
        query = select(model.id).where(func.lower(column) == str(field.data).lower())
        if own_id is not None:
            query = query.where(model.id != own_id)
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationError(message)

    return check


def role_choices(empty_text: str | None = None) -> list[SelectChoice]:
    """Every role, in the order the Role enum lists them, after *empty_text* when given."""
    empty = [SelectChoice("", empty_text)] if empty_text else []
    return empty + [SelectChoice(role.value, role.label) for role in Role]


def person_choices(empty_text: str) -> list[SelectChoice]:
    """Every user, by name, for choosing a manager; the first choice is *empty_text*."""
    people = db.session.scalars(select(User).order_by(User.name, User.email))
    return [SelectChoice("", empty_text)] + [
        SelectChoice(str(person.id), f"{person.name} ({person.email})") for person in people
    ]


def _named_choices(model: type, empty_text: str) -> list[SelectChoice]:
    rows = db.session.scalars(select(model).order_by(model.name))
    return [SelectChoice("", empty_text)] + [SelectChoice(str(row.id), row.name) for row in rows]


class UserForm(FlaskForm):
    """A member of staff's details, roles and whether their account is active."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the person's full name"),
            Length(max=120, message="Full name must be 120 characters or fewer"),
        ],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip, _lower],
        validators=[
            DataRequired(message="Enter the person's email address"),
            Email(message="Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=120, message="Job title must be 120 characters or fewer")],
    )
    team_id = SelectField("Team", widget=GovSelect(), coerce=optional_id)
    agency_id = SelectField("Agency", widget=GovSelect(), coerce=optional_id)
    line_manager_id = SelectField("Line manager", widget=GovSelect(), coerce=optional_id)
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        choices=role_choices(),
    )
    active = BooleanField(
        "The account is active (the person can sign in)",
        widget=GovCheckboxInput(),
        default=True,
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team_id.choices = _named_choices(Team, "No team")
        self.agency_id.choices = _named_choices(Agency, "No agency")
        self.line_manager_id.choices = person_choices("No line manager")


class PasswordForm(FlaskForm):
    """A new password, typed twice, that an administrator sets for someone."""

    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a new password")],
    )
    confirm = PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Enter the new password again"),
            EqualTo("password", message="The two passwords do not match"),
        ],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    """A team: its name, the service it sits in and its manager."""

    name = StringField(
        "Team name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the team's name"),
            Length(max=120, message="Team name must be 120 characters or fewer"),
        ],
    )
    service_id = SelectField(
        "Service",
        widget=GovSelect(),
        coerce=optional_id,
        validators=[DataRequired(message="Choose the service the team belongs to")],
    )
    manager_id = SelectField("Team manager", widget=GovSelect(), coerce=optional_id)
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.service_id.choices = _named_choices(Service, "Choose a service")
        self.manager_id.choices = person_choices("No manager")


class ServiceForm(FlaskForm):
    """A service: a short code and a name."""

    code = StringField(
        "Code",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the service's code"),
            Length(max=20, message="Code must be 20 characters or fewer"),
            Regexp(
                r"^[A-Z0-9_]+$",
                message="Code must contain only capital letters, digits and underscores, like CSC",
            ),
        ],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the service's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class UserFilterForm(FlaskForm):
    """The users list's filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField("Name or email address contains", widget=GovTextInput(), filters=[strip])
    role = SelectField(
        "Role",
        widget=GovSelect(),
        choices=role_choices("Any role"),
    )


class ActivityFilterForm(FlaskForm):
    """The activity history's filters, read from the query string; choices set by the view."""

    class Meta:
        csrf = False

    object_type = SelectField("Object type", widget=GovSelect())
    actor = SelectField("Who", widget=GovSelect())
    object_id = StringField("Object number", widget=GovTextInput())


class RetentionEraseForm(FlaskForm):
    """The administrator's confirmation of an erasure under the retention rule; *due* is the
    count the page showed, so a list that changed meanwhile is shown again, not erased."""

    due = HiddenField()
    confirm = BooleanField(
        "I have checked the list: erase these cases’ records",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Tick the box to confirm the erasure")],
    )
    submit = SubmitField("Erase", widget=GovSubmitInput())


class SignOnGroupForm(FlaskForm):
    """A group of the council's directory and the role (and team) single sign-on grants."""

    group = StringField(
        "Group name in the directory",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter the group's name as the directory sends it"),
            Length(max=200, message="Group name must be 200 characters or fewer"),
        ],
    )
    role = SelectField(
        "Role it grants",
        widget=GovSelect(),
        validators=[DataRequired(message="Choose the role the group grants")],
    )
    team_id = SelectField(
        "Team for people with no team yet", widget=GovSelect(), coerce=optional_id
    )
    submit = SubmitField("Add", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice("", "Choose a role")] + [
            SelectChoice(role.value, role.label) for role in Role
        ]
        self.team_id.choices = _named_choices(Team, "No team")
