"""Text that a spreadsheet would run as a formula is written as text in every CSV and XLSX
file: the stats files (API, dashboard, command line) and the owner's events.csv."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from backend.event_files import event_lines
from backend.extensions import db
from backend.services.rates import SUMMED, stat_row
from backend.spreadsheet import inert
from backend.stats_files import StatsTable, csv_lines, xlsx_chunks
from tests.factories import make_service, make_site, record_event

HOSTILE = ["=1+1", "+1", "-2-3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_leading_apostrophe(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["ru", "mobile", "", "a=1", -2, -0.5, 3, None])
def test_other_values_stay_as_they_are(value):
    assert inert(value) == value


def table_with(value: str) -> StatsTable:
    counts = (-1,) + (0,) * (len(SUMMED) - 1)  # a number that starts with "-" stays a number
    row = stat_row(date(2026, 11, 2), {"language": value}, counts)
    return StatsTable("key", date(2026, 11, 2), date(2026, 11, 2), "day", ["language"], [row])


@pytest.mark.parametrize("semicolon", [False, True])
def test_stats_csv_writes_formula_text_as_text(semicolon):
    lines = "".join(csv_lines(table_with("=HYPERLINK(1)"), semicolon)).lstrip("\ufeff")

    rows = list(csv.reader(io.StringIO(lines), delimiter=";" if semicolon else ","))

    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][2] == "-1"


def test_stats_xlsx_writes_formula_text_as_text():
    body = b"".join(xlsx_chunks(table_with("-2-3")))

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active

    cell = sheet.cell(row=2, column=2)
    assert (cell.value, cell.data_type) == ("'-2-3", "s")
    assert sheet.cell(row=2, column=3).value == -1


def test_events_csv_writes_a_service_named_like_a_formula_as_text(app):
    site = make_site()
    make_service(site, "yandex_metrica", slug="-2-3", options={"counter_id": "1"})
    record_event(site, datetime(2026, 11, 2, 12, tzinfo=UTC), services=["-2-3"])
    db.session.commit()
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)

    text = "".join(event_lines(db.engine, site.id, start, end)).lstrip("\ufeff")

    assert list(csv.DictReader(io.StringIO(text)))[0]["services"] == "'-2-3"
