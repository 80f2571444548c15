"""Forms of the API tokens tab: read tokens for the stats API and shared links."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from backend.services.tokens import NAME_MAX


class TokenForm(FlaskForm):
    """A new read token for the stats API."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("What the token is for, e.g. “Weekly report to marketing”."),
    )


class RevokeTokenForm(FlaskForm):
    """Revoking a token: nothing but the CSRF token."""


class SharedLinkForm(FlaskForm):
    """A new read-only link to the site's overview."""

    # An id of its own: the token form on the same page has a `name` field too.
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("Who the link is for, e.g. “Board of directors”."),
        id="link-name",
    )
    password = PasswordField(
        _l("Password (optional)"),
        validators=[Optional(), Length(min=8, max=200)],
        description=_l(
            "At least 8 characters. Without one, anyone with the link sees the figures."
        ),
    )
