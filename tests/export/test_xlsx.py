"""The XLSX writer (backend/xlsx.py), read back by openpyxl: typed cells with their number
formats, text as it was given, columns past Z."""

import io
from datetime import date, datetime

import openpyxl

from backend.xlsx import column_letters, xlsx_chunks


def workbook(header, rows, formats):
    body = b"".join(xlsx_chunks("stats", header, rows, formats))
    return openpyxl.load_workbook(io.BytesIO(body))


def test_cells_are_typed_and_formatted_as_their_columns():
    book = workbook(
        ["period", "shown", "share", "language"],
        [[date(2026, 11, 2), 12, 0.25, "ru"], [date(2026, 11, 3), 0, None, "kk"]],
        ["yyyy-mm-dd", "General", "0.0%", "General"],
    )

    sheet = book.active
    assert sheet.title == "stats"
    assert [cell.value for cell in sheet[1]] == ["period", "shown", "share", "language"]
    period, shown, share, language = sheet[2]
    assert (period.value, period.number_format) == (datetime(2026, 11, 2), "yyyy-mm-dd")
    assert (shown.value, share.value, share.number_format) == (12, 0.25, "0.0%")
    assert language.value == "ru" and language.data_type == "s"
    assert [cell.value for cell in sheet[3]] == [datetime(2026, 11, 3), 0, None, "kk"]


def test_text_comes_back_as_given_without_what_xml_cannot_carry():
    texts = ["<b>&amp;</b>", "  spaced  ", "Қазақша «ру»", "tab\there", "bell\x07"]
    sheet = workbook(["text"], [[text] for text in texts], ["General"]).active

    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "<b>&amp;</b>", "  spaced  ", "Қазақша «ру»", "tab\there", "bell",
    ]  # fmt: skip


def test_columns_past_z_are_named_as_spreadsheets_name_them():
    letters = column_letters(28)
    assert letters[:2] == ["A", "B"] and letters[25:] == ["Z", "AA", "AB"]
    sheet = workbook([f"c{n}" for n in range(28)], [list(range(28))], ["General"] * 28).active
    assert sheet["AB2"].value == 27
