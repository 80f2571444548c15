"""Forms of a site's members: inviting, changing a role, and joining by an invitation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from backend.dashboard.site_forms import strip
from backend.labels import ROLE_NAMES
from backend.mail_address import MailAddress
from backend.models import Role
from backend.services.passwords import password_problem


def _role_field() -> SelectField:
    return SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, name) for role, name in ROLE_NAMES.items()],
        default=Role.EDITOR.value,
        coerce=Role,
    )


class InviteForm(FlaskForm):
    """Who is invited (optional) and with which role."""

    email = EmailField(
        _l("E-mail (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=254), MailAddress(_l("Give an e-mail address."))],
        description=_l("When given, only the account with this e-mail can use the link."),
    )
    role = _role_field()


class RoleForm(FlaskForm):
    """A member's new role."""

    role = _role_field()


class NewAccountForm(FlaskForm):
    """An account made while accepting an invitation (open sign-up may be off)."""

    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give your e-mail.")),
            Length(max=254),
            MailAddress(_l("Give an e-mail address.")),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password."))])
    password_again = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
    )

    def validate_password(self, field) -> None:
        """The rule of every password (backend/services/passwords.py)."""
        problem = password_problem(field.data, self.email.data or "")
        if problem:
            raise ValidationError(problem)
