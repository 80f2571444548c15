"""The e-mail address check every face's forms share (sign-up, invitations, the operator's
contact address): below the faces, so that none imports another's forms."""

from types import SimpleNamespace

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from flask_babel import lazy_gettext as _l
from wtforms.validators import Email, ValidationError

RESERVED_DOMAINS = tuple(SPECIAL_USE_DOMAIN_NAMES)
RESERVED_DOMAIN_MESSAGE = _l(
    "This domain (such as .test, .local or localhost) is reserved and receives no mail: "
    "give an address at a real domain."
)


class MailAddress(Email):
    """WTForms' e-mail check, which says why it refuses a reserved domain.

    Names such as arman.test, example.local or localhost never receive mail (RFC 6761), so
    a password reset, an invitation or a visitor's request sent there is lost: they are
    refused in development too, with this reason instead of the form's general message
    (python-email-validator refuses them, and WTForms used to hide why)."""

    def __call__(self, form, field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError:
            domain = (field.data or "").rpartition("@")[2].strip().rstrip(".").lower()
            if any(domain == name or domain.endswith(f".{name}") for name in RESERVED_DOMAINS):
                raise ValidationError(RESERVED_DOMAIN_MESSAGE) from None
            raise


def mail_problem(address: str, message: str) -> str | None:
    """What MailAddress(message) says of an address outside a form (a configuration
    file's), or None."""
    try:
        MailAddress(message)(None, SimpleNamespace(data=address, gettext=str))
    except ValidationError as error:
        return error.args[0]
    return None
