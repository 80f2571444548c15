"""The rule for a dashboard password, one for every form and the command line."""

from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


def password_problem(password: str, email: str) -> str | None:
    """Why a new password will not do, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(num)d characters.", num=MAX_PASSWORD_LENGTH)
    if password.strip().lower() == email.strip().lower():
        return _l("The password must not be your e-mail address.")
    return None
