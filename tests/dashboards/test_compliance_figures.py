"""The compliance figures on a hand-worked dataset: what counts, per code and team, % on time and its
rounding, the period's boundaries, month ends and a leap year, the default period and the trend.

The dataset's obligations are written directly: they are the stored output of the rules module. The
expected figures are worked out by hand below, as literal numbers, never by the code under test.
"""

import datetime
from decimal import Decimal

import pytest

from cases.models import Obligation, Role
from dashboards.compliance.figures import (
    Figures,
    compliance_figures,
    compliance_trend,
    default_period,
    drilldown_obligations,
    trend_months,
)
from demo.factories import ChildFactory, UserFactory

D = datetime.date
FROM, TO = D(2026, 4, 1), D(2026, 6, 30)  # the hand-worked period: April to June 2026
AS_OF = D(2026, 6, 20)

YRO = "001 §6 timescales table: YRO"
BSS = "001 §6 timescales table: Bail Supervision and Support"
AP_TITLES = "AssetPlus assessment completed; AssetPlus assessment completed (BSS)"
CMM_TITLE = "CMM to review RoSH/SaW held"
PLAN_TITLE = "Intervention plan completed"
SUP_TITLE = "Formal 1:1 supervision of the worker"
NORTH, SOUTH, ALL_TEAMS = "North locality team", "South locality team", "All teams"

# (code, title, team, due, met on time, met late, overdue, open, % on time) for FROM..TO, by hand:
#   North: A assetplus.due 1 Apr met; A plan.intervention 10 May met late; A cmm.risk_review 30 Jun
#          overdue; B (closed) assetplus.due 5 May met; the case manager's supervision 29 May overdue.
#   South: C assetplus.due 1 Jun overdue; C plan.intervention 25 Jun open; C cmm.risk_review 15 Apr met;
#          D assetplus.due 20 Apr met late; D assetplus.due (BSS) 2 May met; outsider's supervision
#          10 Apr met.
#   Left out: A contact.fortnightly 1 Jul (the day after), A assetplus.review (no due date),
#          B plan.intervention 31 Mar (the day before).
EXPECTED = [
    ("assetplus.due", AP_TITLES, NORTH, 2, 2, 0, 0, 0, "100.0"),  # 2/2
    ("assetplus.due", AP_TITLES, SOUTH, 3, 1, 1, 1, 0, "33.3"),  # 1/3
    ("assetplus.due", AP_TITLES, ALL_TEAMS, 5, 3, 1, 1, 0, "60.0"),  # 3/5
    ("cmm.risk_review", CMM_TITLE, NORTH, 1, 0, 0, 1, 0, "0.0"),  # 0/1
    ("cmm.risk_review", CMM_TITLE, SOUTH, 1, 1, 0, 0, 0, "100.0"),  # 1/1
    ("cmm.risk_review", CMM_TITLE, ALL_TEAMS, 2, 1, 0, 1, 0, "50.0"),  # 1/2
    ("plan.intervention", PLAN_TITLE, NORTH, 1, 0, 1, 0, 0, "0.0"),  # 0/1
    ("plan.intervention", PLAN_TITLE, SOUTH, 1, 0, 0, 0, 1, ""),  # 0/0: none judged
    ("plan.intervention", PLAN_TITLE, ALL_TEAMS, 2, 0, 1, 0, 1, "0.0"),  # 0/1
    ("supervision.staff", SUP_TITLE, NORTH, 1, 0, 0, 1, 0, "0.0"),  # 0/1
    ("supervision.staff", SUP_TITLE, SOUTH, 1, 1, 0, 0, 0, "100.0"),  # 1/1
    ("supervision.staff", SUP_TITLE, ALL_TEAMS, 2, 1, 0, 1, 0, "50.0"),  # 1/2
    ("all", "All obligation types", NORTH, 5, 2, 1, 2, 0, "40.0"),  # 2/5
    ("all", "All obligation types", SOUTH, 6, 3, 1, 1, 1, "60.0"),  # 3/5
    ("all", "All obligation types", ALL_TEAMS, 11, 5, 2, 3, 1, "50.0"),  # 5/10
]
HEADER = ["code", "title", "team", "due", "met_on_time", "met_late", "overdue", "open", "percent_on_time"]


