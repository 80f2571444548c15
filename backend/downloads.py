"""Answers that carry files, for the dashboard's downloads and the stats API alike: a
streamed attachment, and a stats table in the format asked for."""

from collections.abc import Iterable
from typing import Any

from flask import Response
from marshmallow import ValidationError

from backend.models import Site
from backend.services.rates import TooManyRows
from backend.stats_files import StatsTable, csv_lines, json_bytes, stats_table, xlsx_chunks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# The most rows one answer holds: the rows are made in memory, so counting stops past it.
# The largest answer took 1.8 s of CPU and 41 MB (XLSX; JSON 0.6 s and 68 MB) on a loaded
# machine; ten years of a busy site's every dimension by day were 263,000 rows, 159 s and
# 500 MB with openpyxl (bench/downloads.py). The command line (`flask export stats`) has no
# bound: it runs on the operator's own time.
MAX_ROWS = 20_000


def file_response(
    body: Iterable[str] | Iterable[bytes], content_type: str, filename: str
) -> Response:
    """A streamed download. The content type is given whole: as a mimetype, werkzeug
    would add a second `; charset=utf-8` to text/csv's."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bounded_table(connection: Any, site: Site, query: dict[str, Any]) -> StatsTable:
    """The table of a checked stats query for the API or the dashboard: 422 beyond
    MAX_ROWS rows, refused as soon as the count passes it."""
    try:
        return stats_table(connection, site, query, MAX_ROWS)
    except TooManyRows:
        raise ValidationError(
            f"The answer would hold more than {MAX_ROWS} rows: ask for a shorter period,"
            " fewer dimensions (by) or weeks or months (interval)."
        ) from None


def stats_response(table: StatsTable, format: str, semicolon: bool) -> Response:
    """The table in the format asked for (JSON, or a streamed CSV or XLSX file)."""
    if format == "csv":
        # Two names, so that both downloads of one period can sit side by side.
        filename = table.filename("csv", "semicolon" if semicolon else "")
        response = file_response(csv_lines(table, semicolon), CSV, filename)
    elif format == "xlsx":
        response = file_response(xlsx_chunks(table), XLSX, table.filename("xlsx"))
    else:
        response = Response(json_bytes(table), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
