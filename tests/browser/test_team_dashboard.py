"""Issue 8 in a real browser: a team manager signs in to their team's dashboard, follows a worker's overdue
figure to the items behind it, and opens a child, with axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Assessment, Obligation, Programme, RiskLevel
from demo.factories import ChildFactory, ProgrammeFactory

from .conftest import assert_accessible
from .test_case_work import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _obligation(child, code, title, due, status):
    return Obligation.objects.create(
        child=child, code=code, title=title, due=due, status=status, basis="001 §6", position=0,
        as_of=timezone.localdate(),
    )  # fmt: skip


def test_team_manager_drills_into_overdue_work(
    live_server, page, team_manager, case_manager, colleague, north
):
    """Sign in, land on the team dashboard, open the case manager's overdue items, then one child."""
    today = timezone.localdate()
    held = ChildFactory(team=north, case_manager=case_manager, first_name="Robin", last_name="Overduetest",
                        rosh=RiskLevel.HIGH)  # fmt: skip
    other = ChildFactory(team=north, case_manager=colleague, first_name="Sam", last_name="Ontimetest")
    waiting = ChildFactory(team=north, case_manager=None, first_name="Jo", last_name="Waitingtest")
    ProgrammeFactory(child=waiting, kind=Programme.Kind.YRO, start_date=today - datetime.timedelta(days=6))
    _obligation(
        held, "assetplus.due", "AssetPlus assessment completed", today - datetime.timedelta(days=4), "overdue"
    )
    _obligation(
        held, "cmm.risk_review", "CMM to review RoSH/SaW held", today - datetime.timedelta(days=1), "overdue"
    )
    _obligation(
        other, "cmm.risk_review", "CMM to review RoSH/SaW held", today + datetime.timedelta(days=9), "open"
    )
    Assessment.objects.create(
        child=other, author=colleague, stage=Assessment.Stage.REVIEW, status=Assessment.Status.AWAITING_SIGN_OFF,
        sign_off_by=Assessment.SignOff.MANAGER, assigned_to=team_manager,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip

    sign_in(page, live_server, team_manager.username)
    expect(page).to_have_url(f"{live_server.url}/dashboards/team/")
    expect(page.get_by_role("heading", name="North locality team")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Caseload by worker"))).to_be_visible()
    # Issue 20: the detail is in sections a person opens; the contents list jumps to one and opens it.
    allocate = page.get_by_role("link", name=re.compile(r"^Jo Waitingtest\s*: allocate"))
    expect(allocate).to_be_hidden()
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Unallocated children"
    ).click()
    expect(allocate).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Unallocated children"))).to_have_attribute(
        "aria-expanded", "true"
    )
    assert_accessible(page)
    shot(page, "team-dashboard")

    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Overdue items by worker and by type"
    ).click()
    by_worker = page.get_by_role("table", name="Overdue by worker")
    by_worker.get_by_role("link", name=f"2 overdue for {case_manager.get_full_name()}").click()
    page.wait_for_url(re.compile(rf"worker={case_manager.pk}"))
    expect(page.get_by_role("heading", name=re.compile("^Overdue items: "))).to_be_visible()
    items = page.get_by_role("table", name=re.compile("^Overdue items: "))
    expect(items.locator("tbody tr")).to_have_count(2)
    expect(items).to_contain_text("AssetPlus assessment completed")
    expect(items).not_to_contain_text("Ontimetest")
    assert_accessible(page)
    shot(page, "team-dashboard-overdue-by-worker")

    items.get_by_role("link", name="Robin Overduetest").first.click()
    page.wait_for_url(f"{live_server.url}/children/{held.pk}/")
    expect(page.locator(".moj-identity-bar")).to_be_visible()
    assert_accessible(page)
    shot(page, "team-dashboard-child")
