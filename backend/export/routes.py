"""GET /api/v1/sites/{site_key}/stats: a site's counts and rates for analysts' scripts."""

from datetime import UTC, datetime

from flask import Response, request
from marshmallow import ValidationError

from backend.errors import error_response
from backend.export import bp
from backend.export.formats import StatsTable, csv_lines, json_bytes, stats_table, xlsx_chunks
from backend.extensions import db
from backend.ratelimit import rate_limited
from backend.schemas.export import StatsQuerySchema
from backend.services import DomainError
from backend.services.tokens import token_site

STATS_QUERY = StatsQuerySchema()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(body, mimetype: str, filename: str) -> Response:
    """A streamed download."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stats_response(table: StatsTable, format: str, semicolon: bool) -> Response:
    """The table in the format asked for (JSON, or a streamed CSV or XLSX file)."""
    if format == "csv":
        response = file_response(
            csv_lines(table, semicolon), "text/csv; charset=utf-8", table.filename("csv")
        )
    elif format == "xlsx":
        response = file_response(xlsx_chunks(table), XLSX, table.filename("xlsx"))
    else:
        response = Response(json_bytes(table), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def parse_stats_query(arguments: dict[str, str]) -> dict:
    """The query string's arguments, checked; ValidationError with every field's problem."""
    return STATS_QUERY.load(arguments)


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
        query = parse_stats_query(request.args.to_dict())
    except ValidationError as error:
        message = "The query string is not valid."
        return error_response(400, "invalid_query", message, error.messages)
    table = stats_table(db.session, site, query)
    return stats_response(table, query["format"], query["sep"] == "semicolon")
