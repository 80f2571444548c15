"""The form of the analysts' face: the password of a shared link."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired


class SharedPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired()])
