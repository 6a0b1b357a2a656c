"""Responses for children's records and exports: never cached, downloaded as attachments, and
spreadsheet cells that never become formulas (CSV injection)."""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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

    openpyxl's write-only mode streams the rows as it writes them: the ordinary mode's object per cell
    made the compliance export 12x a bare page (issue 19). Write-only needs the column widths before the
    first row, so the rows are made safe and measured first."""
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
    book = Workbook(write_only=True)
    if title:
        book.properties.title = title
    sheet = book.create_sheet(sheet_title)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, h, font=bold) for h in header])
    for cells in values:
        sheet.append(
            [_styled(sheet, v, number_format="DD/MM/YYYY") if hasattr(v, "isoformat") else v for v in cells]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value, *, font: Font | None = None, number_format: str = "") -> Cell:
    """A write-only cell with a font or a number format (a header, a date)."""
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell
