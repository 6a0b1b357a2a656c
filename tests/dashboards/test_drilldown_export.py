"""The obligations behind a compliance figure download as CSV and XLSX (issue 19): every row, not one
page, the page's columns, formula-safe, audited with how many left the system, service manager only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from demo.factories import ChildFactory

from .test_compliance_figures import build_dataset, obligation

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-04-01", "to": "2026-06-30"}


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    return build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_lists_every_obligation_behind_the_figure(client, service_manager, dataset, south):
    """South's AssetPlus due: the same three obligations as the page, in its order, with its columns."""
    client.force_login(service_manager)
    params = {**PERIOD, "code": "assetplus.due", "team": south.pk, "status": "due"}
    page = client.get(reverse("compliance_drilldown"), params)
    assert "Download all 3 as a spreadsheet (XLSX)" in page.content.decode()
    response = client.get(reverse("compliance_drilldown"), {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="compliance-due-assetplus-due-2026-04-01-to-2026-06-30.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = _csv(response)
    assert rows[0][:4] == ["Case number", "Child or member of staff", "Case manager or supervisor", "Team"]
    c, d = dataset["c"], dataset["d"]
    assert [(r[0], r[1], r[7], r[8], r[9]) for r in rows[1:]] == [
        (d.case_number, d.full_name, "2026-04-20", "Met late", "2026-04-28"),
        (d.case_number, d.full_name, "2026-05-02", "Met on time", "2026-05-01"),
        (c.case_number, c.full_name, "2026-06-01", "Overdue", ""),
    ]


def test_the_xlsx_holds_every_row_not_one_page(client, service_manager, north, case_manager):
    """Fifty-five obligations: the page shows fifty, the workbook all fifty-five, dates as dates."""
    child = ChildFactory(team=north, case_manager=case_manager)
    for i in range(55):
        obligation(
            child=child,
            code="contact.fortnightly",
            due=datetime.date(2026, 4, 1) + datetime.timedelta(days=i),
            status="met",
        )
    client.force_login(service_manager)
    response = client.get(reverse("compliance_drilldown"), {**PERIOD, "status": "met", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 55
    assert rows[1][7] == datetime.datetime(2026, 4, 1) and rows[-1][7] == datetime.datetime(2026, 5, 25)
    entry = AuditEntry.objects.filter(description__startswith="Downloaded the compliance drill-down").get()
    assert entry.description.endswith("as XLSX: 55 obligations") and entry.user == service_manager


def test_a_formula_in_a_name_stays_text(client, service_manager, north, case_manager):
    child = ChildFactory(team=north, case_manager=case_manager, first_name="=HYPERLINK(1)")
    obligation(child=child, code="contact.fortnightly", due=datetime.date(2026, 4, 2), status="overdue")
    client.force_login(service_manager)
    rows = _csv(client.get(reverse("compliance_drilldown"), {**PERIOD, "status": "overdue", "format": "csv"}))
    assert rows[1][1].startswith("'=HYPERLINK(1)")


@pytest.mark.parametrize("who", ["case_manager", "team_manager", "administrator"])
def test_only_the_service_manager_downloads(client, request, who, dataset):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("compliance_drilldown"), {**PERIOD, "status": "due", "format": "csv"})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(description__startswith="Downloaded").exists()


def test_a_bad_link_is_a_400_with_a_message_not_a_file(client, service_manager):
    client.force_login(service_manager)
    response = client.get(
        reverse("compliance_drilldown"), {"from": "2026-13-01", "status": "due", "format": "csv"}
    )
    assert (
        response.status_code == 400 and "This compliance figure cannot be shown" in response.content.decode()
    )
