"""Responses for children's records and exports: never cached, downloaded as attachments, and
spreadsheet cells that never become formulas (CSV injection)."""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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
    dates shown DD/MM/YYYY, columns as wide as their content (at most 60)."""
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook opens on its one worksheet
        raise TypeError(f"A new workbook's active sheet is a worksheet, not {type(sheet).__name__}")
    sheet.title = sheet_title
    if title:
        book.properties.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row in rows:
        values = [xlsx_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            is_date = hasattr(value, "isoformat")
            widths[i] = max(widths[i], 11 if is_date else len(str(value if value is not None else "")))
            if is_date:
                sheet.cell(row=sheet.max_row, column=i + 1).number_format = "DD/MM/YYYY"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
