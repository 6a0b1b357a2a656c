"""A one-sheet XLSX workbook written directly as its XML parts (issue 19: the compliance export).

openpyxl builds a Python object per cell and then serialises them: about 20 µs a cell, which made the
compliance dashboard's XLSX 12x a bare page (1,500 lines of 10 cells at 5,000 children). The exports
only ever need one sheet of plain values with a bold, frozen header row, dates shown DD/MM/YYYY and
column widths, so this writes those XML parts straight into the zip. Strings are inline (no shared
strings table) and escaped; cells are text, numbers or dates, never formulas (`core.downloads.xlsx_cell`
neutralises a leading formula character first). openpyxl still reads them back in the tests.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

_EPOCH = datetime.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug built in)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_QUOTE = {'"': "&quot;"}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Styles: 0 plain, 1 bold (the header), 2 a date shown DD/MM/YYYY.
_STYLES = (
    _HEAD + f"<styleSheet {_NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _column(n: int) -> str:
    """The column letters of the n-th column (1: A, 27: AA)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value, style: int = 0) -> str:
    """One cell's XML: empty for None, a number, a date (a serial number, style 2), or inline text."""
    styled = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
    if isinstance(value, datetime.date):
        moment = (
            value
            if isinstance(value, datetime.datetime)
            else datetime.datetime.combine(value, datetime.time())
        )
        serial = (moment.replace(tzinfo=None) - _EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t{space}>{text}</t></is></c>'


def workbook_bytes(
    *,
    sheet_title: str,
    header: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
    title: str = "",
) -> bytes:
    """The workbook: `header` bold and frozen, then `rows` (values already made safe), with the columns'
    `widths` (characters)."""
    letters = [_column(i) for i in range(1, max(len(header), *(len(r) for r in rows), 1) + 1)]
    parts = [
        _HEAD,
        f'<worksheet {_NS} xmlns:r="{_REL_NS}">',
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
        "<cols>",
        *(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)),
        "</cols><sheetData>",
        '<row r="1">',
        *(_cell(f"{letters[i]}1", value, 1) for i, value in enumerate(header)),
        "</row>",
    ]
    for n, row in enumerate(rows, start=2):
        parts.append(f'<row r="{n}">')
        parts.extend(_cell(f"{letters[i]}{n}", value) for i, value in enumerate(row))
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    name = escape(sheet_title[:31], _QUOTE)
    workbook = (
        _HEAD + f'<workbook {_NS} xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    core = (
        _HEAD
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()
