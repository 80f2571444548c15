"""The site owners' dashboard: sites, their trackers and banners, members and versions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from backend.models import Role

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


# The roles as people read them.
ROLE_NAMES = {Role.OWNER: _l("Owner"), Role.EDITOR: _l("Editor"), Role.VIEWER: _l("Viewer")}


@bp.context_processor
def role_names() -> dict:
    return {"role_names": ROLE_NAMES}


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every dashboard page is for signed-in people only."""


from backend.dashboard import routes  # noqa: E402,F401  (register the views)
