"""Pages on a phone-width screen (412 px, issue 20): the content does not jump when the JavaScript
collapses the navigation behind "Menu" (cumulative layout shift measured by Chromium itself, "good" is
below 0.1), nothing is wider than the screen, and the menu still opens and closes by keyboard."""

import time

import pytest
from playwright.sync_api import expect

from cases.models import Role
from demo.factories import ChildFactory, UserFactory

from .conftest import CSP_LISTENER, assert_accessible
from .test_case_work import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The layout shift of the page as loaded, from Chromium's own layout-shift entries (as Lighthouse counts
# them, without shifts right after input).
LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(total), 300)));
})
"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone(browser):
    """A phone-sized page (412 x 915, touch), failing on CSP violations like the desktop one."""
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, device_scale_factor=1
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()

    def slow_script(route):
        """The JavaScript arrives after the first paint, as on a phone's connection (Lighthouse's
        throttling): what the page draws before it runs must already be the collapsed menu."""
        time.sleep(0.4)
        route.continue_()

    page.route("**/static/js/**", slow_script)
    yield page
    context.close()


def test_no_layout_shift_or_overflow_on_a_phone(live_server, phone, north, team_manager):
    """A team manager's pages at 412 px: layout shift below 0.1, no sideways scrolling; the menu opens."""
    manager = UserFactory(username="tm.phone", role=Role.TEAM_MANAGER, team=north)
    manager.set_password(PASSWORD)
    manager.save()
    child = ChildFactory(team=north, case_manager=team_manager, first_name="Sam", last_name="Phonetest")
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_label("Username").fill("tm.phone")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(lambda url: "/sign-in/" not in url)
    problems, measured = [], []
    for path in (
        "/my-work/",
        "/caseload/",
        f"/children/{child.pk}/",
        f"/children/{child.pk}/meetings/",
        "/notifications/",
        "/team/",
        "/policy-timescales/",
    ):
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state("load")
        shift = phone.evaluate(LAYOUT_SHIFT)
        overflow = phone.evaluate(OVERFLOW)
        measured.append(f"{path} {shift:.3f}")
        if shift >= 0.1:
            problems.append(f"{path}: layout shift {shift:.3f}")
        if overflow > 0:
            problems.append(f"{path}: {overflow} px wider than the screen")
    print("\nlayout shift at 412 px:", ", ".join(measured))
    assert not problems, "\n".join(problems)
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    # The service navigation's own link (the policy page's group also lists My work below it, issue 20).
    my_work = phone.get_by_role("navigation", name="Menu").get_by_role("link", name="My work")
    expect(my_work).to_be_hidden()
    menu.focus()
    phone.keyboard.press("Enter")
    expect(my_work).to_be_visible()
    assert_accessible(phone)
