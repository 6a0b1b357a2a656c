"""The KPI figures and the quarterly return as CSV, XLSX and JSON.

The page's exports and the `kpi_report` command write the same rows from the same `Report`, with the
words of the measures table (measures.py), so the command's CSV is byte-identical to the page's. Every
cell is made formula-safe (core.downloads: a leading "=", "+", "-" or "@" never becomes a formula).
"""

import csv
import io

import xlsxwriter

from core.downloads import csv_cell, xlsx_cell

from .measures import KPI_BY_NUMBER, MEASURES, POINT_LABELS
from .selectors.figures import Report
from .selectors.returns import RETURN_COLUMNS, Problem

FIGURE_COLUMNS = [
    "quarter",
    "yjb_quarter",
    "kpi",
    "kpi_title",
    "measure_code",
    "measure",
    "point",
    "line_type",
    "line",
    "numerator",
    "denominator",
    "percent",
    "unit",
    "numerator_is",
    "denominator_is",
]
MEASURE_COLUMNS = [
    "measure_code",
    "kpi",
    "kpi_title",
    "measure",
    "numerator_is",
    "denominator_is",
    "unit",
    "source",
]
QUALITY_COLUMNS = ["case_number", "child", "problem", "detail", "where_to_fix"]
LINE_TYPES = {"all": "All children", "team": "Team", "type": "Programme type"}


def figure_rows(report: Report) -> list[list]:
    """Every figure of the report as FIGURE_COLUMNS."""
    rows = []
    for measure, point, group, figure in report.lines():
        rows.append(
            [
                report.quarter.token,
                report.quarter.yjb_label,
                measure.kpi,
                KPI_BY_NUMBER[measure.kpi].title,
                measure.code,
                measure.title,
                POINT_LABELS[point],
                LINE_TYPES[group.dimension],
                group.name,
                figure.numerator,
                figure.denominator,
                figure.percent,
                measure.unit,
                measure.numerator,
                measure.denominator,
            ]
        )
    return rows


def measure_rows() -> list[list]:
    """The measures table (MEASURE_COLUMNS): what each figure counts, and from where."""
    return [
        [m.code, m.kpi, KPI_BY_NUMBER[m.kpi].title, m.title, m.numerator, m.denominator, m.unit, m.source]
        for m in MEASURES
    ]


def quality_rows(problems: list[Problem], *, base_url: str = "") -> list[list]:
    """The data-quality list as QUALITY_COLUMNS (the link made absolute with `base_url`)."""
    return [[p.case_number, p.child_name, p.title, p.detail, f"{base_url}{p.link}"] for p in problems]


def to_csv(header: list[str], rows) -> str:
    """CSV text with a byte-order mark (spreadsheets then read "–" as UTF-8), every cell formula-safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def figures_csv(report: Report) -> str:
    """The quarter's figures as CSV (the page's export and `kpi_report --format csv`)."""
    return to_csv(FIGURE_COLUMNS, figure_rows(report))


def workbook(sheets: list[tuple[str, list[str], list[list]]], *, title: str) -> bytes:
    """An XLSX workbook of several sheets, each a bold frozen header row then its rows: text never a
    formula or a link, dates shown DD/MM/YYYY, numbers as numbers (XlsxWriter, as dashboards/ does)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": title})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    for sheet_title, header, rows in sheets:
        sheet = book.add_worksheet(sheet_title[:31])
        widths = [len(h) for h in header]
        for col, heading in enumerate(header):
            sheet.write_string(0, col, heading, bold)
        for number, row in enumerate(rows, start=1):
            for col, raw in enumerate(row):
                value = xlsx_cell(raw)
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, col, value)
                    widths[col] = max(widths[col], len(value))
                elif isinstance(value, bool):
                    sheet.write_boolean(number, col, value)
                elif hasattr(value, "isoformat"):
                    sheet.write_datetime(number, col, value, day)
                    widths[col] = max(widths[col], 11)
                else:
                    sheet.write_number(number, col, value)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width + 2, 60))
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def figures_xlsx(report: Report) -> bytes:
    """The quarter's figures, and the measures table, as an XLSX workbook."""
    return workbook(
        [
            ("KPI figures", FIGURE_COLUMNS, figure_rows(report)),
            ("Measures", MEASURE_COLUMNS, measure_rows()),
        ],
        title=f"YJB key performance indicators, {report.quarter.label} ({report.quarter.yjb_label})",
    )


def _number(value):
    """A JSON number: hours are decimals, counts whole numbers."""
    return value if isinstance(value, int) else float(value)


def figures_json(report: Report) -> dict:
    """The quarter's figures as JSON data: each KPI, its measures (with their words), each measure's
    lines with numerator, denominator, percentage and the children (ids) behind each."""
    kpis = []
    for number, kpi in KPI_BY_NUMBER.items():
        measures = []
        for measure in (m for m in MEASURES if m.kpi == number):
            lines = []
            for point in measure.points:
                for group in report.group_keys_for(measure):
                    figure = report.figure(measure.code, point, group.key)
                    pct = figure.percent
                    lines.append(
                        {
                            "point": point,
                            "line_type": group.dimension,
                            "line": group.name,
                            "numerator": _number(figure.numerator),
                            "denominator": _number(figure.denominator),
                            "percent": float(pct) if pct is not None else None,
                            "numerator_children": sorted(figure.numerator_children),
                            "denominator_children": sorted(figure.denominator_children),
                        }
                    )
            measures.append(
                {
                    "code": measure.code,
                    "title": measure.title,
                    "numerator_is": measure.numerator,
                    "denominator_is": measure.denominator,
                    "unit": measure.unit,
                    "source": measure.source,
                    "figures": lines,
                }
            )
        kpis.append({"kpi": number, "title": kpi.title, "summary": kpi.summary, "measures": measures})
    return {
        "quarter": report.quarter.token,
        "yjb_quarter": report.quarter.yjb_label,
        "from": report.quarter.start.isoformat(),
        "to": report.quarter.end.isoformat(),
        "kpis": kpis,
    }


def return_csv(rows: list[list]) -> str:
    """The return's rows (one per child per intervention) as CSV."""
    return to_csv(RETURN_COLUMNS, rows)


def return_xlsx(report: Report, *, rows: list[list], problems: list[Problem], base_url: str = "") -> bytes:
    """The quarterly return: its rows, the summary (the KPI figures) and the data-quality list."""
    return workbook(
        [
            ("Return", RETURN_COLUMNS, rows),
            ("Summary", FIGURE_COLUMNS, figure_rows(report)),
            ("Data quality", QUALITY_COLUMNS, quality_rows(problems, base_url=base_url)),
        ],
        title=f"YJB quarterly return, {report.quarter.label} ({report.quarter.yjb_label})",
    )


DRILLDOWN_COLUMNS = ["Case number", "Child", "Team", "Case manager"]


def drilldown_rows(children) -> list[list]:
    """The children behind a figure as DRILLDOWN_COLUMNS (the page's columns)."""
    return [
        [
            c.case_number,
            c.full_name,
            str(c.team),
            (c.case_manager.get_full_name() or c.case_manager.get_username())
            if c.case_manager
            else "Unallocated",
        ]
        for c in children
    ]


def filename(report: Report, what: str, ext: str) -> str:
    """e.g. kpi-figures-2026Q3.csv (no names: it may be forwarded)."""
    return f"kpi-{what}-{report.quarter.token}.{ext}"
