"""Pages for people that need no sign-in: the landing page and the demo operator page."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from backend.pages import routes  # noqa: E402,F401  (register the views)
