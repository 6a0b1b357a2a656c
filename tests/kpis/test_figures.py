"""The KPI figures on the hand-worked dataset (tests/kpis/dataset.py): every numerator and denominator,
the lines by team and programme type, the children behind a figure, quarter edges and the query count."""

import datetime
from decimal import Decimal

import pytest

from cases.models import Programme
from demo.factories import ChildFactory, ProgrammeFactory
from kpis.measures import BY_CODE, MEASURES
from kpis.selectors.figures import ALL, kpi_figures, kpi_trend
from kpis.selectors.quarters import Quarter

from .dataset import EXPECTED, EXPECTED_LINES, build_dataset
from .factories import SnapshotFactory, values

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = Quarter(2026, 3)


@pytest.fixture
def dataset(north, south, case_manager):
    """The hand-worked dataset."""
    return build_dataset(north=north, south=south, recorder=case_manager)


def test_every_figure_for_all_children(dataset):
    """Each hand-worked numerator and denominator for all children, start and end."""
    report = kpi_figures(quarter=Q3)
    got = {key: (report.figure(*key).numerator, report.figure(*key).denominator) for key in EXPECTED}
    assert got == EXPECTED


def test_every_measure_is_worked_by_hand():
    """The hand-worked table covers every KPI, and every snapshot measure at start and end."""
    assert {int(code.split(".")[0]) for code, _ in EXPECTED} == set(range(1, 11))
    for measure in MEASURES:
        if measure.kpi != 7:
            assert all((measure.code, point) in EXPECTED for point in measure.points), measure.code


def test_lines_by_team_and_programme_type(dataset):
    """A few lines by team and by programme type, by hand."""
    report = kpi_figures(quarter=Q3)
    names = {g.name: g.key for g in report.groups.values()}
    for (code, point, name), expected in EXPECTED_LINES.items():
        figure = report.figure(code, point, names[name])
        assert (figure.numerator, figure.denominator) == expected, (code, point, name)


def test_children_behind_a_figure(dataset):
    """The children behind KPI 1's start figure: the numerator's and the denominator's."""
    figure = kpi_figures(quarter=Q3).figure("1.suitable", "start")
    k = dataset
    assert figure.numerator_children == {k["amara"].pk, k["dara"].pk}
    assert figure.denominator_children == {k["amara"].pk, k["bilal"].pk, k["dara"].pk}
    assert figure.percent == Decimal("66.7")


def test_cohorts_count_children_without_a_snapshot(dataset):
    """Idris started with no snapshot, Faris ended with none: in the cohort, out of the denominators."""
    report = kpi_figures(quarter=Q3)
    assert report.cohort("start").without_snapshot == {dataset["idris"].pk}
    assert len(report.cohort("start").children) == 4
    assert report.cohort("end").without_snapshot == {dataset["faris"].pk}


def test_numerators_never_pass_denominators(dataset):
    """Every line of every measure: the numerator is within its denominator."""
    for measure, point, group, figure in kpi_figures(quarter=Q3).lines():
        assert 0 <= figure.numerator <= figure.denominator, (measure.code, point, group.key)
        assert figure.numerator_children <= figure.denominator_children


def test_a_child_counts_once_per_line(north):
    """Two interventions starting in the quarter: the child counts once for all children, once per type."""
    child = ChildFactory(team=north, ethnicity="Mixed")
    yro = ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2026, 7, 1))
    extra = ProgrammeFactory(child=child, kind=Programme.Kind.SPECIFIC_INTERVENTION, start_date=D(2026, 8, 1))
    SnapshotFactory(programme=yro)
    SnapshotFactory(programme=extra, values=values(accommodation={"kind": "other", "suitable": False}))
    report = kpi_figures(quarter=Q3)
    assert (
        report.figure("1.suitable", "start").numerator,
        report.figure("1.suitable", "start").denominator,
    ) == (1, 1)
    assert report.figure("1.suitable", "start", "type:specific_intervention").numerator == 0
    assert report.figure("1.suitable", "start", "type:specific_intervention").denominator == 1


@pytest.mark.parametrize(
    ("start", "counted"),
    [(D(2026, 9, 30), True), (D(2026, 10, 1), False), (D(2026, 7, 1), True), (D(2026, 6, 30), False)],
)
def test_quarter_edges(north, start, counted):
    """A programme starting on 30 September or 1 July is in 2026Q3; on 1 October or 30 June it is not."""
    programme = ProgrammeFactory(child=ChildFactory(team=north), kind=Programme.Kind.YRO, start_date=start)
    SnapshotFactory(programme=programme)
    assert kpi_figures(quarter=Q3).figure("1.suitable", "start").denominator == (1 if counted else 0)


def test_leap_year_february(north):
    """29 February 2028 falls in 2028Q1 (January to March), whose last day is 31 March."""
    programme = ProgrammeFactory(
        child=ChildFactory(team=north),
        kind=Programme.Kind.YRO,
        start_date=D(2027, 10, 4),
        end_date=D(2028, 2, 29),
    )
    SnapshotFactory(programme=programme, point="end")
    q1 = Quarter.parse("2028Q1")
    assert (q1.start, q1.end) == (D(2028, 1, 1), D(2028, 3, 31))
    assert kpi_figures(quarter=q1).figure("1.suitable", "end").denominator == 1
    assert kpi_figures(quarter=Quarter.parse("2027Q4")).figure("1.suitable", "end").denominator == 0


def test_trend_is_eight_quarters_oldest_first(dataset):
    """The trend: the eight quarters to Q3 2026, each with its own figures."""
    trend = kpi_trend(quarter=Q3)
    assert [r.quarter.token for r in trend] == [
        "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3",
    ]  # fmt: skip
    assert trend[-1].figure("1.suitable", "start").denominator == 3
    # Esme and Faris started in Q2 (Gwen too, with no start snapshot); Dara's custody in Q1.
    assert [r.figure("1.suitable", "start").denominator for r in trend] == [0, 0, 0, 0, 0, 1, 2, 3]


def test_board_has_no_children_to_list():
    """KPI 7's measures count meetings and have nobody behind them to list."""
    assert not BY_CODE["7.police.attended"].drill
    assert BY_CODE["7.police.attended"].unit == "meetings"


def test_query_count_does_not_grow_with_children(north, south, case_manager, django_assert_max_num_queries):
    """The same number of queries for one child as for many (seven reads)."""
    build_dataset(north=north, south=south, recorder=case_manager)
    with django_assert_max_num_queries(7):
        kpi_figures(quarter=Q3)
    for n in range(10):
        programme = ProgrammeFactory(
            child=ChildFactory(team=north), kind=Programme.Kind.YRO, start_date=D(2026, 8, 1 + n)
        )
        SnapshotFactory(programme=programme)
    with django_assert_max_num_queries(7):
        report = kpi_figures(quarter=Q3)
    assert report.figure("1.suitable", "start").denominator == 13
    assert report.figure("1.suitable", "start", ALL).denominator == 13
