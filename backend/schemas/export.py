"""Schemas of the analysts' stats API: the query string it accepts."""

from datetime import date, timedelta

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from backend.models import DIMENSIONS, INTERVALS

FORMATS = ("json", "csv", "xlsx")
SEPARATORS = ("comma", "semicolon")
MAX_DAYS = 3700  # ten years and a little: more than any site keeps
# A period by day is at most this long (three years), so that the daily rows a download
# reads stay few (backend/downloads.py bounds the rows it sends; bench/downloads.py has the
# figures). Longer periods are asked for by week or month.
MAX_DAILY_DAYS = 1100
# Days Kelisim can have counted, with room around them for a previous period.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
DAY_RANGE = validate.Range(EARLIEST, LATEST, error="Must be between {min} and {max}.")


class DimensionList(fields.Field):
    """Comma-separated dimension names, each once."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if not isinstance(value, str):
            raise ValidationError("Comma-separated dimension names.")
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in DIMENSIONS]
        if unknown:
            raise ValidationError(
                f"Unknown dimension {', '.join(unknown)}; use any of {', '.join(DIMENSIONS)}."
            )
        if len(set(names)) != len(names):
            raise ValidationError("Name each dimension once.")
        return names


class DateRangeSchema(Schema):
    """?from=&to=: local days of a site, inclusive."""

    class Meta:
        unknown = RAISE

    first = fields.Date(data_key="from", required=True, validate=DAY_RANGE)
    last = fields.Date(data_key="to", required=True, validate=DAY_RANGE)

    @validates_schema
    def _a_range(self, data, **kwargs) -> None:
        if "first" not in data or "last" not in data:
            return
        if data["last"] < data["first"]:
            raise ValidationError("Must not be before from.", "to")
        if data["last"] - data["first"] > timedelta(days=MAX_DAYS):
            raise ValidationError(f"At most {MAX_DAYS} days from from.", "to")


class StatsQuerySchema(DateRangeSchema):
    """GET /api/v1/sites/{site_key}/stats?from=&to=&interval=&by=&format=&sep="""

    interval = fields.String(load_default="day", validate=validate.OneOf(INTERVALS))
    by = DimensionList(load_default=list)
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    sep = fields.String(load_default="comma", validate=validate.OneOf(SEPARATORS))

    @validates_schema
    def _daily_rows_bounded(self, data, **kwargs) -> None:
        if "first" not in data or "last" not in data or data.get("interval") != "day":
            return
        if (data["last"] - data["first"]).days >= MAX_DAILY_DAYS:
            raise ValidationError(
                f"By day, a period is at most {MAX_DAILY_DAYS} days; ask for weeks or months"
                " (interval=week or month) for a longer one.",
                "to",
            )
