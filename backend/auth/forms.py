"""Forms for signing in and managing one's own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from backend.labels import LANGUAGE_NAMES
from backend.mail_address import MailAddress
from backend.services.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _email_field(*validators) -> EmailField:
    """An e-mail field. Control characters are refused before any lookup (PostgreSQL would
    fail on a NUL byte); other checks are the form's own."""
    no_controls = Regexp(r"\A[^\x00-\x1f\x7f]*\Z", message=_l("Enter an e-mail address."))
    return EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[DataRequired(), Length(max=254), no_controls, *validators],
    )


class SignInForm(FlaskForm):
    # Not checked as an address: whatever was typed is looked up, and a typo is a wrong
    # sign-in like any other (the demo's kelisim.local would fail such a check).
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class NewPasswordForm(FlaskForm):
    """A new password, typed twice, checked against the account's e-mail."""

    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(num)d characters, and not your e-mail address.", num=MIN_PASSWORD_LENGTH
        ),
        validators=[DataRequired()],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
    )

    def __init__(self, *args, account_email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data, self.account_email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    """The account page's password change: the current password proves it is the owner."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class SignUpForm(NewPasswordForm):
    """A new account (only when open sign-up is on)."""

    email = _email_field(MailAddress(_l("Enter an e-mail address.")))

    def validate_password(self, field: PasswordField) -> None:
        self.account_email = self.email.data or ""
        super().validate_password(field)


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link."""

    email = _email_field()


class LanguageForm(FlaskForm):
    """The dashboard's language; `next` is the page to return to."""

    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
    )
    next = HiddenField()
