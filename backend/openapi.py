"""The OpenAPI 3 document of Kelisim's HTTP API: the public API that widgets and apps on a
site's pages talk to, and the stats API that analysts' scripts read with a token. Assembled
here, below the faces that serve them (public/, export/), from the same marshmallow schemas
and rate definitions that check and compute the answers."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_babel import force_locale

from backend.models import DIMENSIONS, INTERVALS, SITE_KEY_PATTERN
from backend.schemas import public
from backend.schemas.export import FORMATS, MAX_DAILY_DAYS, MAX_DAYS, SEPARATORS
from backend.services.rates import COUNTS, RATES

DESCRIPTION = """\
What the consent widget and apps on a site's pages talk to (events, config, receipts), and
what analysts' scripts read with a site's token (stats).

Every error is JSON: `{"error": {"code", "message", "fields"}}`. A body that does not parse
as JSON is 400 `malformed_json`; input that parses but is not valid (a wrong type, an
unknown field, a date range backwards, in a body or a query string) is 422 `invalid_input`
with each field's problems in `fields`, as flask-smorest answers: 400 tells a client to fix
how it sends, 422 what it sends."""
ERROR = {"application/json": {"schema": "Error"}}
SITE_KEY = {
    "name": "site_key",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": SITE_KEY_PATTERN},
}

ORIGIN = {"name": "Origin", "in": "header", "required": True, "schema": {"type": "string"}}


def _errors(*statuses: int) -> dict:
    descriptions = {
        400: "The body is not JSON",
        401: "No valid token",
        403: "Origin not allowed, or a token of another site",
        404: "Unknown site or nothing recorded",
        413: "Body too large",
        415: "Unsupported content type",
        422: "Invalid input: `fields` says which and why",
        429: "Too many requests",
    }
    return {str(s): {"description": descriptions[s], "content": ERROR} for s in statuses}


def build_spec() -> APISpec:
    """The whole document: the public API's paths, then the stats API's."""
    spec = APISpec(
        title="Kelisim API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
    )
    names = ("Event", "EventBatch", "Accepted", "ReceiptRequest", "Receipt", "SiteConfig", "Error")
    for name in names:
        spec.components.schema(name, schema=getattr(public, f"{name}Schema"))

    event_body = {
        "schema": {
            "oneOf": [
                {"$ref": "#/components/schemas/Event"},
                {"$ref": "#/components/schemas/EventBatch"},
            ]
        }
    }
    spec.path(
        path="/api/v1/events",
        operations={
            "post": {
                "summary": "Record one consent event or a batch",
                "description": "The Origin must be one of the site's domains. text/plain is "
                "accepted so that navigator.sendBeacon needs no CORS preflight.",
                "parameters": [ORIGIN],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": event_body, "text/plain": event_body},
                },
                "responses": {
                    "202": {
                        "description": "Stored",
                        "content": {"application/json": {"schema": "Accepted"}},
                    },
                    **_errors(400, 403, 404, 413, 415, 422, 429),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/sites/{site_key}/config",
        operations={
            "get": {
                "summary": "The public config of a site",
                "parameters": [SITE_KEY],
                "responses": {
                    "200": {
                        "description": "The config",
                        "content": {"application/json": {"schema": "SiteConfig"}},
                    },
                    "304": {"description": "Not modified (If-None-Match)"},
                    **_errors(404),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/sites/{site_key}/receipts",
        operations={
            "post": {
                "summary": "A visitor's consent history, found by their consent ID",
                "description": "Asked from the site's own pages (the Origin must be one of "
                "its domains); the consent ID travels in the body, never in the URL.",
                "parameters": [SITE_KEY, ORIGIN],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": "ReceiptRequest"},
                        "text/plain": {"schema": "ReceiptRequest"},
                    },
                },
                "responses": {
                    "200": {
                        "description": "The receipt",
                        "content": {"application/json": {"schema": "Receipt"}},
                    },
                    **_errors(400, 403, 404, 413, 415, 422, 429),
                },
            }
        },
    )
    add_stats_path(spec, SITE_KEY, _errors(401, 403, 404, 422, 429))
    return spec


# The stats API (served by backend/export/routes.py).
NULLABLE_FRACTION = {"type": "number", "minimum": 0, "maximum": 1, "nullable": True}
DIMENSION_TYPES = {"policy_version": "integer", "banner_version": "integer"}


def _parameter(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def add_stats_path(spec: APISpec, site_key: dict, errors: dict) -> None:
    """Document GET /api/v1/sites/{site_key}/stats and its row schema."""
    with force_locale("en"):
        formulas = "\n".join(f"- `{rate.name}` = {rate.formula}" for rate in RATES)
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    spec.components.schema(
        "StatsRow",
        {
            "type": "object",
            "description": "One period (and combination of dimension values). Dimensions "
            "appear only when asked for with `by`.",
            "properties": {
                "period": {"type": "string", "format": "date"},
                **{name: {"type": DIMENSION_TYPES.get(name, "string")} for name in DIMENSIONS},
                **{name: {"type": "integer", "minimum": 0} for name in COUNTS},
                **{rate.name: NULLABLE_FRACTION for rate in RATES},
            },
            "required": ["period", *COUNTS, *(rate.name for rate in RATES)],
        },
    )
    spec.components.schema(
        "Stats",
        {
            "type": "object",
            "properties": {
                "site": {"type": "string"},
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "interval": {"type": "string", "enum": list(INTERVALS)},
                "by": {"type": "array", "items": {"type": "string", "enum": list(DIMENSIONS)}},
                "rows": {"type": "array", "items": {"$ref": "#/components/schemas/StatsRow"}},
            },
            "required": ["site", "from", "to", "interval", "by", "rows"],
        },
    )
    spec.path(
        path="/api/v1/sites/{site_key}/stats",
        operations={
            "get": {
                "summary": "A site's consent counts and rates, per period and dimensions",
                "description": "Read with a token of the site (made in the dashboard, or "
                "`flask --app wsgi token create`). Days are the site's local days. Without "
                "`by`, every period of the range is a row, empty ones too; with `by`, each "
                "combination that counted anything. Rates are fractions from 0 to 1, null "
                "where their denominator is 0; decisions = accept_all + reject_all + custom. "
                "Dimension values 0 and `unknown` hold what was counted before Kelisim kept "
                "that dimension, from events purged since.\n\n" + formulas,
                "security": [{"token": []}],
                "parameters": [
                    site_key,
                    _parameter("from", "First day", {"type": "string", "format": "date"}, True),
                    _parameter(
                        "to",
                        f"Last day, inclusive: at most {MAX_DAYS} days after from, by day"
                        f" at most {MAX_DAILY_DAYS - 1} (a period of {MAX_DAILY_DAYS} days)",
                        {"type": "string", "format": "date"},
                        True,
                    ),
                    _parameter(
                        "interval",
                        "Weeks run Monday to Sunday; the first period starts at from.",
                        {"type": "string", "enum": list(INTERVALS), "default": "day"},
                    ),
                    _parameter(
                        "by",
                        "Comma-separated dimensions: " + ", ".join(DIMENSIONS),
                        {"type": "string"},
                    ),
                    _parameter(
                        "format", "", {"type": "string", "enum": list(FORMATS), "default": "json"}
                    ),
                    _parameter(
                        "sep",
                        "CSV only: `semicolon` separates fields with `;` and writes decimals "
                        "with `,`, as Excel in a Russian or Kazakh locale reads them.",
                        {"type": "string", "enum": list(SEPARATORS), "default": "comma"},
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "The stats",
                        "content": {
                            "application/json": {"schema": "Stats"},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "format": "binary"}
                            },
                        },
                    },
                    **errors,
                },
            }
        },
    )
