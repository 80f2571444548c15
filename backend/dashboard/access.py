"""Who may see and change which site: every dashboard view of a site goes through here."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from backend.extensions import db
from backend.models import Membership, Role, Site


def member_site(site_key: str, needed: Role = Role.VIEWER) -> tuple[Site, Membership]:
    """The site and the signed-in user's membership of it.

    404 for a site the user is not a member of (whether it exists is not theirs to learn),
    403 for a member whose role is below ``needed``."""
    membership = db.session.scalar(
        sa.select(Membership)
        .join(Membership.site)
        .where(Site.public_key == site_key, Membership.user_id == current_user.id)
    )
    if membership is None:
        abort(404)
    if not membership.role.allows(needed):
        abort(403)
    return membership.site, membership
