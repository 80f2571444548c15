"""Dashboard pages: the list of one's sites (each site's overview is in stats.py)."""

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from backend.dashboard import bp
from backend.dashboard.site_forms import ConfigFileForm
from backend.extensions import db
from backend.models import Membership, Site


@bp.get("/")
def index():
    """Every site the user is a member of, with their role (an agency sees all its sites)."""
    return sites_page()


def sites_page(
    status: int = 200,
    import_form: ConfigFileForm | None = None,
    import_errors: dict[str, str] | None = None,
):
    """The list of the person's sites, with the form that adds one from a configuration
    file (and the problems of a file just refused)."""
    memberships = db.session.scalars(
        sa.select(Membership)
        .join(Membership.site)
        .options(contains_eager(Membership.site))
        .where(Membership.user_id == current_user.id)
        .order_by(sa.func.lower(Site.name), Site.id)
    ).all()
    return render_template(
        "dashboard/sites.html",
        memberships=memberships,
        import_form=import_form or ConfigFileForm(),
        import_errors=import_errors,
    ), status
