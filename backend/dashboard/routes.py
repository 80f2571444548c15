"""Dashboard pages: the list of one's sites and each site's overview."""

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from backend.dashboard import bp
from backend.dashboard.access import member_site
from backend.extensions import db
from backend.models import Membership, Site
from backend.web import base_url, snippet


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


@bp.get("/sites/<site_key>")
def site_overview(site_key: str):
    """One site at a glance: its install snippet and where to go next."""
    site, membership = member_site(site_key)
    return render_template(
        "dashboard/overview.html",
        site=site,
        membership=membership,
        snippet=snippet(base_url(), site.public_key),
    )
