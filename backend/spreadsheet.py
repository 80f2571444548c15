"""Cells of the files people open in a spreadsheet (CSV and XLSX): text that a spreadsheet
would run as a formula is kept as text. Every CSV and XLSX writer passes its text through
`inert` (stats_files.py, event_files.py)."""

from typing import Any

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, "CSV
# Injection"): = + - @, and a tab or carriage return before one of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text that starts like a formula, with a leading ' (which spreadsheets show as
    text, OWASP's advice); any other value as it is (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
