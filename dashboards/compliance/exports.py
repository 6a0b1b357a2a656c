"""The compliance figures as CSV, XLSX and JSON: the dashboard's exports and the `compliance_report`
command write the same rows from the same `Report`, so the command's CSV is byte-identical to the
dashboard's."""

import csv
import io

from core.downloads import csv_cell, xlsx_workbook

from .figures import STATUSES, Line, Report

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


def report_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: a bold header row, then the same rows as the CSV."""
    return xlsx_workbook(
        sheet_title="Compliance",
        header=COLUMNS,
        rows=[line_values(line) for line in report.lines()],
        title=f"Compliance figures, obligations due {report.date_from} to {report.date_to}",
    )


def _json_line(line: Line, *, with_team: bool = True, with_code: bool = True) -> dict:
    """One line of the report as JSON."""
    f = line.figures
    pct = f.percent_on_time
    out: dict[str, object] = {}
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
    overall = report.overall  # set by compliance_figures, with the rest
    return {
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "rows": [_json_line(line) for block in report.codes for line in block.teams],
        "totals": {
            "by_code": [_json_line(block.total, with_team=False) for block in report.codes],
            "by_team": [_json_line(line, with_code=False) for line in report.teams],
            "overall": _json_line(overall, with_team=False, with_code=False) if overall is not None else None,
        },
    }


def export_filename(report: Report, ext: str) -> str:
    """compliance-YYYY-MM-DD-to-YYYY-MM-DD.<ext>."""
    return f"compliance-{report.date_from:%Y-%m-%d}-to-{report.date_to:%Y-%m-%d}.{ext}"


# The drill-down list (the obligations behind one figure) as a service manager hands it to an inspector:
# the page's columns, one obligation a line, in the page's order.
DRILLDOWN_COLUMNS = [
    "Case number",
    "Child or member of staff",
    "Case manager or supervisor",
    "Team",
    "Obligation",
    "Code",
    "Policy",
    "Due",
    "Status",
    "Met on",
    "Case closed",
]
STATUS_WORDS = {"met": "Met on time", "met_late": "Met late", "overdue": "Overdue", "open": "Not yet due"}


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def drilldown_values(obligation) -> list:
    """One obligation of a drill-down as the export's columns (the child's, or the worker's own)."""
    child, worker = obligation.child, obligation.worker
    if child is not None:
        who, number, manager = child.full_name, child.case_number, _name(child.case_manager) or "Unallocated"
        team, closed = str(child.team), "" if child.is_open else "Yes"
    else:
        who, number, closed = f"{_name(worker)} (member of staff)", "", ""
        manager = _name(worker.line_manager) if worker is not None else ""
        team = str(worker.team) if worker is not None and worker.team else "No team"
    met_on = obligation.met_on if obligation.status in ("met", "met_late") else None
    return [
        number,
        who,
        manager,
        team,
        obligation.title,
        obligation.code,
        obligation.basis,
        obligation.due,
        STATUS_WORDS.get(obligation.status, obligation.status),
        met_on,
        closed,
    ]


def drilldown_csv(obligations) -> str:
    """The drill-down's obligations as CSV text (with a byte-order mark, like the figures)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(DRILLDOWN_COLUMNS)
    for obligation in obligations:
        writer.writerow([csv_cell(v) for v in drilldown_values(obligation)])
    return buffer.getvalue()


def drilldown_xlsx(obligations, *, title: str) -> bytes:
    """The drill-down's obligations as an XLSX workbook (dates as dates, text never a formula)."""
    return xlsx_workbook(
        sheet_title="Obligations",
        header=DRILLDOWN_COLUMNS,
        rows=(drilldown_values(o) for o in obligations),
        title=title,
    )


def drilldown_filename(*, status: str, code: str, date_from, date_to, ext: str) -> str:
    """e.g. compliance-overdue-all-2026-08-01-to-2026-10-31.xlsx (no names: it may be forwarded)."""
    what = status if status in STATUSES else "due"
    safe_code = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in code)[:40]
    return f"compliance-{what}-{safe_code}-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}.{ext}"
