"""Password-reset links: signed, expiring after an hour, and void once used.

A link carries the user's id and a digest of their current password hash, timestamped and
signed with SECRET_KEY (itsdangerous). Setting a password changes the hash, so a link works
once, and any other link the user was sent stops working with it. Chosen over a table of
hashed one-time tokens: nothing to store, look up by token or purge, and no second place
that must be kept in step with the password. The digest, never the hash itself, goes into
the link, so a letter left in a mailbox holds nothing to guess the password from.
"""

import hashlib
import hmac

from flask import current_app, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from backend.extensions import db
from backend.mail import send_mail
from backend.models import User
from backend.web import base_url

SALT = "kelisim.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _password_digest(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def reset_link(user: User) -> str:
    """An absolute link that lets the user set a new password."""
    token = _serializer().dumps({"user": user.id, "password": _password_digest(user)})
    return base_url().rstrip("/") + url_for("auth.reset_password", token=token)


def user_for_token(token: str) -> User:
    """The user a reset link was made for. Raises SignatureExpired when the link is too old
    or was used (the password it would replace is gone), BadSignature when it never was one."""
    data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    user_id = data.get("user") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise BadSignature("The link names no user.")
    if not hmac.compare_digest(_password_digest(user), str(data.get("password"))):
        raise SignatureExpired("The password this link would replace has changed.")
    return user


def send_reset_letter(user: User) -> None:
    """Mail the user a reset link, in their own language (else the one they asked in)."""
    link = reset_link(user)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.locale or str(get_locale())):
        subject = _("Set a new password for Kelisim")
        body = _(
            "Hello,\n\nsomeone, probably you, asked to set a new password for %(email)s in"
            " Kelisim. Open this link to choose it (it works once, for %(minutes)s minutes):\n\n"
            "%(link)s\n\nIf it was not you, ignore this letter: your password stays as it is.",
            email=user.email,
            minutes=minutes,
            link=link,
        )
    send_mail(user.email, subject, body)
