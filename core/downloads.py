"""Responses for children's records and exports: never cached, downloaded as attachments, and
spreadsheet cells that never become formulas (CSV injection)."""

import io
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep a page or file about children or staff out of every cache."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment nobody caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


def csv_cell(value) -> str:
    """A cell as CSV text: blank for none, ISO dates, a leading formula character neutralised."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text[:1] in FORMULA_START else text


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_cell(value):
    """An XLSX cell: numbers as numbers, dates as dates; text never a formula (the same rule as
    `csv_cell`) and without the control characters openpyxl refuses to store."""
    if isinstance(value, Decimal):
        return float(value)
    if not isinstance(value, str):
        return value
    return csv_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


def xlsx_workbook(*, sheet_title: str, header: list[str], rows: Iterable[list], title: str = "") -> bytes:
    """A one-sheet workbook: a bold, frozen header row, then the rows (cells made safe by `xlsx_cell`),
    dates shown DD/MM/YYYY, columns as wide as their content (at most 60).

    Written by XlsxWriter in its constant-memory mode, row by row (issue 19: openpyxl's write-only mode
    was two thirds of the compliance export's time at 5,000 children, 800 lines). Text is always
    written as text, never read as a formula or a link. Column widths are set before the first row, so
    the rows are made safe and measured first."""
    widths = [len(h) for h in header]
    values = []
    for row in rows:
        cells = [xlsx_cell(v) for v in row]
        values.append(cells)
        for i, value in enumerate(cells):
            if i >= len(widths):
                widths.append(0)
            shown = 11 if hasattr(value, "isoformat") else len(str(value if value is not None else ""))
            widths[i] = max(widths[i], shown)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    if title:
        book.set_properties({"title": title})
    sheet = book.add_worksheet(sheet_title[:31])
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    for i, width in enumerate(widths):
        sheet.set_column(i, i, min(width + 2, 60))
    sheet.freeze_panes(1, 0)
    for col, heading in enumerate(header):
        sheet.write_string(0, col, heading, bold)
    for number, cells in enumerate(values, start=1):
        for col, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(number, col, value)
            elif isinstance(value, bool):
                sheet.write_boolean(number, col, value)
            elif hasattr(value, "isoformat"):
                sheet.write_datetime(number, col, value, day)
            else:
                sheet.write_number(number, col, value)
    book.close()
    return buffer.getvalue()
