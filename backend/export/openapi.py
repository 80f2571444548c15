"""The stats API's part of the OpenAPI document, with every rate's formula."""

from apispec import APISpec
from flask_babel import force_locale

from backend.models import DIMENSIONS, INTERVALS
from backend.schemas.export import FORMATS, MAX_DAYS, SEPARATORS
from backend.services.rates import COUNTS, RATES

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
                        f"Last day, inclusive (at most {MAX_DAYS} days after from)",
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
