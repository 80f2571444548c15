"""Dashboard pages: the list of one's sites (each site's overview is in stats.py)."""

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from backend.dashboard import bp
from backend.extensions import db
from backend.models import Membership, Site


@bp.get("/")
def index():
    """Every site the user is a member of, with their role (an agency sees all its sites)."""
    memberships = db.session.scalars(
        sa.select(Membership)
        .join(Membership.site)
        .options(contains_eager(Membership.site))
        .where(Membership.user_id == current_user.id)
        .order_by(sa.func.lower(Site.name), Site.id)
    ).all()
    return render_template("dashboard/sites.html", memberships=memberships)
