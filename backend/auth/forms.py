"""Forms for signing in and managing one's own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class SignInForm(FlaskForm):
    # Not checked as an address: whatever was typed is looked up, and a typo is a wrong
    # sign-in like any other (the demo's kelisim.local would fail such a check).
    email = EmailField(_l("E-mail"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
