"""The compliance dashboard, its drill-down and exports: the service manager only; the page, CSV and XLSX
all show the hand-worked figures; every figure links to exactly the obligations behind it; invalid
periods and links get a clear message, never a 500; the query count does not grow with the data."""

import csv
import datetime
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cases.models import Obligation, Programme, Role
from cases.services import child_obligations_refresh
from core.models import AuditEntry
from demo.factories import ChildFactory, ProgrammeFactory, UserFactory
from mappa.models import Criterion, MappaRecord
from mappa.services import records as mappa_services

from .test_compliance_figures import EXPECTED, HEADER, build_dataset, obligation

D = datetime.date
PERIOD = {"from": "2026-04-01", "to": "2026-06-30"}
# Pinned inside July 2026, so the default period is April-June 2026: the hand-worked one.
NOW = datetime.datetime(2026, 7, 15, 9, 0, tzinfo=datetime.UTC)
URLS = ["compliance_dashboard", "compliance_drilldown", "compliance_export_csv", "compliance_export_xlsx"]


class _Tables(HTMLParser):
    """Each table's rows as lists of cell texts, leaving out visually hidden text."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.cell, self.hidden = {}, None, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.hidden:
            self.hidden += tag != "br"
            return
        if "govuk-visually-hidden" in (attrs.get("class") or ""):
            self.hidden = 1
        elif tag == "table":
            self.table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self.table is not None:
            self.row = {"code": attrs.get("data-code"), "cells": []}
            self.table.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row["cells"].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def tables(response) -> dict:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def _pct(text: str) -> str:
    """A page's percentage as the export's text: "33.3%" -> "33.3", "–" -> ""."""
    return "" if text == "–" else text.rstrip("%")


def page_rows(client, params: dict, teams) -> set[tuple]:
    """Every figure the page shows, as (code, team, due, met, met late, overdue, open, % on time): the
    team totals and the obligation types across all teams, then each team's obligation types."""
    out = set()
    response = client.get(reverse("compliance_dashboard"), params)
    for row in tables(response)["team-totals"][1:]:
        team, *figures, pct = row["cells"]
        out.add(("all", team, *map(int, figures), _pct(pct)))
    for team_pk, team_name in [("", "All teams"), *((t.pk, t.name) for t in teams)]:
        response = client.get(reverse("compliance_dashboard"), {**params, "team": team_pk})
        assert f"By obligation type: {team_name}" in response.content.decode()
        for row in tables(response)["by-code"][1:]:
            *figures, pct = row["cells"][-6:]
            out.add((row["code"], team_name, *map(int, figures), _pct(pct)))
    return out


def expected_page_rows() -> set[tuple]:
    return {(code, team, *figures) for code, _title, team, *figures in EXPECTED}


@pytest.fixture
def dataset(north, south, case_manager, outsider):
    """The hand-worked dataset (tests/dashboards/test_compliance_figures.py)."""
    return build_dataset(north=north, south=south, case_manager=case_manager, outsider=outsider)


@pytest.fixture
def sm_client(client, service_manager):
    client.force_login(service_manager)
    return client


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("who", ["case_manager", "team_manager", "outsider", "administrator"])
    @pytest.mark.parametrize("name", URLS)
    def test_everyone_but_the_service_manager_gets_404(self, client, request, who, name):
        """A case manager, a team manager, an outsider and the administrator: 404 on every page and export."""
        client.force_login(request.getfixturevalue(who))
        response = client.get(reverse(name), {**PERIOD, "status": "due"})
        assert response.status_code == 404

    def test_signed_out_is_sent_to_sign_in(self, client, service_manager):
        """Nobody signed out sees the figures."""
        response = client.get(reverse("compliance_dashboard"))
        assert response.status_code == 302 and "sign-in" in response["Location"]

    def test_home_is_the_dashboard(self, sm_client):
        """The service manager's home page is the compliance dashboard."""
        response = sm_client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == reverse("compliance_dashboard")


@pytest.mark.django_db
class TestDashboard:
    def test_page_shows_the_hand_worked_figures(self, sm_client, dataset, north, south):
        """Every figure on the page (code x team, code totals, team totals, overall) is the hand-worked one."""
        assert page_rows(sm_client, PERIOD, [north, south]) == expected_page_rows()
        response = sm_client.get(reverse("compliance_dashboard"), PERIOD)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Obligations due from 1 April 2026 to 30 June 2026" in html
        # Titles (each of a code's titles) and the policy basis are shown, not just codes.
        for text in (
            "AssetPlus assessment completed (BSS)",
            "CMM to review RoSH/SaW held",
            escape("000 §4.1"),
        ):
            assert text in html

    @time_machine.travel(NOW, tick=False)
    def test_default_period_is_stated(self, sm_client, dataset, north, south):
        """With no period given: the last three full months (April-June 2026 in July), said so on the page."""
        response = sm_client.get(reverse("compliance_dashboard"))
        html = response.content.decode()
        assert "Obligations due from 1 April 2026 to 30 June 2026" in html
        assert "This is the default period: the last three full calendar months" in html
        assert page_rows(sm_client, {}, [north, south]) == expected_page_rows()

    def test_every_figure_links_to_its_drilldown(self, sm_client, dataset, north):
        """North's still-overdue figure (2) links to the drill-down for that code, team, status and period."""
        response = sm_client.get(reverse("compliance_dashboard"), PERIOD)
        query = urlencode({"code": "all", "team": north.pk, **PERIOD})
        href = f"{reverse('compliance_drilldown')}?{escape(query)}&amp;status=overdue"
        assert (
            f'<a class="govuk-link" href="{href}">2<span class="govuk-visually-hidden">'
            in response.content.decode()
        )

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"from": "31/6/2026", "to": "30/6/2026"}, "The start date must be a real date"),
            (
                {"from": "2026-07-01", "to": "2026-06-30"},
                "The end date must be the same as or after the start date",
            ),
            ({"from": "1/4/2026", "to": "banana"}, "The end date must be a real date"),
            ({"from": "1/4/2026"}, "Enter the end date"),
            (
                {"from": "1/4/1999", "to": "1/5/1999"},
                "The start date must be a real date between 2000 and 2099",
            ),
            ({"from": "9" * 40, "to": "1/5/2026"}, "The start date must be a real date"),
        ],
    )
    def test_invalid_period_shows_the_error_summary(self, sm_client, dataset, params, message):
        """A wrong period re-renders with a GOV.UK error summary (never a 500) and no figures."""
        response = sm_client.get(reverse("compliance_dashboard"), params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html and "There is a problem" in html
        assert escape(message) in html
        assert "<title>Error: " in html
        assert "by-code" not in tables(response)
        assert "Correct the period to see the compliance figures" in html

    def test_dates_typed_day_first_or_iso(self, sm_client, dataset, north, south):
        """1/4/2026 and 2026-04-01 are the same date."""
        params = {"from": "1/4/2026", "to": "30/06/2026"}
        assert page_rows(sm_client, params, [north, south]) == expected_page_rows()

    def test_trend_table_and_chart_data(self, sm_client, dataset):
        """The trend's table carries the figures the chart draws (json_script), with an accessible canvas."""
        response = sm_client.get(reverse("compliance_dashboard"), PERIOD)
        chart = response.context["trend_chart"]
        assert chart["labels"][-3:] == ["Apr 2026", "May 2026", "Jun 2026"]
        assert chart["values"][-3:] == [75.0, 50.0, 0.0]  # by hand: 3/4, 2/4, 0/2
        rows = {r["cells"][0]: r["cells"][1:] for r in tables(response)["trend-table"][1:]}
        assert rows["April 2026"] == ["4", "3", "1", "0", "0", "75.0%"]
        assert rows["June 2026"] == ["3", "0", "0", "2", "1", "0.0%"]
        assert rows["January 2026"] == ["0", "0", "0", "0", "0", "–"]
        html = response.content.decode()
        assert 'id="compliance-trend-data"' in html
        assert 'role="img"' in html and "Highest 100.0% in Mar 2026, lowest 0.0% in Jun 2026" in html
        assert "js/chart.umd.min.js" in html and "js/compliance-chart.mjs" in html

    def test_trend_filtered_by_team_and_code(self, sm_client, dataset, north, south):
        """The trend for South's assetplus.due: April met late, May met, June overdue."""
        response = sm_client.get(
            reverse("compliance_dashboard"), {**PERIOD, "trend_team": south.pk, "trend_code": "assetplus.due"}
        )
        assert response.context["trend_chart"]["values"][-3:] == [0.0, 100.0, 0.0]
        # The figures are the whole service's, whatever the trend shows.
        trend = {"trend_team": south.pk, "trend_code": "assetplus.due"}
        assert page_rows(sm_client, {**PERIOD, **trend}, [north, south]) == expected_page_rows()

    def test_caseload_profile(self, sm_client, north, south, case_manager, team_manager):
        """Open children by programme, level (with not assessed), MAPPA, looked after, girls, ethnicity."""
        a = ChildFactory(team=north, gender_identity="female", looked_after=True, ethnicity="White British")
        a.rosh, a.saw, a.lor = "high", "", "low"
        a.save()
        b = ChildFactory(
            team=south, gender_identity="male", ethnicity="Not stated", rosh="low", saw="low", lor=""
        )
        ChildFactory(team=south, gender_identity="female", ethnicity="", rosh="", saw="", lor="")
        closed = ChildFactory(
            team=north, gender_identity="female", looked_after=True, ethnicity="Black African"
        )
        closed.is_open = False
        closed.save()
        ProgrammeFactory(child=a, kind=Programme.Kind.YRO, start_date=D(2026, 1, 5))
        ProgrammeFactory(child=a, kind=Programme.Kind.REFERRAL_ORDER, start_date=D(2026, 2, 2))
        ProgrammeFactory(child=b, kind=Programme.Kind.YRO, start_date=D(2026, 1, 5), end_date=D(2026, 3, 1))
        mappa_services.mappa_record_create(
            child=a,
            user=team_manager,
            criterion=Criterion.SCH15_CUSTODY,
            offence="Robbery",
            identified_on=D(2026, 3, 1),
            level=2,
            custody_months=18,
        )
        p = sm_client.get(reverse("compliance_dashboard"), PERIOD).context["profile"]
        assert p.open_children == 3  # a, b and the third; the closed child is not counted
        assert p.looked_after == 1 and p.girls == 2
        assert p.programmes == [("Referral Order", 1), ("Youth Rehabilitation Order", 1)]  # b's YRO ended
        assert p.no_programme == 2
        assert p.level_rows == [
            ("Low", [1, 1, 1]),
            ("Medium", [0, 0, 0]),
            ("High", [1, 0, 0]),
            ("Very high", [0, 0, 0]),
            ("Not assessed", [1, 2, 2]),
        ]
        assert p.mappa.total == 1
        assert p.mappa.rows[1] == ("Category 2: violent or other sexual offender", [0, 1, 0, 0], 1)
        assert p.ethnicity == [("White British", 1)]
        assert p.ethnicity_not_recorded == 2  # blank and "Not stated" together

    def test_overdue_supervisions_and_unallocated(
        self, sm_client, dataset, case_manager, team_manager, north
    ):
        """The supervision chain's overdue supervisions (worker, supervisor, days overdue) and unallocated
        children with days waiting."""
        with time_machine.travel(NOW, tick=False):
            waiting = ChildFactory(team=north, case_manager=None, first_name="Una", last_name="Waiting")
            response = sm_client.get(reverse("compliance_dashboard"), PERIOD)
        rows = tables(response)["supervision-table"][1:]
        assert len(rows) == 1  # the outsider's supervision was met
        worker, team, supervisor, what, due, days = rows[0]["cells"]
        assert worker.startswith(case_manager.get_full_name()) and team == "North locality team"
        assert supervisor == team_manager.get_full_name()
        assert due == "Overdue 29 May 2026" and days == "47"  # 29 May to 15 July
        html = response.content.decode()
        assert reverse("supervision_worker", args=[case_manager.pk]) in html
        assert [r.pk for r in response.context["unallocated_rows"]] == [waiting.pk]
        assert escape(waiting.full_name) in html


@pytest.mark.django_db
class TestExports:
    def test_csv_is_the_hand_worked_figures(self, sm_client, dataset):
        """The CSV: the columns asked for, then exactly the page's lines, formula-safe."""
        response = sm_client.get(reverse("compliance_export_csv"), PERIOD)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="compliance-2026-04-01-to-2026-06-30.csv"' in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == HEADER
        assert [tuple(r) for r in rows[1:]] == [tuple(str(v) for v in line) for line in EXPECTED]

    def test_xlsx_is_the_hand_worked_figures(self, sm_client, dataset):
        """The XLSX: the same header and lines, numbers as numbers, blank where no percentage."""
        from openpyxl import load_workbook

        response = sm_client.get(reverse("compliance_export_xlsx"), PERIOD)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADER
        expected = [
            (*line[:8], float(line[8]) if line[8] else None) for line in EXPECTED
        ]  # the same literal figures
        assert [tuple(r) for r in rows[1:]] == expected

    def test_exports_match_the_page(self, sm_client, dataset, north, south):
        """The CSV carries exactly the figures the page shows (all teams, and each team's)."""
        page = page_rows(sm_client, PERIOD, [north, south])
        rows = list(
            csv.reader(
                io.StringIO(
                    sm_client.get(reverse("compliance_export_csv"), PERIOD).content.decode("utf-8-sig")
                )
            )
        )
        exported = {(code, team, *map(int, figures), pct) for code, _t, team, *figures, pct in rows[1:]}
        assert exported == page

    def test_formula_safe(self, sm_client, north, case_manager):
        """A team name or title starting with "=" is text in both files, never a formula."""
        north.name = '=HYPERLINK("http://x")'
        north.save()
        child = ChildFactory(team=north, case_manager=case_manager)
        obligation(child=child, code="assetplus.due", due=D(2026, 5, 1), status="met", title="+cmd|calc")
        text = sm_client.get(reverse("compliance_export_csv"), PERIOD).content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'+cmd|calc" in text
        from openpyxl import load_workbook

        sheet = load_workbook(
            io.BytesIO(sm_client.get(reverse("compliance_export_xlsx"), PERIOD).content)
        ).active
        cells = [c.value for row in sheet.iter_rows() for c in row]
        assert "'+cmd|calc" in cells and not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    def test_invalid_period_is_a_400_not_a_500(self, sm_client):
        """An export with a wrong period says what is wrong."""
        response = sm_client.get(reverse("compliance_export_csv"), {"from": "2026-07-01", "to": "2026-06-01"})
        assert response.status_code == 400
        assert "The end date must be the same as or after the start date" in response.content.decode()


@pytest.mark.django_db
class TestDrilldown:
    def _get(self, client, **params):
        return client.get(reverse("compliance_drilldown"), {**PERIOD, **params})

    def test_lists_exactly_the_obligations_behind_a_figure(self, sm_client, dataset, north, case_manager):
        """North, still overdue: A's CMM (linked to A's "What is due") and the case manager's supervision
        (linked to their supervision page); nobody else."""
        response = self._get(sm_client, code="all", team=north.pk, status="overdue")
        assert response.status_code == 200
        rows = tables(response)["drilldown"][1:]
        assert len(rows) == 2
        html = response.content.decode()
        assert reverse("child_obligations", args=[dataset["a"].pk]) in html
        assert reverse("supervision_worker", args=[case_manager.pk]) in html
        assert escape(dataset["a"].full_name) in html and dataset["a"].case_number in html
        for other in ("b", "c", "d"):
            assert escape(dataset[other].full_name) not in html
        assert "Still overdue: all obligation types, North locality team" in html

    def test_a_code_and_team(self, sm_client, dataset, south):
        """South's assetplus.due (3): C once, D twice, with their statuses."""
        response = self._get(sm_client, code="assetplus.due", team=south.pk, status="due")
        names = [r["cells"][0] for r in tables(response)["drilldown"][1:]]
        c, d = dataset["c"], dataset["d"]
        assert names == [
            f"{d.full_name} {d.case_number}",  # 20 April, met late
            f"{d.full_name} {d.case_number}",  # 2 May, met
            f"{c.full_name} {c.case_number}",  # 1 June, overdue
        ]
        heading = (
            "Due: AssetPlus assessment completed; AssetPlus assessment completed (BSS), South locality team"
        )
        assert heading in response.content.decode()
        statuses = [r["cells"][-1] for r in tables(response)["drilldown"][1:]]
        assert statuses == ["Met late 28 Apr 2026", "Met 1 May 2026", "Overdue"]

    def test_closed_child_is_listed(self, sm_client, dataset, north):
        """Closed children's obligations count, so the drill-down lists them (marked closed)."""
        response = self._get(sm_client, code="assetplus.due", team=north.pk, status="met")
        html = response.content.decode()
        assert escape(dataset["b"].full_name) in html and "Case closed" in html

    def test_each_count_equals_its_rows(self, sm_client, dataset, north, south):
        """Every linked figure on the dashboard (all teams, and each team's) opens a drill-down with that
        many rows."""
        dashboard = sm_client.get(reverse("compliance_dashboard"), PERIOD)
        lines = [*dashboard.context["code_lines"], *dashboard.context["report"].teams]
        lines.append(dashboard.context["report"].overall)
        for team in (north, south):
            lines += sm_client.get(reverse("compliance_dashboard"), {**PERIOD, "team": team.pk}).context[
                "code_lines"
            ]
        checked = 0
        for line in lines:
            for cell in line.cells:
                if not cell["href"]:
                    assert cell["count"] == 0
                    continue
                params = {k: v[0] for k, v in parse_qs(urlparse(cell["href"]).query).items()}
                response = sm_client.get(reverse("compliance_drilldown"), params)
                assert response.context["page"].paginator.count == cell["count"]
                checked += 1
        assert checked == 45  # the non-zero counts in EXPECTED, by hand: 2+4+4 +2+2+3 +2+2+3 +2+2+3 +4+5+5

    def test_view_is_audited(self, sm_client, dataset, north, service_manager):
        """The drill-down lists children, so looking at it is audited with the figure viewed."""
        self._get(sm_client, code="all", team=north.pk, status="overdue")
        entry = AuditEntry.objects.get(user=service_manager, action=AuditEntry.Action.VIEW)
        assert entry.object_type == "obligation"
        assert entry.description == (
            "Viewed the compliance drill-down (Still overdue: all obligation types, North locality team, "
            "due 01/04/2026 to 30/06/2026): 2 obligations"
        )
        assert entry.path.startswith(reverse("compliance_drilldown"))

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"status": "lost"}, "Choose one of the dashboard&#x27;s figures"),
            ({"status": ""}, "Choose a figure"),
            ({"status": "due", "team": "999999"}, "There is no such team"),
            ({"status": "due", "team": "north"}, "There is no such team"),
            ({"status": "due", "code": "<script>"}, "There is no such obligation type"),
            ({"status": "due", "from": "2026-02-30"}, "The start date must be a real date"),
            (
                {"status": "due", "from": "2026-07-01"},
                "The end date must be the same as or after the start date",
            ),
            ({"status": "due", "to": ""}, "Enter the end date"),
        ],
    )
    def test_invalid_parameters_get_a_message(self, sm_client, dataset, params, message):
        """A wrong link gets a clear message (400), never a 500, and records no audit entry."""
        response = self._get(sm_client, **params)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html and "This compliance figure cannot be shown" in html
        assert not AuditEntry.objects.exists()

    def test_paginates(self, sm_client, north, case_manager):
        """Fifty to a page."""
        child = ChildFactory(team=north, case_manager=case_manager)
        for i in range(55):
            obligation(
                child=child,
                code="contact.fortnightly",
                due=D(2026, 4, 1) + datetime.timedelta(days=i),
                status="met",
            )
        first = self._get(sm_client, status="met")
        assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 2
        second = self._get(sm_client, status="met", page="2")
        assert len(second.context["rows"]) == 5