def obligation(*, code, due, status, child=None, worker=None, title=None, basis=YRO, met_on=None):
    """One stored obligation, as the rules module would have written it."""
    titles = {"cmm.risk_review": CMM_TITLE, "plan.intervention": PLAN_TITLE, "supervision.staff": SUP_TITLE}
    return Obligation.objects.create(
        child=child,
        worker=worker,
        code=code,
        title=title or titles.get(code, "AssetPlus assessment completed"),
        due=due,
        status=status,
        met_on=met_on,
        basis=basis,
        position=0,
        as_of=AS_OF,
    )


def build_dataset(*, north, south, case_manager, outsider) -> dict:
    """The hand-worked dataset: four children in two teams and two workers' supervisions."""
    a = ChildFactory(team=north, case_manager=case_manager, first_name="Ava", last_name="Northopen")
    b = ChildFactory(team=north, case_manager=case_manager, first_name="Ben", last_name="Northclosed")
    b.is_open = False
    b.save()
    c = ChildFactory(team=south, case_manager=outsider, first_name="Cara", last_name="Southone")
    d = ChildFactory(team=south, case_manager=outsider, first_name="Dev", last_name="Southtwo")
    met, late, overdue, open_ = "met", "met_late", "overdue", "open"
    obligation(child=a, code="assetplus.due", due=D(2026, 4, 1), status=met, met_on=D(2026, 3, 30))
    obligation(child=a, code="plan.intervention", due=D(2026, 5, 10), status=late, met_on=D(2026, 5, 20))
    obligation(child=a, code="cmm.risk_review", due=D(2026, 6, 30), status=overdue, basis="000 §1.3")
    obligation(child=a, code="contact.fortnightly", due=D(2026, 7, 1), status=open_, title="Contact")
    obligation(child=a, code="assetplus.review", due=None, status=open_, title="AssetPlus reviewed")
    obligation(child=b, code="assetplus.due", due=D(2026, 5, 5), status=met, met_on=D(2026, 5, 1))
    obligation(child=b, code="plan.intervention", due=D(2026, 3, 31), status=met, met_on=D(2026, 3, 20))
    obligation(child=c, code="assetplus.due", due=D(2026, 6, 1), status=overdue)
    obligation(child=c, code="plan.intervention", due=D(2026, 6, 25), status=open_)
    obligation(child=c, code="cmm.risk_review", due=D(2026, 4, 15), status=met, basis="000 §1.3")
    obligation(child=d, code="assetplus.due", due=D(2026, 4, 20), status=late, met_on=D(2026, 4, 28))
    obligation(
        child=d,
        code="assetplus.due",
        due=D(2026, 5, 2),
        status=met,
        met_on=D(2026, 5, 1),
        title="AssetPlus assessment completed (BSS)",
        basis=BSS,
    )
    obligation(
        worker=case_manager, code="supervision.staff", due=D(2026, 5, 29), status=overdue, basis="000 §4.1"
    )
    obligation(
        worker=outsider,
        code="supervision.staff",
        due=D(2026, 4, 10),
        status=met,
        basis="000 §4.1",
        met_on=D(2026, 4, 9),
    )
    return {"a": a, "b": b, "c": c, "d": d}


def report_rows(report) -> list[tuple]:
    """The report's lines as the export rows, with the percentage as its CSV text."""
    out = []
    for line in report.lines():
        f = line.figures
        pct = f.percent_on_time
        out.append(
            (
                line.code,
                line.title,
                line.team_name,
                f.due,
                f.met,
                f.met_late,
                f.overdue,
                f.open,
                "" if pct is None else str(pct),
            )
        )
    return out


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    """The hand-worked dataset."""
    return build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)


class TestFigures:
    def test_percent_on_time_rounds_half_up_to_one_place(self):
        """% on time = met / (met + met late + overdue), half up to one decimal; open does not count."""
        assert Figures(met=2, met_late=1, open=5).percent_on_time == Decimal("66.7")  # 66.666…
        assert Figures(met=1, met_late=15).percent_on_time == Decimal("6.3")  # 6.25 -> 6.3 (half up)
        assert Figures(met=1, overdue=7).percent_on_time == Decimal("12.5")  # exactly 12.5
        assert Figures(met=1, met_late=5).percent_on_time == Decimal("16.7")  # 16.666…
        assert Figures(met=5, overdue=3).percent_on_time == Decimal("62.5")
        assert Figures(met=199, met_late=1).percent_on_time == Decimal("99.5")
        assert Figures(met=1999, overdue=1).percent_on_time == Decimal("100.0")  # 99.95 -> 100.0
        assert str(Figures(met=3).percent_on_time) == "100.0"
        assert str(Figures(overdue=3).percent_on_time) == "0.0"

    def test_no_denominator_is_none(self):
        """Nothing met or overdue yet (only open, or nothing at all): no percentage ("–" on the page)."""
        assert Figures(open=4).percent_on_time is None
        assert Figures().percent_on_time is None

    def test_sum(self):
        """Figures add up field by field."""
        assert Figures(1, 1, 0, 0, 0) + Figures(2, 0, 1, 1, 0) == Figures(3, 1, 1, 1, 0)


class TestPeriods:
    def test_default_is_last_three_full_months(self):
        """The last three full calendar months before today's month."""
        assert default_period(today=D(2026, 7, 15)) == (D(2026, 4, 1), D(2026, 6, 30))
        assert default_period(today=D(2026, 7, 1)) == (D(2026, 4, 1), D(2026, 6, 30))

    def test_default_across_a_year_end_and_a_leap_february(self):
        """January looks back into the previous year; March ends the period on 29 February 2024."""
        assert default_period(today=D(2024, 1, 15)) == (D(2023, 10, 1), D(2023, 12, 31))
        assert default_period(today=D(2024, 3, 31)) == (D(2023, 12, 1), D(2024, 2, 29))

    def test_trend_months_end_with_the_period(self):
        """Twelve calendar months ending with the month of the period's end, month ends exact."""
        months = trend_months(end=D(2024, 2, 29))
        assert len(months) == 12
        assert months[0] == (D(2023, 3, 1), D(2023, 3, 31))
        assert months[-1] == (D(2024, 2, 1), D(2024, 2, 29))
        assert months[-2] == (D(2024, 1, 1), D(2024, 1, 31))


