"""Who may see and change which site, decided once per request for every view of a site.

The blueprint loads the site named by the URL's ``site_key`` and the signed-in person's
membership of it into ``g.site`` and ``g.membership`` (load_site), before any view runs; each
view declares the least role it needs (least_role); templates get ``site`` and
``membership`` from the blueprint's context processor."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, g, request
from flask_login import current_user

from backend.extensions import db
from backend.models import Membership, Role, Site

LEAST_ROLE = "least_role"  # the view function's attribute least_role() sets


def least_role(role: Role, **by_method: Role) -> Callable:
    """Declare the least role that may use a view of one site (403 below it); a method that
    needs more says so by name: ``@least_role(Role.VIEWER, POST=Role.EDITOR)``."""

    def declare(view: Callable) -> Callable:
        setattr(view, LEAST_ROLE, {"": role, **by_method})
        return view

    return declare


def load_site(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """g.site and g.membership from the URL's site_key (taken out of the view's arguments).

    404 for a site the user is not a member of (whether it exists is not theirs to learn),
    403 for a member whose role is below the view's least role. People not signed in are
    left to the sign-in check, which sends them to the sign-in page."""
    if not values or "site_key" not in values:
        return
    site_key = values.pop("site_key")
    if not current_user.is_authenticated:
        return
    membership = db.session.scalar(
        sa.select(Membership)
        .join(Membership.site)
        .where(Site.public_key == site_key, Membership.user_id == current_user.id)
    )
    if membership is None:
        abort(404)
    if not membership.role.allows(needed(endpoint, request.method)):
        abort(403)
    g.site, g.membership = membership.site, membership


def needed(endpoint: str, method: str) -> Role:
    """The least role a site's view declared for a method (every such view declares one)."""
    roles = getattr(current_app.view_functions[endpoint], LEAST_ROLE)
    return roles.get(method, roles[""])
