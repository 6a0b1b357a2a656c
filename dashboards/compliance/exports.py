"""The compliance figures as CSV, XLSX and JSON: the dashboard's exports and the `compliance_report`
command write the same rows from the same `Report`, so the command's CSV is byte-identical to the
dashboard's."""

import csv
import io
from decimal import Decimal

from cases.downloads import csv_cell

from .figures import Line, Report

COLUMNS = [
    "code",
    "title",
    "team",
    "due",
    "met_on_time",
    "met_late",
    "overdue",
    "open",
    "percent_on_time",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def line_values(line: Line) -> list:
    """One line as the export's columns; the percentage is a Decimal, or None when nothing was judged."""
    f = line.figures
    return [
        line.code,
        line.title,
        line.team_name,
        f.due,
        f.met,
        f.met_late,
        f.overdue,
        f.open,
        f.percent_on_time,
    ]


def report_csv(report: Report) -> str:
    """The report as CSV text, with a byte-order mark so spreadsheets read "§" and "–" as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for line in report.lines():
        writer.writerow([csv_cell(v) for v in line_values(line)])
    return buffer.getvalue()


def _xlsx_value(value):
    """An XLSX cell: numbers as numbers; text never a formula and without characters openpyxl refuses."""
    if isinstance(value, Decimal):
        return float(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return csv_cell(value)


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: a bold header row, then the same rows as the CSV."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Compliance"
    book.properties.title = f"Compliance figures, obligations due {report.date_from} to {report.date_to}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c) for c in COLUMNS]
    for line in report.lines():
        values = [_xlsx_value(v) for v in line_values(line)]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = max(widths[i], len(str(value if value is not None else "")))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _json_line(line: Line, *, with_team: bool = True, with_code: bool = True) -> dict:
    f = line.figures
    pct = f.percent_on_time
    out = {}
    if with_code:
        out.update(code=line.code, title=line.title, basis=line.basis)
    if with_team:
        out["team"] = line.team_name
    out.update(
        due=f.due,
        met_on_time=f.met,
        met_late=f.met_late,
        overdue=f.overdue,
        open=f.open,
        percent_on_time=float(pct) if pct is not None else None,
    )
    return out


def report_json(report: Report) -> dict:
    """The report as JSON data: the period, a row per code and team, and the totals."""
    return {
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "rows": [_json_line(line) for block in report.codes for line in block.teams],
        "totals": {
            "by_code": [_json_line(block.total, with_team=False) for block in report.codes],
            "by_team": [_json_line(line, with_code=False) for line in report.teams],
            "overall": _json_line(report.overall, with_team=False, with_code=False),
        },
    }


def export_filename(report: Report, ext: str) -> str:
    """compliance-YYYY-MM-DD-to-YYYY-MM-DD.<ext>."""
    return f"compliance-{report.date_from:%Y-%m-%d}-to-{report.date_to:%Y-%m-%d}.{ext}"
