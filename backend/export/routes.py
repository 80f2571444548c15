"""GET /api/v1/sites/{site_key}/stats: a site's counts and rates for analysts' scripts."""

from datetime import UTC, datetime

from flask import request

from backend.downloads import bounded_table, stats_response
from backend.export import bp
from backend.extensions import db
from backend.ratelimit import rate_limited
from backend.schemas.export import StatsQuerySchema
from backend.services.tokens import token_site

STATS_QUERY = StatsQuerySchema()


@bp.get("/sites/<site_key>/stats")
@rate_limited("RATELIMIT_STATS")
def site_stats(site_key: str):
    """Counts and rates of one site per period and dimensions, for the holder of its token.
    A bad token or query raises, and backend/errors.py answers (401, 403, 404, 422)."""
    authorization = request.authorization
    secret = authorization.token if authorization and authorization.type == "bearer" else None
    site = token_site(db.session, site_key, secret, datetime.now(UTC).date())
    db.session.commit()  # the token's day of use
    query = STATS_QUERY.load(request.args.to_dict())
    table = bounded_table(db.session, site, query)
    return stats_response(table, query["format"], query["sep"] == "semicolon")
