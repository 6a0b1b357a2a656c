"""`manage.py kpi_report --quarter 2026Q3 --format json|csv`: the hand-worked figures, the same CSV bytes as
the page's export, figures that add up; bad input is one line on stderr and exit 2."""

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import ManagementUtility, call_command
from django.urls import reverse

from kpis.measures import BY_CODE, POINT_LABELS

from .dataset import EXPECTED, QUARTER, build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(north, south, case_manager):
    """The hand-worked dataset."""
    return build_dataset(north=north, south=south, recorder=case_manager)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("kpi_report", *args, stdout=out)
    return out.getvalue()


def test_json_has_every_hand_worked_figure(dataset):
    """Each numerator and denominator for all children, and the children behind KPI 1's start numerator."""
    data = json.loads(_run("--quarter", QUARTER))
    assert (data["quarter"], data["yjb_quarter"], data["from"], data["to"]) == (
        "2026Q3",
        "2026/27 Q2",
        "2026-07-01",
        "2026-09-30",
    )
    got = {}
    for kpi in data["kpis"]:
        for measure in kpi["measures"]:
            assert measure["numerator_is"] == BY_CODE[measure["code"]].numerator
            for line in measure["figures"]:
                if line["line_type"] == "all":
                    got[(measure["code"], line["point"])] = line
    for (code, point), (numerator, denominator) in EXPECTED.items():
        line = got[(code, point)]
        assert (line["numerator"], line["denominator"]) == (float(numerator), float(denominator)), (
            code,
            point,
        )
    assert got[("1.suitable", "start")]["numerator_children"] == sorted(
        [dataset["amara"].pk, dataset["dara"].pk]
    )
    assert got[("1.suitable", "start")]["percent"] == 66.7


def test_json_figures_add_up(dataset):
    """Every line: the numerator within its denominator, the percentage that of the two counts."""
    data = json.loads(_run("--quarter", QUARTER))
    for kpi in data["kpis"]:
        for measure in kpi["measures"]:
            for line in measure["figures"]:
                assert 0 <= line["numerator"] <= line["denominator"]
                if line["denominator"]:  # rounded half up, as every figure of the product is
                    exact = Decimal(str(line["numerator"])) * 100 / Decimal(str(line["denominator"]))
                    assert line["percent"] == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
                else:
                    assert line["percent"] is None
                assert set(line["numerator_children"]) <= set(line["denominator_children"])


def test_csv_is_the_pages_export(client, service_manager, dataset):
    """The command's CSV is byte-identical to the page's CSV export for the quarter."""
    client.force_login(service_manager)
    page = client.get(reverse("kpi_export_csv"), {"quarter": QUARTER}).content.decode("utf-8")
    assert _run("--quarter", QUARTER, "--format", "csv") == page
    assert (
        f"1.suitable,Suitable accommodation,{POINT_LABELS['start']},All children,All children,2,3,66.7"
        in page
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--quarter is required"),
        (["--quarter", "2026Q5"], "is not a quarter in the form YYYYQn"),
        (["--quarter", "2026-07"], "is not a quarter in the form YYYYQn"),
        (["--quarter", "1999Q1"], "the year is not between 2000 and 2099"),
        (["--quarter", "2026Q3", "--format", "xml"], "--format must be json or csv"),
        (["--quarter"], "expected one argument"),
        (["--quarter", "2026Q3", "--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, capsys):
    """A missing or malformed quarter, an unknown format or option: one line on stderr, exit 2."""
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "kpi_report", *args]).execute()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") <= 1
