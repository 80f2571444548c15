"""The site owners' dashboard: sites, their trackers and banners, members and versions.

Every view of one site finds the site and the person's membership in ``g`` (access.py), and
its template gets them as ``site`` and ``membership``."""

from flask import Blueprint, g, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError

from backend.dashboard.access import load_site, needed
from backend.dashboard.forms import STALE_MESSAGE
from backend.extensions import db
from backend.labels import ROLE_NAMES

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


# The tabs of a site's pages, in three groups: endpoint and label; a tab shows to the roles
# its view lets in, and a group with no tab left for the person's role is not shown.
SITE_TABS = (
    (
        _l("Site"),
        (
            ("dashboard.site_overview", _l("Overview")),
            ("dashboard.site_settings", _l("Settings")),
            ("dashboard.trackers", _l("Trackers")),
            ("dashboard.banner", _l("Banner")),
            ("dashboard.documents", _l("Documents")),
            ("dashboard.install", _l("Install")),
        ),
    ),
    (
        _l("Records"),
        (
            ("dashboard.versions", _l("Versions")),
            ("dashboard.receipts", _l("Receipts")),
            ("dashboard.audit", _l("Audit log")),
        ),
    ),
    (
        _l("Team"),
        (
            ("dashboard.members", _l("Members")),
            ("dashboard.tokens", _l("API tokens")),
        ),
    ),
)


bp.url_value_preprocessor(load_site)


@bp.context_processor
def dashboard_globals() -> dict:
    """Role names for every dashboard template; on a site's pages, the site, the person's
    membership of it and the tabs their role may open, by group."""
    page = {"role_names": ROLE_NAMES}
    if "membership" in g:
        role = g.membership.role
        groups = [
            (group, [(e, label) for e, label in tabs if role.allows(needed(e, "GET"))])
            for group, tabs in SITE_TABS
        ]
        tabs = [(group, shown) for group, shown in groups if shown]
        page |= {"site": g.site, "membership": g.membership, "site_tabs": tabs}
    return page


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
    documents,
    install,
    members,
    receipts,
    routes,
    site_files,
    sites,
    stats,
    tokens,
    trackers,
    versions,
)
from backend.dashboard.members import invitations_bp  # noqa: E402,F401
