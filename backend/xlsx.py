"""A one-sheet XLSX workbook written row by row as plain XML into a zip: numbers, dates and
text, each column with its number format, and nothing else.

openpyxl (without lxml, which Kelisim does not install) took about 0.7 ms of CPU per row of
a stats table, 13 s for 20,000 rows on a loaded machine; formatting each cell as a string
takes a small fraction of that (bench/downloads.py). The parts written are the ones the
format requires (ECMA-376): content types, relationships, workbook, styles (with the Normal
style) and the sheet, its text as inline strings. The tests read it back with openpyxl.
"""

import itertools
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

CHUNK = 64 * 1024
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)
# Number formats a column may have; the index is the cell style (`s="…"`) that applies it.
FORMATS = ("General", "yyyy-mm-dd", "0.0%")
# Characters XML 1.0 cannot carry at all (text from the database could hold them).
NOT_IN_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="{len(FORMATS) - 1}">'
    + "".join(
        f'<numFmt numFmtId="{164 + n}" formatCode="{escape(code)}"/>'
        for n, code in enumerate(FORMATS[1:])
    )
    + "</numFmts>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="{len(FORMATS)}">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    + "".join(
        f'<xf numFmtId="{164 + n}" fontId="0" fillId="0" borderId="0" xfId="0"'
        ' applyNumberFormat="1"/>'
        for n in range(len(FORMATS) - 1)
    )
    + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def column_letters(count: int) -> list[str]:
    """A, B, …, Z, AA, AB, …: the names of the first ``count`` columns."""
    names = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        names.append(name)
    return names


def _cell(reference: str, value: Any, style: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{reference}" s="{style}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(str(value).translate(NOT_IN_XML))
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_chunks(
    sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]], formats: Sequence[str]
) -> Iterator[bytes]:
    """The workbook's bytes in chunks: the header row, then ``rows``, column n in number
    format ``formats[n]`` (one of FORMATS). The file is built on disk, not in memory."""
    letters = column_letters(len(header))
    styles = [FORMATS.index(format) for format in formats]
    with tempfile.TemporaryFile() as file:
        with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("_rels/.rels", RELS)
            archive.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(sheet_name)))
            archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            archive.writestr("xl/styles.xml", STYLES)
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(SHEET_START.encode())
                for number, values in enumerate(itertools.chain([header], rows), 1):
                    cells = "".join(
                        _cell(f"{letter}{number}", value, style)
                        for letter, value, style in zip(letters, values, styles, strict=True)
                    )
                    sheet.write(f'<row r="{number}">{cells}</row>'.encode())
                sheet.write(SHEET_END.encode())
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk
