"""The compliance dashboard reads only the lines it shows (`dashboard_figures`, issue 19): each code's
total, each team's total, the overall total, the chosen team's line per code and the trend, from a few
small GROUP BYs of the roll-up. Those figures must be exactly `compliance_figures`' (what the exports and
the `compliance_report` command give) and `compliance_trend`'s, for any period and any team, and the
page's query count must not grow with the obligations, children or teams."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Child, Role
from dashboards.compliance.figures import (
    ALL,
    NO_TEAM,
    compliance_figures,
    compliance_trend,
    dashboard_figures,
    team_names,
)
from dashboards.compliance.profile import caseload_profile
from demo.factories import ChildFactory, TeamFactory, UserFactory

from .test_compliance_figures import build_dataset, obligation
from .test_rollup import PERIODS

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    """The hand-worked dataset, a worker in no team with a supervision overdue, and a code with two
    titles in North."""
    data = build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)
    loner = UserFactory(role=Role.CASE_MANAGER, team=None)
    obligation(worker=loner, code="supervision.staff", due=D(2026, 5, 3), status="overdue", basis="000 §4.1")
    obligation(
        child=data["a"], code="assetplus.due", due=D(2026, 5, 3), status="open", title="AssetPlus (BSS)"
    )
    return data


@pytest.fixture
def sm_client(client, service_manager):
    client.force_login(service_manager)
    return client


def lines(report, *, team=ALL) -> list[tuple]:
    """What the page shows of a report, as comparable tuples: each code's total (with its titles and
    bases), the chosen team's line per code, each team's total and the overall total."""
    out = []
    for block in report.codes:
        out.append(("total", block.code, tuple(block.titles), tuple(block.bases), block.total.figures))
        out.extend(
            ("team", line.code, line.team_key, line.team_name, line.figures)
            for line in block.teams
            if team != ALL and line.team_key == team
        )
    out.extend(("by team", line.team_key, line.team_name, line.figures) for line in report.teams)
    out.append(("overall", report.overall.figures))
    return out


@pytest.mark.parametrize(("date_from", "date_to"), PERIODS)
def test_the_dashboards_lines_are_the_full_reports(dataset, north, south, date_from, date_to):
    """For every period (whole months, part-months, leap years, year ends) and every team choice (all,
    one, "no team", a team with nothing due), the page's lines equal compliance_figures' lines and its
    trend equals compliance_trend's."""
    empty = TeamFactory(name="Empty locality team")
    names = team_names()
    full = compliance_figures(date_from=date_from, date_to=date_to, names=names)
    for team in (ALL, north.pk, south.pk, NO_TEAM, empty.pk):
        for trend_team, trend_code in ((ALL, ALL), (north.pk, ALL), (NO_TEAM, "supervision.staff")):
            report, trend = dashboard_figures(
                date_from=date_from,
                date_to=date_to,
                team=team,
                trend_team=trend_team,
                trend_code=trend_code,
                names=names,
            )
            assert lines(report, team=team) == lines(full, team=team)
            expected = compliance_trend(end=date_to, team=trend_team, code=trend_code)
            assert [(m.start, m.end, m.figures) for m in trend] == [
                (m.start, m.end, m.figures) for m in expected
            ]


def test_the_figures_follow_a_change_made_after_the_first_read(dataset, north):
    """A new obligation in a month already rolled up shows at once in the page's lines (the roll-up is
    recounted before it is read), still equal to the full report."""
    period = {"date_from": D(2026, 4, 1), "date_to": D(2026, 6, 30)}
    names = team_names()
    before, _ = dashboard_figures(**period, team=north.pk, names=names)
    obligation(
        child=dataset["a"], code="cmm.risk_review", due=D(2026, 5, 15), status="overdue", basis="000 §1.3"
    )
    after, _ = dashboard_figures(**period, team=north.pk, names=names)
    assert after.overall.figures.overdue == before.overall.figures.overdue + 1
    assert lines(after, team=north.pk) == lines(compliance_figures(**period, names=names), team=north.pk)


def _queries(ctx) -> list[str]:
    """The SQL a request ran (the test's transaction adds savepoints, which are not queries)."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_the_page_reads_the_roll_up_in_a_fixed_number_of_queries(sm_client, dataset, north):
    """The dashboard makes 17 queries (the session, the header and the audit entry included; 20 before
    issue 19's last changes), the same with one more team of children and obligations, and one more
    with a team chosen (that team's line per code)."""
    url = reverse("compliance_dashboard")
    params = {"from": "2026-04-01", "to": "2026-06-30"}
    sm_client.get(url, params)
    with CaptureQueriesContext(connection) as first:
        assert sm_client.get(url, params).status_code == 200
    assert len(_queries(first)) == 17, "\n".join(_queries(first))
    team = TeamFactory(name="West locality team")
    for n in range(6):
        child = ChildFactory(team=team)
        obligation(child=child, code="assetplus.due", due=D(2026, 4, 1 + n), status="overdue")
    sm_client.get(url, params)  # recounts the month the new obligations marked stale (a few queries more)
    with CaptureQueriesContext(connection) as second:
        assert sm_client.get(url, params).status_code == 200
    assert len(_queries(second)) == 17
    with CaptureQueriesContext(connection) as chosen:
        assert sm_client.get(url, {**params, "team": north.pk}).status_code == 200
    assert len(_queries(chosen)) == 18


def test_the_caseload_profiles_levels_are_a_count_of_the_open_children(north, south):
    """The profile's RoSH, SaW and LoR tallies (now read with the headline counts in one aggregate) are
    the open children counted one by one, not assessed included; closed children are left out."""
    levels = ["", "low", "medium", "high", "very_high"]
    for n in range(12):
        ChildFactory(
            team=north if n % 2 else south,
            rosh=levels[n % 5],
            saw=levels[(n * 2) % 5],
            lor=levels[(n * 3 + 1) % 5],
            is_open=n != 11,
        )
    profile = caseload_profile()
    open_children = list(Child.objects.filter(is_open=True).values("rosh", "saw", "lor"))
    expected = [
        [sum(1 for c in open_children if c[name] == value) for name in ("rosh", "saw", "lor")]
        for value in levels[1:] + [""]
    ]
    assert [counts for _, counts in profile.level_rows] == expected
    assert [label for label, _ in profile.level_rows] == [
        "Low",
        "Medium",
        "High",
        "Very high",
        "Not assessed",
    ]
    assert profile.open_children == 11