def _more(n, *, teams, manager, tm, start=0):
    """n more children (and their obligations, programmes, MAPPA records) and workers with overdue
    supervision, spread over the teams."""
    for i in range(n):
        team = teams[i % len(teams)]
        child = ChildFactory(team=team, case_manager=manager if i % 3 else None, looked_after=bool(i % 2))
        for code, status, day in (
            ("assetplus.due", "met", 3),
            ("plan.intervention", "overdue", 9),
            ("cmm.risk_review", "open", 20),
        ):
            obligation(child=child, code=code, due=D(2026, 4 + i % 3, day), status=status)
        ProgrammeFactory(child=child, kind=Programme.Kind.YRO if i % 2 else Programme.Kind.REFERRAL_ORDER)
        if i % 4 == 0:
            MappaRecord.objects.create(
                child=child,
                category=3,
                criterion=Criterion.OTHER_DANGEROUS,
                identified_on=D(2026, 3, 1),
                current_level=1 + i % 3,
                recorded_by=tm,
            )
        worker = UserFactory(username=f"w{start + i}", role=Role.CASE_MANAGER, team=team, line_manager=tm)
        obligation(worker=worker, code="supervision.staff", due=D(2026, 5, 1 + i % 20), status="overdue")


@pytest.mark.django_db
class TestQueries:
    def _count(self, client, name, params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize(
        "name, extra",
        [
            ("compliance_dashboard", {}),
            ("compliance_drilldown", {"status": "due"}),
            ("compliance_drilldown", {"status": "met_late", "code": "plan.intervention"}),
            ("compliance_export_csv", {}),
            ("compliance_export_xlsx", {}),
        ],
    )
    def test_constant_whatever_the_data(
        self, sm_client, dataset, north, south, case_manager, team_manager, name, extra
    ):
        """A few rows or many more (children, obligations, teams, MAPPA, supervisions): the same queries."""
        params = {**PERIOD, **extra}
        ChildFactory(team=north, case_manager=None)  # an unallocated child, so that list is not empty
        self._count(sm_client, name, params)
        few = self._count(sm_client, name, params)
        from demo.factories import TeamFactory

        west = TeamFactory(name="West locality team")
        _more(12, teams=[north, south, west], manager=case_manager, tm=team_manager)
        # The first read after the change recounts the roll-up's stale months (a few queries however
        # many months: tests/dashboards/test_rollup.py); every read after costs what it did.
        self._count(sm_client, name, params)
        assert self._count(sm_client, name, params) == few


@pytest.mark.django_db
def test_a_real_programme_shows_up_in_the_right_figure(sm_client, north, case_manager):
    """End to end: a YRO recorded 6 April 2026 and refreshed by the rules module on 20 June has its
    AssetPlus gatekeeping (due 23 April, 001 §6 table: YRO) still overdue: North's overdue figure for
    assetplus.gatekeep is 1, and its drill-down lists the child."""
    child = ChildFactory(team=north, case_manager=case_manager)
    ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2026, 4, 6), length_months=12)
    child_obligations_refresh(child_id=child.pk, as_of=D(2026, 6, 20))
    stored = Obligation.objects.get(child=child, code="assetplus.gatekeep")
    assert (stored.due, stored.status) == (D(2026, 4, 23), "overdue")
    response = sm_client.get(reverse("compliance_dashboard"), {**PERIOD, "team": north.pk})
    block = next(b for b in response.context["report"].codes if b.code == "assetplus.gatekeep")
    (line,) = block.teams  # the page reads the chosen team's line only (dashboard_figures)
    assert (line.team_name, line.figures.due, line.figures.overdue) == ("North locality team", 1, 1)
    drill = sm_client.get(
        reverse("compliance_drilldown"),
        {**PERIOD, "code": "assetplus.gatekeep", "team": north.pk, "status": "overdue"},
    )
    assert reverse("child_obligations", args=[child.pk]) in drill.content.decode()
    assert drill.context["page"].paginator.count == 1


