"""GET /api/v1/sites/{site_key}/stats: a site's counts and rates for analysts' scripts."""

from datetime import UTC, datetime

from flask import request
from marshmallow import ValidationError

from backend.downloads import stats_response
from backend.errors import error_response
from backend.export import bp
from backend.extensions import db
from backend.ratelimit import rate_limited
from backend.schemas.export import StatsQuerySchema
from backend.services import DomainError
from backend.services.tokens import token_site
from backend.stats_files import stats_table

STATS_QUERY = StatsQuerySchema()


@bp.get("/sites/<site_key>/stats")
@rate_limited("RATELIMIT_STATS")
def site_stats(site_key: str):
    """Counts and rates of one site per period and dimensions, for the holder of its token."""
    authorization = request.authorization
    secret = authorization.token if authorization and authorization.type == "bearer" else None
    try:
        site = token_site(db.session, site_key, secret, datetime.now(UTC).date())
    except DomainError as error:
        response = error_response(error.status, error.code, error.message)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="kelisim"'
        return response
    db.session.commit()  # the token's day of use
    try:
        query = STATS_QUERY.load(request.args.to_dict())
    except ValidationError as error:
        message = "The query string is not valid."
        return error_response(400, "invalid_query", message, error.messages)
    table = stats_table(db.session, site, query)
    return stats_response(table, query["format"], query["sep"] == "semicolon")
