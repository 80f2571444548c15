"""Signing in to the dashboard: accounts, sessions and passwords."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from backend.extensions import db, login_manager
from backend.models import User

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """Flask-Login: where to send people who are not signed in, and how to find a user."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    # A session cookie used from another browser (another IP or user agent) is dropped.
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


from backend.auth import routes  # noqa: E402,F401  (register the views)
