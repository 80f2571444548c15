"""Signing in to the dashboard: accounts, sessions and passwords."""

import hmac

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from backend import mail
from backend.extensions import db, login_manager
from backend.labels import LANGUAGE_NAMES
from backend.models import User

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """Flask-Login: where to send people who are not signed in, and how to find a user;
    the session cookie's Secure flag; the mail log."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    # A session cookie used from another browser (another IP or user agent) is dropped.
    login_manager.session_protection = "strong"
    if app.config["SESSION_COOKIE_SECURE"] is None:
        # Production is served over HTTPS; a local run over plain http needs the cookie too.
        app.config["SESSION_COOKIE_SECURE"] = app.config["ENVIRONMENT"] == "production"
    mail.init_app(app)
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES  # the language switcher's


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The user of a session, if the session began after their last password change."""
    user_id, _, token = session_user_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not hmac.compare_digest(user.session_token, token):
        return None
    return user


from backend.auth import routes  # noqa: E402,F401  (register the views)
