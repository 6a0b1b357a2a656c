"""The XLSX writer behind every export (core/downloads.py, XlsxWriter): read back with openpyxl what was written."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.downloads import xlsx_workbook


def test_values_styles_and_layout_read_back():
    """Text (escaped, formula-safe), numbers, blanks and dates come back as written; the header is bold
    and frozen, the sheet and workbook named, the columns as wide as their content."""
    content = xlsx_workbook(
        sheet_title="Compliance",
        header=["Code", "Title", "Due", "Count", "Per cent", "When"],
        rows=[
            ["a.b", 'Fish & <chips> "quoted"', 3, 0, Decimal("66.7"), datetime.date(2026, 3, 31)],
            ["=SUM(A1)", "  padded  ", None, 12, None, datetime.datetime(2026, 3, 1, 12, 30)],
        ],
        title="Compliance figures",
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book["Compliance"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Code", "Title", "Due", "Count", "Per cent", "When")
    assert rows[1] == ("a.b", 'Fish & <chips> "quoted"', 3, 0, 66.7, datetime.datetime(2026, 3, 31))
    assert rows[2] == ("'=SUM(A1)", "  padded  ", None, 12, None, datetime.datetime(2026, 3, 1, 12, 30))
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet["F2"].number_format == "DD/MM/YYYY"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"
    assert book.properties.title == "Compliance figures"
    # Set in characters; XlsxWriter stores Excel's width, which adds the cell padding (under a character).
    wanted = len('Fish & <chips> "quoted"') + 2
    assert wanted <= sheet.column_dimensions["B"].width < wanted + 1


def test_many_columns_are_lettered_past_z():
    content = xlsx_workbook(sheet_title="Wide", header=[f"h{i}" for i in range(30)], rows=[list(range(30))])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["AD2"].value == 29 and sheet["AD1"].value == "h29"
