"""Install and diagnostics: the snippet and how to paste it, and whether events arrive."""

from datetime import UTC, datetime, timedelta

from flask import g, render_template

from backend.dashboard import bp
from backend.dashboard.access import least_role
from backend.dashboard.embed_markup import embed_guide
from backend.extensions import db
from backend.labels import CATEGORY_NAMES
from backend.models import OPTIONAL_CATEGORIES, Role
from backend.service_catalog import CATALOG, EMBED, EMBEDS, PIXEL
from backend.services.diagnostics import (
    IP_ADDRESS,
    found_trackers,
    last_event_at,
    refused_origins,
)
from backend.services.stats import local_day
from backend.web import base_url, snippet

REFUSED_DAYS = 30
FOUND_DAYS = 30
REFUSED_ROWS = 100  # at most this many (day, host) rows on the page


@bp.get("/sites/<site_key>/install")
@least_role(Role.VIEWER)
def install():
    """The install snippet, a short guide (the marked markup of each embed provider too),
    and what the server saw of the site's events."""
    site = g.site
    today = local_day(datetime.now(UTC), site.timezone)
    refused = refused_origins(
        db.session, site.id, today - timedelta(days=REFUSED_DAYS - 1), REFUSED_ROWS + 1
    )
    return render_template(
        "dashboard/install.html",
        snippet=snippet(base_url(), site.public_key),
        category_names=CATEGORY_NAMES,
        optional_categories=OPTIONAL_CATEGORIES,
        last_event=last_event_at(db.session, site.id),
        refused=refused[:REFUSED_ROWS],
        refused_more=len(refused) > REFUSED_ROWS,
        refused_days=REFUSED_DAYS,
        ip_address=IP_ADDRESS,
        found=found_trackers(db.session, site.id, today - timedelta(days=FOUND_DAYS - 1)),
        found_days=FOUND_DAYS,
        embed_guide=embed_guide(site.services, site.domains),
        embed_names=", ".join(str(kind.name) for kind in EMBEDS.values()),
        kinds=CATALOG,
        embed_type=EMBED,
        pixel_type=PIXEL,
        can_edit=g.membership.role.allows(Role.EDITOR),
    )