@pytest.mark.django_db
class TestSelector:
    def test_hand_worked_figures(self, dataset, service_manager):
        """Every line (code x team, code totals, team totals, overall) equals the hand-worked figures."""
        report = compliance_figures(date_from=FROM, date_to=TO)
        assert report_rows(report) == EXPECTED

    def test_titles_and_bases_of_a_code(self, dataset):
        """A code's titles and bases are every one its stored rows carry, most used first."""
        report = compliance_figures(date_from=FROM, date_to=TO)
        block = next(b for b in report.codes if b.code == "assetplus.due")
        assert block.titles == ["AssetPlus assessment completed", "AssetPlus assessment completed (BSS)"]
        assert block.bases == [YRO, BSS]

    def test_period_boundaries(self, dataset):
        """Due on `from` and on `to` both count; the day before and the day after do not."""
        first_day = compliance_figures(date_from=FROM, date_to=FROM)
        assert [(b.code, b.total.figures) for b in first_day.codes] == [
            ("assetplus.due", Figures(1, 1, 0, 0, 0))
        ]
        last_day = compliance_figures(date_from=TO, date_to=TO)
        assert [(b.code, b.total.figures) for b in last_day.codes] == [
            ("cmm.risk_review", Figures(1, 0, 0, 1, 0))
        ]
        day_after = compliance_figures(date_from=D(2026, 7, 1), date_to=D(2026, 7, 1))
        assert [(b.code, b.total.figures) for b in day_after.codes] == [
            ("contact.fortnightly", Figures(1, 0, 0, 0, 1))
        ]
        day_before = compliance_figures(date_from=D(2026, 3, 31), date_to=D(2026, 3, 31))
        assert [(b.code, b.total.figures) for b in day_before.codes] == [
            ("plan.intervention", Figures(1, 1, 0, 0, 0))
        ]

    def test_no_due_date_never_counts(self, dataset):
        """An obligation with no due date has no timescale: in no period at all."""
        report = compliance_figures(date_from=D(2000, 1, 1), date_to=D(2099, 12, 31))
        assert "assetplus.review" not in [b.code for b in report.codes]
        assert report.overall.figures.due == 13  # 14 stored rows, one without a due date

    def test_leap_year_february(self, north, case_manager):
        """2024-02-01..2024-02-29 takes 28 and 29 February, not 31 January or 1 March."""
        child = ChildFactory(team=north, case_manager=case_manager)
        for day, status in (
            (D(2024, 1, 31), "met"),
            (D(2024, 2, 28), "met"),
            (D(2024, 2, 29), "overdue"),
            (D(2024, 3, 1), "met"),
        ):
            obligation(child=child, code="assetplus.due", due=day, status=status)
        report = compliance_figures(date_from=D(2024, 2, 1), date_to=D(2024, 2, 29))
        assert report.overall.figures == Figures(due=2, met=1, overdue=1)  # 28th met, 29th overdue
        assert str(report.overall.figures.percent_on_time) == "50.0"

    def test_worker_in_no_team(self, db):
        """A worker's own obligation with no team is counted under "No team"."""
        loner = UserFactory(role=Role.CASE_MANAGER, team=None)
        obligation(worker=loner, code="supervision.staff", due=D(2026, 5, 1), status="overdue")
        report = compliance_figures(date_from=FROM, date_to=TO)
        assert [(line.team_name, line.figures.overdue) for line in report.teams] == [("No team", 1)]

    def test_trend_by_month(self, dataset):
        """Each month of the trend counts the obligations due in it (by hand: April, May, June)."""
        trend = {m.start: m.figures for m in compliance_trend(end=TO)}
        assert len(trend) == 12
        # April: A assetplus met, C cmm met, D assetplus met late, outsider's supervision met.
        assert trend[D(2026, 4, 1)] == Figures(due=4, met=3, met_late=1)
        # May: A plan met late, B assetplus met, D BSS met, the case manager's supervision overdue.
        assert trend[D(2026, 5, 1)] == Figures(due=4, met=2, met_late=1, overdue=1)
        # June: A cmm overdue, C assetplus overdue, C plan open.
        assert trend[D(2026, 6, 1)] == Figures(due=3, overdue=2, open=1)
        assert trend[D(2026, 3, 1)] == Figures(due=1, met=1)  # B's plan, 31 March
        assert str(trend[D(2026, 4, 1)].percent_on_time) == "75.0"  # 3/4
        assert str(trend[D(2026, 5, 1)].percent_on_time) == "50.0"  # 2/4
        assert str(trend[D(2026, 6, 1)].percent_on_time) == "0.0"  # 0/2

    def test_trend_for_one_team_and_code(self, dataset, south):
        """The trend's filters: South's assetplus.due only."""
        trend = {m.start: m.figures for m in compliance_trend(end=TO, team=south.pk, code="assetplus.due")}
        assert trend[D(2026, 4, 1)] == Figures(due=1, met_late=1)
        assert trend[D(2026, 5, 1)] == Figures(due=1, met=1)
        assert trend[D(2026, 6, 1)] == Figures(due=1, overdue=1)

    def test_drilldown_rows(self, dataset, north, case_manager):
        """North's still-overdue figure is A's CMM and the case manager's own supervision."""
        rows = list(drilldown_obligations(date_from=FROM, date_to=TO, status="overdue", team=north.pk))
        assert [(o.child_id, o.worker_id, o.code) for o in rows] == [
            (None, case_manager.pk, "supervision.staff"),  # due 29 May
            (dataset["a"].pk, None, "cmm.risk_review"),  # due 30 June
        ]
