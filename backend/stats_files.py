"""Stats tables as JSON, CSV and XLSX: one table of columns, written three ways, for the
stats API, the dashboard's downloads and the command line.

CSV and XLSX are streamed: a response (or the CLI) writes them as they are made.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from backend import xlsx
from backend.models import Site
from backend.services.rates import COUNTS, RATES, StatRow, stat_rows
from backend.spreadsheet import inert

BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (Cyrillic included)


@dataclass
class StatsTable:
    """The answer to a stats query: which site and range, and its rows."""

    site_key: str
    first: date
    last: date
    interval: str
    by: Sequence[str]
    rows: Sequence[StatRow]

    @property
    def columns(self) -> list[str]:
        return ["period", *self.by, *COUNTS, *(rate.name for rate in RATES)]

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row flat: period, dimension values, counts, rates (None: no denominator)."""
        for row in self.rows:
            yield {"period": row.period, **row.dimensions, **row.counts, **row.rates}

    def filename(self, extension: str, variant: str = "") -> str:
        """kelisim-<site>-<from>-<to>[-<variant>].<extension>"""
        suffix = f"-{variant}" if variant else ""
        return f"kelisim-{self.site_key}-{self.first}-{self.last}{suffix}.{extension}"


def stats_table(
    connection: Any, site: Site, query: dict[str, Any], max_rows: int | None = None
) -> StatsTable:
    """The rows a checked stats query (backend/schemas/export.py) asks for; TooManyRows
    beyond ``max_rows``."""
    first, last, interval, by = query["first"], query["last"], query["interval"], query["by"]
    rows = stat_rows(connection, site.id, first, last, interval, by, max_rows)
    return StatsTable(site.public_key, first, last, interval, by, rows)


def json_bytes(table: StatsTable) -> bytes:
    """The JSON answer: the query, then the rows (dates as YYYY-MM-DD)."""
    # orjson: the standard library's encoder took a third of a three-year answer's time.
    rows = list(table.records())
    return orjson.dumps(
        {
            "site": table.site_key,
            "from": table.first,
            "to": table.last,
            "interval": table.interval,
            "by": list(table.by),
            "rows": rows,
        }
    )


def csv_lines(table: StatsTable, semicolon: bool = False) -> Iterator[str]:
    """CSV with a byte-order mark; with ``semicolon``, `;` between fields and `,` as the
    decimal mark, as Excel in a Russian or Kazakh locale expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")

    def line(values: Sequence[Any]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return inert(value)
        if isinstance(value, float) and semicolon:
            return repr(value).replace(".", ",")
        return value.isoformat() if isinstance(value, date) else value

    columns = table.columns
    yield BOM + line(columns)
    for record in table.records():
        yield line([cell(record[name]) for name in columns])


def xlsx_chunks(table: StatsTable) -> Iterator[bytes]:
    """An XLSX workbook with typed numbers and dates (backend/xlsx.py), written to disk as
    the rows come and read out in chunks."""
    columns = table.columns
    rates = {rate.name for rate in RATES}
    formats = [
        "yyyy-mm-dd" if name == "period" else "0.0%" if name in rates else "General"
        for name in columns
    ]
    rows = ([inert(record[name]) for name in columns] for record in table.records())
    return xlsx.xlsx_chunks("stats", columns, rows, formats)
