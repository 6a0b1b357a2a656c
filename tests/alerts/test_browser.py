"""The notification pages in a real browser, with axe-core on every page visited."""

import pytest
from playwright.sync_api import expect

from alerts.services import alerts_raise
from demo.factories import ChildFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_case_work import shot, sign_in

from .helpers import D, london, obligation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notifications_journey(live_server, page, north, case_manager, team_manager, child):
    """The case manager sees the unread count in the header, opens an alert (landing where the work is
    done), marks the rest read, and chooses email only about overdue work; the team manager sees the
    overdue work of their team and their report's supervision."""
    other = ChildFactory(team=north, case_manager=case_manager, first_name="Jordan", last_name="O'Neill")
    obligation(child=child, code="plan.action", title="Action plan completed", due=D(2025, 3, 4))
    obligation(
        child=other, code="cmm.compliance", title="Compliance CMM held", due=D(2025, 2, 27), status="overdue"
    )
    obligation(worker=case_manager, code="supervision.staff", title="Supervision held", due=D(2025, 3, 5))
    alerts_raise(now=london(2025, 3, 3, 6, 0))

    sign_in(page, live_server, "cm")
    page.goto(f"{live_server.url}/notifications/")
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Jordan O'Neill YJ", exact=False)).to_be_visible()
    assert_accessible(page)
    shot(page, "alerts-01-notifications")

    page.get_by_role("link", name="Action plan completed for Alex Testchild").click()
    page.wait_for_url(f"**/children/{child.pk}/plans/")
    page.goto(f"{live_server.url}/notifications/?show=unread")
    expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notification marked as read")).to_be_visible()
    expect(page.get_by_text("You have no unread notifications")).to_be_visible()
    assert_accessible(page)
    shot(page, "alerts-02-all-read")

    page.get_by_role("link", name="Choose what you get by email").click()
    expect(page.get_by_text("Overdue work cannot be switched off")).to_be_visible()
    assert_accessible(page)
    shot(page, "alerts-03-settings")
    page.get_by_label("No digest: email me only about overdue work").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved")).to_be_visible()
    case_manager.refresh_from_db()
    assert case_manager.email_preference == "overdue_only"

    page.context.clear_cookies()
    sign_in(page, live_server, "tm")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text("Overdue in your team").first).to_be_visible()
    # Their report's supervision is theirs to arrange and record (000 §4.1).
    expect(page.get_by_role("link", name="Supervision held", exact=False).first).to_be_visible()
    assert_accessible(page)
    shot(page, "alerts-04-team-manager")