@pytest.mark.django_db
class TestTeamChoice:
    def test_a_team_with_nothing_due(self, sm_client, dataset, service_manager):
        """The service management team had nothing due: the page says so."""
        response = sm_client.get(reverse("compliance_dashboard"), {**PERIOD, "team": service_manager.team_id})
        assert "No obligations fell due in this period for Service management" in response.content.decode()

    @pytest.mark.parametrize("param", ["team", "trend_team", "trend_code"])
    def test_an_unknown_choice_shows_everything(self, sm_client, dataset, param):
        """A team or obligation type not in the lists is ignored (all teams, all types), never a 500."""
        response = sm_client.get(reverse("compliance_dashboard"), {**PERIOD, param: "999999"})
        assert response.status_code == 200
        assert response.context["selection"][param] == "all"
        assert "govuk-error-summary" not in response.content.decode()

    def test_each_form_keeps_the_others_choices(self, sm_client, dataset, north, south):
        """Choosing a team for the table keeps the trend's choices and the period, and the other way round."""
        params = {**PERIOD, "team": north.pk, "trend_team": south.pk, "trend_code": "assetplus.due"}
        html = sm_client.get(reverse("compliance_dashboard"), params).content.decode()
        assert f'<input type="hidden" name="trend_team" value="{south.pk}">' in html
        assert '<input type="hidden" name="trend_code" value="assetplus.due">' in html
        assert f'<input type="hidden" name="team" value="{north.pk}">' in html
        assert '<input type="hidden" name="from" value="2026-04-01">' in html
