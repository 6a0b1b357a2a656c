"""The KPI page, its drill-down and exports: the service manager only; the page, CSV and XLSX show every
hand-worked numerator and denominator; every count links to exactly the children behind it; a bad quarter
or link gets a clear message, never a 500; the query count does not grow with children; all audited."""

import csv
import io
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Programme
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory
from kpis.measures import BY_CODE, POINT_LABELS
from tests.test_fuzz import HOSTILE

from .dataset import EXPECTED, QUARTER, build_dataset
from .factories import SnapshotFactory

pytestmark = pytest.mark.django_db
NOW = "2026-11-04 10:00:00+00:00"  # inside Q4: the page's default quarter is 2026Q3, the hand-worked one
URLS = [
    "kpi_page",
    "kpi_drilldown",
    "kpi_export_csv",
    "kpi_export_xlsx",
    "kpi_return",
    "kpi_return_csv",
    "kpi_return_xlsx",
]


@pytest.fixture
def dataset(north, south, case_manager):
    """The hand-worked dataset."""
    return build_dataset(north=north, south=south, recorder=case_manager)


@pytest.fixture(autouse=True)
def _pinned():
    """Every test runs on a day in November 2026."""
    with time_machine.travel(NOW, tick=False):
        yield


class _Cells(HTMLParser):
    """Each row with a data-measure attribute in the KPI tables: its cells' text, visually hidden text left out."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.hidden = {}, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.hidden:
            self.hidden += 1
            return
        if "govuk-visually-hidden" in (attrs.get("class") or ""):
            self.hidden = 1
        elif tag == "tr" and attrs.get("data-measure"):
            self.row = self.rows.setdefault(attrs["data-measure"], {})
        elif tag == "td" and self.row is not None and attrs.get("data-point"):
            self.cell = [attrs["data-point"], []]

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
            return
        if tag == "td" and self.cell is not None:
            self.row.setdefault(self.cell[0], []).append(" ".join("".join(self.cell[1]).split()))
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell[1].append(data)


def _n(value) -> str:
    """A count as the page and CSV write it: hours with one decimal place."""
    return f"{value:.1f}" if isinstance(value, Decimal) else str(value)


def _percent(numerator, denominator) -> str:
    return f"{round(100 * numerator / denominator, 1):.1f}%" if denominator else "–"


def test_outsiders_get_404(client, outsider, case_manager, team_manager):
    """Anyone but the service manager gets a 404 on every page and export."""
    for user in (outsider, case_manager, team_manager):
        client.force_login(user)
        for name in URLS:
            assert client.get(reverse(name)).status_code == 404, (user.username, name)


def test_page_shows_every_hand_worked_figure(client, service_manager, dataset):
    """Each numerator, denominator and percentage for all children, start and end, as worked by hand."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_page"), {"quarter": QUARTER})
    assert response.status_code == 200
    parser = _Cells()
    parser.feed(response.content.decode())
    for (code, point), (numerator, denominator) in EXPECTED.items():
        count, pct = parser.rows[code][point]
        assert count == f"{_n(numerator)} of {_n(denominator)}", (code, point)
        assert pct == _percent(numerator, denominator), (code, point)


def test_the_default_quarter_is_the_last_complete_one(client, service_manager, dataset):
    """With no quarter chosen the page shows July to September 2026 (today is in November)."""
    client.force_login(service_manager)
    body = client.get(reverse("kpi_page")).content.decode()
    assert "July to September 2026" in body and "2026/27 Q2" in body


def test_counts_link_to_exactly_their_children(client, service_manager, dataset):
    """KPI 1's start numerator lists Amara and Dara, its denominator Bilal too; each links to the child."""
    client.force_login(service_manager)
    params = {"quarter": QUARTER, "measure": "1.suitable", "point": "start", "group": "all"}
    body = client.get(reverse("kpi_drilldown"), {**params, "part": "numerator"}).content.decode()
    assert "Kpitest, Amara" in body and "Kpitest, Dara" in body and "Kpitest, Bilal" not in body
    assert reverse("child_detail", args=[dataset["amara"].pk]) in body
    body = client.get(reverse("kpi_drilldown"), {**params, "part": "denominator"}).content.decode()
    assert all(f"Kpitest, {n}" in body for n in ("Amara", "Bilal", "Dara"))
    assert "2 children in suitable accommodation of 3 children whose accommodation is recorded" in body


def test_page_links_each_count_to_its_drilldown(client, service_manager, dataset):
    """The page's links open the drill-down of that very figure."""
    client.force_login(service_manager)
    body = client.get(reverse("kpi_page"), {"quarter": QUARTER}).content.decode()
    assert "measure=9.children&amp;point=quarter&amp;group=all&amp;part=numerator" in body
    assert "measure=7.police.attended" not in body  # the board lists nobody


