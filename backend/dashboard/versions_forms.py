"""Forms of the versions, receipts areas: publishing a policy version, looking up a receipt."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import UUID, DataRequired, Length

from backend.dashboard.forms import SiteChangeForm


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class PolicyVersionForm(SiteChangeForm):
    """A new version of the site's privacy policy."""

    note = TextAreaField(
        _l("What changed in the policy"),
        filters=[_strip],
        validators=[DataRequired(), Length(max=2000)],
    )
    requires_consent = BooleanField(_l("Requires new consent"))


class ReceiptLookupForm(FlaskForm):
    """A visitor's consent ID, sent in a POST so that it never lands in a URL or a log."""

    consent_id = StringField(
        _l("Consent ID"),
        filters=[_strip],
        validators=[
            DataRequired(),
            Length(max=64),
            UUID(message=_l("A consent ID looks like 3f2b8c1e-5d4a-4b6f-9e2d-7a1c0b9e8f21.")),
        ],
    )
