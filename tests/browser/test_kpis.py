"""Issue 21 in a real browser, with axe-core on every page: the service manager opens the KPI page from
the navigation, reads KPI 1 for July to September 2026 (the hand-worked dataset), opens the children
behind its start numerator, and follows one to the child's record; the quarterly return lists its gaps."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.kpis.conftest import _hand_written_snapshots_only  # noqa: F401 (autouse: the hand-worked snapshots)
from tests.kpis.dataset import build_dataset

from .conftest import assert_accessible
from .test_case_work import PASSWORD, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOW = datetime.datetime(2026, 11, 4, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def test_service_manager_drills_from_a_kpi_to_a_child(
    live_server, page, service_manager, north, south, case_manager
):
    """KPI page -> KPI 1's start numerator -> the two children behind it -> Amara's record."""
    with time_machine.travel(NOW, tick=True):
        kids = build_dataset(north=north, south=south, recorder=case_manager)
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("sm")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in/" not in url)
        page.get_by_role("link", name="KPIs", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Key performance indicators")
        expect(page.locator("#figures")).to_contain_text("July to September 2026")
        expect(page.locator("#figures")).to_contain_text("2026/27 Q2")
        row = page.locator('#kpi-1-table tr[data-measure="1.suitable"]')
        # "2 of 3", each count a link named for screen readers by what it counts.
        counts = row.locator('td[data-point="start"]').first
        expect(counts.get_by_role("link")).to_have_text(
            [re.compile(r"^2 children in suitable"), re.compile(r"^3 children whose")]
        )
        expect(row.locator('td[data-point="start"]').nth(1)).to_have_text("66.7%")
        # The tabs: by team shows North's 1 of 2.
        page.get_by_role("tab", name="By team").first.click()
        north_row = page.locator("#kpi-1-team-table tr", has_text="North locality team")
        expect(north_row.locator("td").first).to_contain_text("(50.0%)")
        expect(page.get_by_role("img", name="Trend: Suitable accommodation")).to_be_visible()
        expect(page.locator("#trend-table")).to_contain_text("July to September 2026")
        assert_accessible(page)
        shot(page, "90-kpi-page")

        page.get_by_role("tab", name="All children").first.click()
        row.locator('td[data-point="start"] a').first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "Suitable accommodation: children in suitable accommodation"
        )
        rows = page.locator("#drilldown tbody tr")
        expect(rows).to_have_count(2)
        expect(page.locator("#drilldown")).not_to_contain_text("Bilal")
        assert_accessible(page)
        shot(page, "91-kpi-drilldown")

        page.locator("#drilldown").get_by_role("link", name="Kpitest, Amara").click()
        page.wait_for_url(f"{live_server.url}/children/{kids['amara'].pk}/")
        expect(page.locator("body")).to_contain_text("YJ700001")
        assert_accessible(page)

        page.go_back()
        page.get_by_role("link", name="Back to the key performance indicators").click()
        page.get_by_role("link", name="Quarterly return").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Quarterly return")
        expect(page.locator("#quality")).to_contain_text("No ethnicity recorded")
        expect(page.locator("#quality")).to_contain_text("Victim not asked about consent to contact")
        assert_accessible(page)
        shot(page, "92-kpi-return")
