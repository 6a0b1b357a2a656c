"""Issue 8 in a real browser, with axe-core on every page visited.

The service manager signs in and lands on the compliance dashboard (the trend drawn by Chart.js over its
table), clicks North's still-overdue figure, sees the obligations behind it, clicks the child and lands
on the child's "What is due" page showing the overdue obligation.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Obligation
from dashboards.compliance.figures import default_period
from demo.factories import ChildFactory

from .conftest import assert_accessible
from .test_case_work import PASSWORD, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _obligation(*, child=None, worker=None, code, title, due, status, today, met_on=None):
    """A stored obligation, as the rules module writes it."""
    return Obligation.objects.create(
        child=child,
        worker=worker,
        code=code,
        title=title,
        due=due,
        status=status,
        met_on=met_on,
        basis="001 §6 timescales table: YRO",
        position=0,
        as_of=today,
    )


def test_service_manager_drills_down_from_an_overdue_figure(
    live_server, page, service_manager, north, south, case_manager, outsider
):
    """Dashboard -> North's overdue figure -> the drill-down -> the child's overdue obligation."""
    today = timezone.localdate()
    start, end = default_period(today=today)
    late = ChildFactory(team=north, case_manager=case_manager, first_name="Rowan", last_name="Overdue")
    fine = ChildFactory(team=south, case_manager=outsider, first_name="Sky", last_name="Ontime")
    _obligation(
        child=late,
        code="assetplus.due",
        title="AssetPlus assessment completed",
        due=start + datetime.timedelta(days=9),
        status="overdue",
        today=today,
    )
    _obligation(
        child=late,
        code="plan.intervention",
        title="Intervention plan completed",
        due=start + datetime.timedelta(days=12),
        status="met_late",
        met_on=start + datetime.timedelta(days=20),
        today=today,
    )
    _obligation(
        child=fine,
        code="assetplus.due",
        title="AssetPlus assessment completed",
        due=end,
        status="met",
        met_on=end,
        today=today,
    )
    # Earlier months, so the trend has a line to draw.
    for months_back in range(1, 9):
        due = start - datetime.timedelta(days=30 * months_back)
        _obligation(
            child=fine,
            code="contact.fortnightly",
            title="Fortnightly contact",
            due=due,
            status="met" if months_back % 3 else "met_late",
            met_on=due,
            today=today,
        )

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("sm")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboards/compliance/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compliance dashboard")
    expect(page.locator("#figures")).to_contain_text(f"{start:%-d %B %Y} to {end:%-d %B %Y}")
    # The detail is in sections a person opens (issue 20); the contents list jumps to the trend and
    # opens it. The chart is drawn (Chart.js) and named for screen readers; the table is there too.
    expect(page.locator("#trend-table")).to_be_hidden()
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Trend: % on time by month"
    ).click()
    chart = page.locator("#compliance-trend-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    assert page.evaluate("() => Boolean(window.Chart && Chart.getChart('compliance-trend-chart'))")
    expect(page.locator("#trend-table")).to_be_visible()
    assert_accessible(page)
    shot(page, "80-compliance-dashboard")

    overdue = page.locator(f'#team-totals tr[data-team="{north.pk}"] td[data-status="overdue"] a')
    expect(overdue).to_contain_text("1")
    overdue.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Still overdue: all obligation types, North locality team"
    )
    rows = page.locator("#drilldown tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("AssetPlus assessment completed")
    expect(page.locator("#drilldown")).not_to_contain_text("Ontime")
    assert_accessible(page)
    shot(page, "81-compliance-drilldown")

    page.locator("#drilldown").get_by_role("link", name="Rowan Overdue").click()
    page.wait_for_url(f"{live_server.url}/children/{late.pk}/due/")
    overdue_row = page.locator("tr", has_text="AssetPlus assessment completed")
    expect(overdue_row.first).to_contain_text("Overdue")
    assert_accessible(page)
    shot(page, "82-child-what-is-due")
