"""What the KPI page shows, built from a `Report`: each KPI's table of measures (start and end), its lines
by team and by programme type, every figure linked to the children behind it, and the trend's chart and
table. Plain data for the templates; no queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.html import format_html

from .measures import KPIS, POINT_LABELS, QUARTER, Measure, measures_of, percent_text
from .selectors.figures import ALL, Figure, Report


@dataclass
class Cell:
    """One figure as the page shows it: "3 of 4" and the percentage, each count linked to its children."""

    figure: Figure
    measure: Measure
    point: str
    group_name: str
    num_href: str = ""
    den_href: str = ""

    @property
    def percent(self) -> str:
        return percent_text(self.figure.numerator, self.figure.denominator)

    @property
    def context(self) -> str:
        """Words for screen readers: which figure a link opens."""
        return f"{self.measure.title}, {POINT_LABELS[self.point].lower()}, {self.group_name}"

    @property
    def counts(self) -> str:
        """ "3 of 4", each count a link to the children behind it when there are any, named for screen
        readers by what it counts. Built here, not by a template include per cell: a quarter's page has
        hundreds of cells (an include each was most of the page's time on the demo)."""
        parts = []
        for value, href, words in (
            (self.figure.numerator, self.num_href, self.measure.numerator),
            (self.figure.denominator, self.den_href, self.measure.denominator),
        ):
            if href:
                parts.append(
                    format_html(
                        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {} ({}): show the children</span></a>',
                        href,
                        value,
                        words,
                        self.context,
                    )
                )
            else:
                parts.append(format_html("{}", value))
        return format_html("{} of {}", parts[0], parts[1])


@dataclass
class KpiSection:
    """One KPI on the page."""

    number: int
    title: str
    summary: str
    measures: list[Measure]
    points: list[str]
    rows: list[tuple[Measure, list[Cell | None]]] = field(default_factory=list)
    # Dimension ("team" / "type") -> (columns [(measure, point)], rows [(group name, [cell, ...])]).
    breakdowns: dict[str, tuple[list, list]] = field(default_factory=dict)


def drill_href(url: str, report: Report, measure: Measure, point: str, group: str, part: str) -> str:
    """The drill-down link for one count (none when the measure lists nobody or the count is 0)."""
    figure = report.figure(measure.code, point, group)
    if not measure.drill or not figure.children(part):
        return ""
    query = {
        "quarter": report.quarter.token,
        "measure": measure.code,
        "point": point,
        "group": group,
        "part": part,
    }
    return f"{url}?{urlencode(query)}"


def _cell(url: str, report: Report, measure: Measure, point: str, group) -> Cell:
    return Cell(
        figure=report.figure(measure.code, point, group.key),
        measure=measure,
        point=point,
        group_name=group.name,
        num_href=drill_href(url, report, measure, point, group.key, "numerator"),
        den_href=drill_href(url, report, measure, point, group.key, "denominator"),
    )


def kpi_sections(report: Report, *, drill_url: str) -> list[KpiSection]:
    """Each KPI: its measures for all children at each point, and its lines by team and programme type."""
    sections = []
    all_children = report.groups[ALL]
    for kpi in KPIS:
        measures = measures_of(kpi.number)
        points = [p for p in POINT_LABELS if any(p in m.points for m in measures)]
        section = KpiSection(kpi.number, kpi.title, kpi.summary, measures, points)
        for measure in measures:
            cells = [
                _cell(drill_url, report, measure, p, all_children) if p in measure.points else None
                for p in points
            ]
            section.rows.append((measure, cells))
        if kpi.number != 7:  # the board is the service's: no team or programme type
            columns = [(m, p) for m in measures for p in m.points]
            for dimension in ("team", "type"):
                keys = {g for (code, _, g) in report.figures if code in {m.code for m in measures}}
                groups = [g for g in report.groups_of(dimension) if g.key in keys]
                rows = [(g.name, [_cell(drill_url, report, m, p, g) for m, p in columns]) for g in groups]
                section.breakdowns[dimension] = (columns, rows)
        sections.append(section)
    return sections


# --- The trend: an inline SVG bar chart (a text alternative, and the table beside it) -----------------
CHART_WIDTH, CHART_HEIGHT, AXIS, TOP = 720, 260, 40, 10
BAR_COLOURS = {"start": "#1d70b8", "end": "#0b0c0c", "quarter": "#1d70b8"}


def trend_context(reports: list[Report], measure: Measure) -> dict:
    """The trend of one measure over the reports' quarters: the table's rows, the chart's bars and the
    words that say what the chart shows (its text alternative)."""
    points = list(measure.points)
    rows = [(r.quarter, [r.figure(measure.code, p) for p in points]) for r in reports]
    plot_height = CHART_HEIGHT - AXIS - TOP
    slot = (CHART_WIDTH - AXIS) / len(reports)
    bar = min(28.0, (slot - 12) / len(points))
    bars, labels = [], []
    for i, (quarter, figures) in enumerate(rows):
        x0 = AXIS + i * slot + (slot - bar * len(points)) / 2
        labels.append({"x": round(AXIS + i * slot + slot / 2, 1), "text": quarter.short_label})
        for j, figure in enumerate(figures):
            pct = figure.percent
            height = 0 if pct is None else float(pct) / 100 * plot_height
            bars.append(
                {
                    "x": round(x0 + j * bar, 1),
                    "y": round(TOP + plot_height - height, 1),
                    "width": round(bar - 2, 1),
                    "height": round(height, 1),
                    "colour": BAR_COLOURS[points[j]],
                    "title": f"{quarter.label}, {POINT_LABELS[points[j]].lower()}: {percent_text(figure.numerator, figure.denominator)}",
                }
            )
    gridlines = [
        {"y": round(TOP + plot_height - pct / 100 * plot_height, 1), "label": f"{pct}%"}
        for pct in (0, 25, 50, 75, 100)
    ]
    summary = _trend_summary(rows, measure, points)
    return {
        "trend_measure": measure,
        "trend_points": [(p, POINT_LABELS[p], BAR_COLOURS[p]) for p in points],
        "trend_rows": rows,
        "trend_bars": bars,
        "trend_labels": labels,
        "trend_gridlines": gridlines,
        "trend_summary": summary,
        "chart": {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "axis": AXIS,
            "baseline": CHART_HEIGHT - AXIS,
        },
    }


def _trend_summary(rows, measure: Measure, points: list[str]) -> str:
    """The chart in words: what it plots, the first and last quarter's figures, the highest and lowest."""
    span = f"{rows[0][0].label} to {rows[-1][0].label}"
    main = points.index("end") if "end" in points else 0
    judged = [(q, figures[main].percent) for q, figures in rows if figures[main].percent is not None]
    what = f"Bar chart of KPI {measure.kpi}, {measure.title.lower()} ({measure.numerator} of {measure.denominator}), by quarter, {span}"
    if not judged:
        return f"{what}: no figures yet. The table that follows gives every quarter's counts."
    which = POINT_LABELS[points[main]].lower() if points != [QUARTER] else "in the quarter"
    high = max(judged, key=lambda p: p[1])
    low = min(judged, key=lambda p: p[1])
    return (
        f"{what}. {which.capitalize()}: {judged[0][0].label} {judged[0][1]}%, {judged[-1][0].label} {judged[-1][1]}%; "
        f"highest {high[1]}% in {high[0].label}, lowest {low[1]}% in {low[0].label}. "
        "The table that follows gives every quarter's counts."
    )
