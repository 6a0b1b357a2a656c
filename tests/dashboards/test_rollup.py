"""The compliance roll-up (issue 19, ADR 0020): the dashboard's whole months come from a monthly count of
the obligations, part-months from the obligations themselves, and the figures always equal a count of
the obligations as they are now: whatever changed them, however the period falls on the calendar."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Obligation, ObligationMonth, ObligationMonthStale
from cases.services import child_obligations_refresh
from cases.services.rejudge import obligations_rejudge_all
from cases.services.rollup import (
    COUNTS,
    child_months_stale,
    grouped,
    months_fresh,
    months_rebuild_all,
    months_stale,
    period_rows,
    whole_months,
)
from dashboards.compliance.figures import compliance_figures, compliance_trend
from demo.factories import ChildFactory, ProgrammeFactory

from .test_compliance_figures import build_dataset, obligation

pytestmark = pytest.mark.django_db
D = datetime.date


def live(date_from, date_to, **kw) -> Counter:
    """The figures counted from the obligations alone (what the roll-up must always equal)."""
    out: Counter = Counter()
    for row in grouped(date_from, date_to, **kw):
        for name in COUNTS:
            out[(row["code"], row["title"], row["basis"], row["team_key"], name)] += row[name]
    return +out


def rolled(date_from, date_to, **kw) -> Counter:
    out: Counter = Counter()
    for row in period_rows(date_from, date_to, **kw):
        for name in COUNTS:
            out[(row["code"], row["title"], row["basis"], row["team_key"], name)] += row[name]
    return +out


PERIODS = [
    (D(2026, 4, 1), D(2026, 6, 30)),  # three whole months
    (D(2026, 4, 15), D(2026, 6, 10)),  # part, whole, part
    (D(2026, 4, 2), D(2026, 4, 29)),  # inside one month
    (D(2026, 3, 31), D(2026, 5, 1)),  # a day either side of whole months
    (D(2026, 2, 1), D(2026, 2, 28)),  # February, whole
    (D(2028, 2, 1), D(2028, 2, 28)),  # February in a leap year: 29th left out, so a part-month
    (D(2028, 2, 1), D(2028, 2, 29)),  # and whole
    (D(2025, 12, 31), D(2026, 1, 1)),  # across a year end
    (D(2020, 1, 1), D(2030, 12, 31)),  # everything
]


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    data = build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)
    child = ChildFactory(team=north, case_manager=case_manager)
    for due in (D(2028, 2, 29), D(2028, 2, 1), D(2026, 1, 1), D(2025, 12, 31), D(2026, 3, 31), D(2026, 5, 1)):
        obligation(child=child, code="contact.fortnightly", due=due, status="open")
    return data


@pytest.mark.parametrize(("date_from", "date_to"), PERIODS)
def test_the_roll_up_equals_the_obligations_for_any_period(dataset, north, date_from, date_to):
    assert rolled(date_from, date_to) == live(date_from, date_to)
    assert rolled(date_from, date_to, team=north.pk) == live(date_from, date_to, team=north.pk)
    assert rolled(date_from, date_to, team="none") == live(date_from, date_to, team="none")
    assert rolled(date_from, date_to, code="assetplus.due") == live(date_from, date_to, code="assetplus.due")


@pytest.mark.parametrize(
    ("date_from", "date_to", "months", "edges"),
    [
        (D(2026, 2, 1), D(2026, 4, 30), [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)], []),
        (
            D(2026, 1, 15),
            D(2026, 3, 10),
            [D(2026, 2, 1)],
            [(D(2026, 1, 15), D(2026, 1, 31)), (D(2026, 3, 1), D(2026, 3, 10))],
        ),
        (D(2026, 1, 2), D(2026, 1, 30), [], [(D(2026, 1, 2), D(2026, 1, 30))]),
        (D(2028, 2, 1), D(2028, 2, 28), [], [(D(2028, 2, 1), D(2028, 2, 28))]),
        (D(2028, 2, 1), D(2028, 2, 29), [D(2028, 2, 1)], []),
        (D(2025, 12, 1), D(2026, 1, 31), [D(2025, 12, 1), D(2026, 1, 1)], []),
    ],
)
def test_a_period_is_whole_months_and_part_months(date_from, date_to, months, edges):
    assert whole_months(date_from, date_to) == (months, edges)


def test_a_change_to_the_obligations_is_in_the_next_read(dataset, north, case_manager):
    """An obligation met, one added, one deleted, a child's team changed: each read equals the
    obligations as they are, whether the change went through a service or was saved on its own."""
    period = (D(2026, 4, 1), D(2026, 6, 30))
    assert rolled(*period) == live(*period)
    overdue = Obligation.objects.filter(status="overdue", due__gte=period[0], due__lte=period[1]).first()
    # A bulk change outside the services marks its months itself (as the services do).
    Obligation.objects.filter(pk=overdue.pk).update(status="met_late", met_on=D(2026, 6, 25))
    months_stale([overdue.due])
    assert rolled(*period) == live(*period)
    added = obligation(child=dataset["a"], code="cmm.risk_review", due=D(2026, 5, 5), status="open")
    assert rolled(*period) == live(*period)  # saved on its own: marked by the post_save receiver
    child = dataset["a"]
    child_months_stale(child_id=child.pk)  # what the internal transfer's handover does
    child.team = dataset["c"].team
    child.save(update_fields=["team"])
    assert rolled(*period) == live(*period)
    Obligation.objects.filter(pk=added.pk).delete()
    months_stale([added.due])
    assert rolled(*period) == live(*period)


def test_a_refresh_marks_only_the_months_whose_counts_moved(north, case_manager):
    """A child's refresh rewrites all its obligations; only a month whose counted rows changed is
    recounted (nothing, when nothing changed)."""
    child = ChildFactory(team=north, case_manager=case_manager)
    ProgrammeFactory(child=child)  # a YRO sentenced on 8 January 2024
    child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 9))  # the day after: everything open
    assert Obligation.objects.filter(child=child, status="open").exists()
    assert ObligationMonthStale.objects.exists()
    months_fresh()
    child_obligations_refresh(child_id=child.pk, as_of=D(2024, 1, 9))
    assert not ObligationMonthStale.objects.exists()
    child_obligations_refresh(child_id=child.pk, as_of=D(2024, 6, 3))  # months on: the first ones overdue
    assert Obligation.objects.filter(child=child, status="overdue").exists()
    assert ObligationMonthStale.objects.exists()
    assert rolled(D(2020, 1, 1), D(2030, 12, 31)) == live(D(2020, 1, 1), D(2030, 12, 31))


def test_the_sweep_leaves_no_month_stale(dataset):
    """The morning's re-judging recounts the months it moved, so the first read does not have to."""
    months_stale([D(2026, 4, 1), D(2026, 5, 1)])
    stats = obligations_rejudge_all(as_of=D(2026, 7, 1))
    assert stats["rollup_months"] >= 2 and not ObligationMonthStale.objects.exists()
    assert rolled(D(2020, 1, 1), D(2030, 12, 31)) == live(D(2020, 1, 1), D(2030, 12, 31))


