"""The quarterly return: one row per child per intervention with the start and end values, its summary, and
the data-quality list, which catches each kind of missing field and links to where it is fixed."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from cases.models import Programme
from demo.factories import ChildFactory, ProgrammeFactory
from kpis.selectors.quarters import Quarter
from kpis.selectors.returns import PROBLEMS, RETURN_COLUMNS, data_quality, return_rows

from .dataset import QUARTER, build_dataset
from .factories import OffenceFactory, SnapshotFactory, VictimFactory

pytestmark = pytest.mark.django_db
Q3 = Quarter.parse(QUARTER)
D = datetime.date


@pytest.fixture
def dataset(north, south, case_manager):
    """The hand-worked dataset."""
    return build_dataset(north=north, south=south, recorder=case_manager)


def _rows_by(rows):
    """(case number, intervention type) -> the row as a dict."""
    return {(r[0], r[5]): dict(zip(RETURN_COLUMNS, r, strict=True)) for r in rows}


def test_one_row_per_child_per_intervention(dataset):
    """The interventions that started or ended in Q3, not Cyrus's (1 October) nor his PSR."""
    rows = _rows_by(return_rows(quarter=Q3))
    assert sorted(rows) == sorted(
        [
            ("YJ700001", "Youth Rehabilitation Order"),
            ("YJ700002", "Referral Order"),
            ("YJ700004", "DTO / section 91 custody"),
            ("YJ700004", "DTO / section 91 licence"),
            ("YJ700005", "Out of court: with intervention"),
            ("YJ700006", "Youth Conditional Caution"),
            ("YJ700007", "Out of court: with intervention"),
            ("YJ700008", "Specific intervention"),
        ]
    )


def test_start_and_end_values_come_from_the_snapshots(dataset):
    """Dara's custody: the start values from January's snapshot, the end values from August's."""
    row = _rows_by(return_rows(quarter=Q3))[("YJ700004", "DTO / section 91 custody")]
    assert (row["start_date"], row["end_date"], row["team"]) == (
        D(2026, 1, 5),
        D(2026, 8, 15),
        "South locality team",
    )
    assert row["start_ete_provision"] == "mainstream_school"
    assert (row["end_ete_provision"], row["end_ete_hours_offered"], row["end_school_age"]) == (
        "college",
        15.0,
        False,
    )
    assert (row["end_substance_misuse_need"], row["end_substance_misuse_attending"]) == (True, True)
    assert (row["end_looked_after"], row["end_early_help"]) == (True, False)
    amara = _rows_by(return_rows(quarter=Q3))[("YJ700001", "Youth Rehabilitation Order")]
    assert amara["end_accommodation_type"] is None  # still open: no end snapshot yet
    assert (amara["start_send_plan"], amara["start_send_plan_current"]) == ("ehcp", True)
    assert amara["ethnicity"] == "White British"


def test_the_data_quality_list_catches_each_kind(dataset):
    """Every kind of gap, each on the child it belongs to, linking to where it is fixed."""
    problems = data_quality(quarter=Q3)
    found = {(p.case_number, p.kind) for p in problems}
    assert found == {
        ("YJ700004", "snapshot_missing"),  # the licence's start: ETE not recorded
        ("YJ700004", "offence_no_gravity"),
        ("YJ700004", "victim_no_consent"),
        ("YJ700005", "snapshot_missing"),  # Esme's end: SEND not recorded
        ("YJ700005", "no_ethnicity"),
        ("YJ700006", "no_end_snapshot"),
        ("YJ700007", "no_closure_reason"),
        ("YJ700008", "no_start_snapshot"),
    }
    assert {kind for _, kind in found} == set(PROBLEMS)
    by_kind = {p.kind: p for p in problems}
    assert by_kind["no_ethnicity"].link == reverse("child_details", args=[dataset["esme"].pk])
    assert by_kind["no_closure_reason"].link == reverse("child_programmes", args=[dataset["gwen"].pk])
    assert by_kind["no_start_snapshot"].link == reverse("child_programmes", args=[dataset["idris"].pk])
    assert (
        "SEND not recorded on 31/07/2026"
        in [p for p in problems if p.case_number == "YJ700005" and p.kind == "snapshot_missing"][0].detail
    )


def test_a_complete_quarter_has_no_gaps(north, case_manager):
    """Everything recorded: nothing on the list (and last quarter's gaps are not this quarter's)."""
    child = ChildFactory(team=north, ethnicity="Asian British")
    SnapshotFactory(
        programme=ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2026, 8, 3))
    )
    OffenceFactory(child=child, gravity=4, recorded_by=case_manager)
    VictimFactory(child=child, consented=False, recorded_by=case_manager)
    OffenceFactory(child=child, gravity=0, proven_on=D(2026, 6, 30), recorded_by=case_manager)
    assert data_quality(quarter=Q3) == []


def test_return_page_lists_the_gaps(client, service_manager, dataset):
    """The return page: its counts, and each gap with a link to fix it."""
    client.force_login(service_manager)
    with time_machine.travel("2026-11-04 10:00:00+00:00", tick=False):
        body = client.get(reverse("kpi_return"), {"quarter": QUARTER}).content.decode()
    assert "Interventions in the return" in body
    for title in PROBLEMS.values():
        assert title in body
    assert reverse("child_programmes", args=[dataset["faris"].pk]) in body


def test_return_csv_parts(client, service_manager, dataset):
    """The rows, the summary and the data-quality list as CSV; an unknown part is a 400."""
    client.force_login(service_manager)
    url = reverse("kpi_return_csv")
    rows = list(csv.reader(io.StringIO(client.get(url, {"quarter": QUARTER}).content.decode("utf-8-sig"))))
    assert rows[0] == RETURN_COLUMNS and len(rows) == 9
    summary = client.get(url, {"quarter": QUARTER, "part": "summary"}).content.decode("utf-8-sig")
    assert summary == client.get(reverse("kpi_export_csv"), {"quarter": QUARTER}).content.decode("utf-8-sig")
    quality = list(
        csv.DictReader(
            io.StringIO(client.get(url, {"quarter": QUARTER, "part": "quality"}).content.decode("utf-8-sig"))
        )
    )
    assert len(quality) == 8
    assert quality[0]["where_to_fix"].startswith("http://testserver/children/")
    assert client.get(url, {"quarter": QUARTER, "part": "all"}).status_code == 400


def test_return_xlsx_has_the_three_sheets(client, service_manager, dataset):
    """The workbook: the return's rows, the summary and the data-quality list."""
    client.force_login(service_manager)
    response = client.get(reverse("kpi_return_xlsx"), {"quarter": QUARTER})
    assert response["Content-Disposition"] == 'attachment; filename="kpi-return-2026Q3.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Return", "Summary", "Data quality"]
    assert book["Return"].max_row == 9 and book["Data quality"].max_row == 9
    assert [c.value for c in book["Return"][1]] == RETURN_COLUMNS


def test_gaps_in_the_facts_link_to_the_tab_that_records_them(dataset):
    """A snapshot's, offence's or victim's gap links to the child's Circumstances tab, where it is recorded."""
    links = {p.kind: p.link for p in data_quality(quarter=Q3) if p.case_number == "YJ700004"}
    expected = reverse("child_circumstances", args=[dataset["dara"].pk])
    assert links == dict.fromkeys(("snapshot_missing", "offence_no_gravity", "victim_no_consent"), expected)