@pytest.mark.parametrize(
    "params",
    [
        {"quarter": "2026Q5"},
        {"measure": "nonsense"},
        {"measure": "7.police.attended"},
        {"measure": "6.completed", "point": "start"},
        {"part": "everything"},
        {"group": "team:999999"},
        {"group": "x" * 500},
    ],
)
def test_bad_drilldown_links_are_400(client, service_manager, dataset, params):
    """A link that names no figure gets a clear message (400), never a 500."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_drilldown"), {"quarter": QUARTER, **params})
    assert response.status_code == 400
    assert "This KPI figure cannot be shown" in response.content.decode()


def test_bad_quarter_on_the_page_and_exports(client, service_manager):
    """A quarter not in the form YYYYQn: the error summary on the page, plain text on an export."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_page"), {"quarter": "2026-07"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() and "such as 2026Q3" in response.content.decode()
    for name in ("kpi_export_csv", "kpi_export_xlsx", "kpi_return_csv", "kpi_return_xlsx"):
        response = client.get(reverse(name), {"quarter": "Q3"})
        assert response.status_code == 400 and b"such as 2026Q3" in response.content


def _csv_figures(content: bytes) -> dict:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return {
        (r["measure_code"], r["point"]): (r["numerator"], r["denominator"], r["percent"])
        for r in rows
        if r["line_type"] == "All children"
    }


def test_csv_export_has_every_hand_worked_figure(client, service_manager, dataset):
    """The CSV's all-children lines: each numerator, denominator and percentage."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_export_csv"), {"quarter": QUARTER})
    assert response["Content-Disposition"] == 'attachment; filename="kpi-figures-2026Q3.csv"'
    got = _csv_figures(response.content)
    for (code, point), (numerator, denominator) in EXPECTED.items():
        pct = _percent(numerator, denominator).rstrip("%").replace("–", "")
        assert got[(code, POINT_LABELS[point])] == (_n(numerator), _n(denominator), pct), (code, point)


def test_xlsx_export_has_every_hand_worked_figure(client, service_manager, dataset):
    """The XLSX's figures sheet: each numerator and denominator; the measures sheet names every measure."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_export_xlsx"), {"quarter": QUARTER})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["KPI figures"]
    header = [c.value for c in sheet[1]]
    got = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        r = dict(zip(header, row, strict=True))
        if r["line_type"] == "All children":
            got[(r["measure_code"], r["point"])] = (r["numerator"], r["denominator"])
    for (code, point), expected in EXPECTED.items():
        assert got[(code, POINT_LABELS[point])] == tuple(float(v) for v in expected), (code, point)
    assert {row[0] for row in book["Measures"].iter_rows(min_row=2, values_only=True)} == set(BY_CODE)


def test_exports_are_formula_safe(client, service_manager, north, case_manager):
    """A team named like a formula is written as text, never a formula, in CSV and XLSX."""
    north.name = "=HYPERLINK(1)"
    north.save()
    child = ChildFactory(team=north, ethnicity="Other")
    SnapshotFactory(programme=ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date="2026-08-03"))
    client.force_login(service_manager)
    assert b"'=HYPERLINK(1)" in client.get(reverse("kpi_export_csv"), {"quarter": QUARTER}).content
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("kpi_export_xlsx"), {"quarter": QUARTER}).content)
    )
    assert "'=HYPERLINK(1)" in [c.value for row in book["KPI figures"].iter_rows() for c in row]


def test_pages_and_exports_are_audited(client, service_manager, dataset):
    """The page, a drill-down and each export leave an audit entry naming what was seen."""
    client.force_login(service_manager)
    client.get(reverse("kpi_page"), {"quarter": QUARTER})
    client.get(reverse("kpi_drilldown"), {"quarter": QUARTER, "measure": "1.suitable", "point": "start"})
    client.get(reverse("kpi_export_csv"), {"quarter": QUARTER})
    client.get(reverse("kpi_export_xlsx"), {"quarter": QUARTER})
    client.get(reverse("kpi_return_xlsx"), {"quarter": QUARTER})
    descriptions = list(AuditEntry.objects.filter(user=service_manager).values_list("description", flat=True))
    assert any("Viewed KPI page (quarter 2026Q3" in d for d in descriptions)
    assert any("Listed KPI drill-down: 3 shown" in d for d in descriptions)
    assert any("KPI export (CSV)" in d for d in descriptions)
    assert any("KPI export (XLSX)" in d for d in descriptions)
    assert any("KPI return export (XLSX)" in d for d in descriptions)


def _more_children(north, n):
    for i in range(n):
        child = ChildFactory(team=north, ethnicity="Other")
        programme = ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=f"2026-08-{i + 1:02d}")
        SnapshotFactory(programme=programme)


@pytest.mark.parametrize("name", ["kpi_page", "kpi_drilldown", "kpi_return"])
def test_query_count_does_not_grow_with_children(
    client, service_manager, dataset, north, name, django_assert_max_num_queries
):
    """The page, the drill-down and the return: the same queries for 12 more children."""
    client.force_login(service_manager)
    params = {"quarter": QUARTER}
    client.get(reverse(name), params)
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse(name), params).status_code == 200
    _more_children(north, 12)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(reverse(name), params).status_code == 200


def test_hostile_parameters_never_a_500(client, service_manager, dataset):
    """Every parameter the KPI pages read, set to each hostile value (the fuzz test's list), or repeated."""
    client.force_login(service_manager)
    params = ["quarter", "trend", "measure", "point", "group", "part", "page", "format"]
    for name in URLS:
        for value in HOSTILE:
            response = client.get(reverse(name), dict.fromkeys(params, value))
            assert response.status_code in (200, 400), (name, value[:40])
        response = client.get(reverse(name), {p: ["2026Q3", "2026Q2"] for p in params})
        assert response.status_code in (200, 400), name


def test_drilldown_downloads_every_child(client, service_manager, dataset):
    """The children behind a figure as CSV and XLSX (all of them, not a page), audited."""
    client.force_login(service_manager)
    params = {"quarter": QUARTER, "measure": "1.suitable", "point": "start", "part": "denominator"}
    response = client.get(reverse("kpi_drilldown"), {**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Case number", "Child", "Team", "Case manager"]
    assert sorted(r[0] for r in rows[1:]) == ["YJ700001", "YJ700002", "YJ700004"]
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kpi-children-1.suitable-start-denominator-2026Q3.csv"'
    )
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("kpi_drilldown"), {**params, "format": "xlsx"}).content)
    )
    assert book["Children"].max_row == 4
    assert AuditEntry.objects.filter(
        description__startswith="Listed KPI drill-down export (CSV): 3 shown"
    ).exists()
