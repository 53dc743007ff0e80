"""The login form."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired


class LoginForm(FlaskForm):
    """Email address and password."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@council.gov.uk"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())
