"""Answers that carry files, for the dashboard's downloads and the stats API alike: a
streamed attachment, and a stats table in the format asked for."""

from collections.abc import Iterable

from flask import Response

from backend.stats_files import StatsTable, csv_lines, json_bytes, xlsx_chunks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def file_response(body: Iterable[str] | Iterable[bytes], mimetype: str, filename: str) -> Response:
    """A streamed download."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
