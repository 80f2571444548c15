"""The site owners' dashboard: sites, their trackers and banners, members and versions."""

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError

from backend.dashboard.forms import STALE_MESSAGE
from backend.extensions import db
from backend.labels import ROLE_NAMES
from backend.models import Role

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


# The tabs of a site's pages: endpoint, label, least role that sees the tab. An area's tab
# shows once its views exist.
SITE_TABS = (
    ("dashboard.site_overview", _l("Overview"), Role.VIEWER),
    ("dashboard.site_settings", _l("Settings"), Role.VIEWER),
    ("dashboard.trackers", _l("Trackers"), Role.VIEWER),
    ("dashboard.banner", _l("Banner"), Role.VIEWER),
    ("dashboard.versions", _l("Versions"), Role.VIEWER),
    ("dashboard.install", _l("Install"), Role.VIEWER),
    ("dashboard.members", _l("Members"), Role.VIEWER),
    ("dashboard.receipts", _l("Receipts"), Role.OWNER),
    ("dashboard.audit", _l("Audit log"), Role.OWNER),
    ("dashboard.tokens", _l("API tokens"), Role.OWNER),
)


@bp.context_processor
def dashboard_globals() -> dict:
    """Role names, and the site tabs whose views exist, for every dashboard template."""
    tabs = [tab for tab in SITE_TABS if tab[0] in current_app.view_functions]
    return {"role_names": ROLE_NAMES, "site_tabs": tabs}


@bp.errorhandler(StaleDataError)
def saved_over_a_newer_change(error: StaleDataError):
    """Two saves of one site raced past the form's revision check: the later one is refused."""
    db.session.rollback()
    return render_template("dashboard/stale.html", message=STALE_MESSAGE), 409


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every dashboard page is for signed-in people only."""


# Register the views.
from backend.dashboard import (  # noqa: E402,F401
    audit,
    banner,
    install,
    members,
    receipts,
    routes,
    sites,
    stats,
    tokens,
    trackers,
    versions,
)
from backend.dashboard.members import invitations_bp  # noqa: E402,F401