def test_the_weekly_rebuild_mends_a_wrong_roll_up(dataset):
    months_fresh()
    ObligationMonth.objects.update(n_due=999)
    ObligationMonth.objects.create(month=D(2019, 1, 1), code="x", title="x", basis="x", n_due=1)
    assert months_rebuild_all() > 0
    assert rolled(D(2019, 1, 1), D(2030, 12, 31)) == live(D(2019, 1, 1), D(2030, 12, 31))
    assert not ObligationMonth.objects.filter(month=D(2019, 1, 1)).exists()


def test_recounting_costs_the_same_however_many_months_are_stale(dataset):
    """One month stale or thirty: the same few queries (one GROUP BY over just those months)."""

    def recount_queries(months) -> int:
        months_fresh()
        months_stale(months)
        with CaptureQueriesContext(connection) as ctx:
            months_fresh()
        return len(ctx.captured_queries)

    one = recount_queries([D(2026, 4, 1)])
    many = recount_queries([D(2024, 1, 1) + datetime.timedelta(days=31 * i) for i in range(30)])
    assert one == many and one <= 8
    with CaptureQueriesContext(connection) as ctx:
        months_fresh()
    assert len(ctx.captured_queries) == 1  # nothing stale: one look


def test_the_dashboard_figures_and_trend_equal_the_obligations(dataset, north):
    report = compliance_figures(date_from=D(2026, 4, 1), date_to=D(2026, 6, 30))
    total = report.overall.figures
    obligations = Obligation.objects.filter(due__gte=D(2026, 4, 1), due__lte=D(2026, 6, 30))
    assert total.due == obligations.count()
    assert total.overdue == obligations.filter(status="overdue").count()
    trend = compliance_trend(end=D(2026, 6, 30), team=north.pk)
    june = trend[-1].figures
    counted = live(D(2026, 6, 1), D(2026, 6, 30), team=north.pk)
    assert june.due == sum(v for k, v in counted.items() if k[-1] == "n_due") > 0
