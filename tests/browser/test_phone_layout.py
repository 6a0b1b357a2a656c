"""Every role's main pages on a phone (412 px; at 768 px, a tablet, each role's first four), issue 20: the content does not jump
while the page loads (cumulative layout shift measured by Chromium itself, as Lighthouse counts it: "good"
is below 0.1), nothing is wider than the screen, axe-core finds nothing (WCAG 2.2 target size included),
and the collapsed menu opens and closes by keyboard.

The pages are the demo's, as `make demo` seeds it on a fixed day (test_readme_walks.py), signed in as each
role's demo user: the case manager's home, caseload, a child's page and each of its tabs, the event form,
a CMM record and a supervision record they can open; the team manager's and the advanced practitioner's
dashboard, meetings, supervision and sign-off pages; the service manager's dashboards, audit log,
retention list and staff pages (benchmarks/pages.py lists the pages each role uses most, all here too).
"""

import time

import pytest
from playwright.sync_api import expect

from cases.models import Child, User
from meetings.models import Meeting
from supervision.models import CaseDiscussion, SupervisionSession

from .conftest import CSP_LISTENER, _is_csp_violation, assert_accessible
from .test_case_work import shot, sign_in
from .test_readme_walks import act, demo  # noqa: F401 (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The layout shift of the page as loaded, from Chromium's own layout-shift entries (as Lighthouse counts
# them, without shifts right after input), each with what moved, to say where a shift comes from.
LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let total = 0;
  const moved = [];
  const name = (node) => node && node.nodeType === 1
    ? node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") + (node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\\s+/).join(".") : "")
    : String(node && node.nodeName);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      total += entry.value;
      moved.push(entry.value.toFixed(3) + " " + entry.sources.map((s) => name(s.node)).join(", "));
    }
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve({total, moved}), 500)));
})
"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The compliance dashboard's still-overdue children in its default period on the demo's day (the last
# three full months before test_readme_walks.NOW), as its figures link to them.
DRILL_DOWN = "/dashboards/compliance/children/?code=all&team=all&from=2026-09-01&to=2026-11-30&status=overdue"
WIDTHS = [412, 768]  # a phone, a tablet
TABLET_ALL_FROM, TABLET_PAGES = 640, 4  # at tablet width, the first four main pages of each role
GOOD_CLS = 0.1  # Lighthouse's and Web Vitals' "good" cumulative layout shift
ROLES = ["cm.north.1", "tm.north", "ap.north", "sm", "admin"]


def _child_pages(child: int) -> list[str]:
    """A child's page and each of its tabs a case manager or manager sees, and the event form."""
    tabs = (
        "", "due/", "programmes/", "assessments/", "plans/", "contacts/", "meetings/", "oversight/",
        "transfers/", "court/", "mappa/", "allocation/", "details/", "events/new/",
    )  # fmt: skip
    return [f"/children/{child}/{tab}" for tab in tabs]


def main_pages() -> dict[str, list[str]]:
    """{demo username: [path, ...]}: each role's main pages in the seeded demo (see the module's text)."""
    users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    cm, tm, ap = users["cm.north.1"], users["tm.north"], users["ap.north"]
    stonegate = Child.objects.get(case_number="YJ900003")  # cm.north.1's DTO (README)
    brindley = Child.objects.get(case_number="YJ900008")  # a North CMM case (README)
    meeting = Meeting.objects.filter(case_manager=cm).exclude(status=Meeting.Status.CANCELLED).first()
    chaired = Meeting.objects.filter(chair=tm, status=Meeting.Status.HELD).first()
    session = SupervisionSession.objects.filter(supervisee=cm).order_by("-pk").first()
    draft = SupervisionSession.objects.filter(supervisor=tm, status=SupervisionSession.Status.DRAFT).first()
    discussion = CaseDiscussion.objects.filter(worker=cm).order_by("-pk").first()
    assert meeting and chaired and session and draft and discussion, "the demo's CMMs, sessions, discussion"
    return {
        cm.username: [
            "/my-work/", "/caseload/", *_child_pages(stonegate.pk),
            f"/children/{meeting.child_id}/meetings/{meeting.pk}/",
            f"/children/{discussion.child_id}/oversight/discussions/{discussion.pk}/",
            f"/supervision/sessions/{session.pk}/", "/notifications/", "/meetings/", "/sign-off/", "/leave/",
            "/court/", "/transfers/", "/policy-timescales/", "/account/",
        ],
        tm.username: [
            "/dashboards/team/", "/my-work/", "/caseload/", "/meetings/",
            f"/children/{chaired.child_id}/meetings/{chaired.pk}/record/",
            f"/children/{brindley.pk}/meetings/book/", "/supervision/", f"/supervision/staff/{cm.pk}/",
            f"/supervision/staff/{cm.pk}/record/", f"/supervision/sessions/{session.pk}/",
            f"/supervision/sessions/{draft.pk}/edit/", "/sign-off/", "/leave/", f"/children/{brindley.pk}/",
            f"/children/{brindley.pk}/allocation/", "/transfers/", "/notifications/",
        ],
        ap.username: [
            "/dashboards/team/", "/my-work/", "/sign-off/", "/caseload/", f"/children/{brindley.pk}/meetings/",
            "/meetings/", "/notifications/",
        ],
        "sm": [
            "/dashboards/compliance/", DRILL_DOWN, "/caseload/", f"/children/{stonegate.pk}/",
            f"/children/{stonegate.pk}/subject-access/", "/audit/", "/retention/", "/staff/changes/",
            "/staff/sign-in/", f"/staff/{cm.pk}/sign-in/", "/mappa/", "/notifications/",
        ],
        "admin": ["/caseload/", "/staff/changes/", "/staff/sign-in/", "/account/"],
    }  # fmt: skip


@pytest.fixture
def narrow(browser, width):
    """A browser context this wide (a phone at 412 px), whose JavaScript arrives after the first paint
    as on a phone's connection (Lighthouse's throttling): what the page draws before the script runs
    must already be what it shows after. Fails the test on CSP violations, like conftest's `page`."""
    context = browser.new_context(
        viewport={"width": width, "height": 915 if width < 640 else 1024},
        is_mobile=width < 640,
        has_touch=True,
        device_scale_factor=1,
    )
    context.add_init_script(CSP_LISTENER)
    violations: list[str] = []
    context.on("console", lambda message: _is_csp_violation(message.text) and violations.append(message.text))

    def slow_script(route):
        time.sleep(0.4)
        route.continue_()

    context.route("**/static/js/**", slow_script)
    yield context
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_every_roles_main_pages_hold_still(width, live_server, demo, narrow):  # noqa: F811
    """Each role's main pages at this width: layout shift below 0.1, nothing wider than the screen,
    axe-core clean with WCAG 2.2 target size. Every problem on every page is reported at once."""
    problems, measured = [], []
    for username, paths in main_pages().items():
        if width >= TABLET_ALL_FROM:
            # A tablet lays out as a narrow desktop: each role's first pages stand for the rest (their
            # templates are the ones the phone run checks in full), which keeps the suite's time down.
            paths = paths[:TABLET_PAGES]
        narrow.clear_cookies()  # signed out: the next role signs in afresh
        page = narrow.new_page()
        act(page, live_server.url, {"user": username})
        page.wait_for_url(lambda url: "/sign-in/" not in url)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            if response.status != 200:
                problems.append(f"{username} {path}: {response.status}")
                continue
            page.wait_for_load_state("load")
            shift = page.evaluate(LAYOUT_SHIFT)
            measured.append(f"{username} {path} {shift['total']:.3f}")
            if shift["total"] >= GOOD_CLS:
                problems.append(f"{username} {path}: layout shift {shift['total']:.3f} {shift['moved']}")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{username} {path}: {overflow} px wider than {width} px")
            try:
                assert_accessible(page, target_size=True)
            except AssertionError as found:
                problems.append(f"{username} {path}: {found}")
            shot(page, f"{width}-{username}-{path.strip('/').replace('/', '-') or 'home'}")
        page.close()
    print(f"\nlayout shift at {width} px:", ", ".join(measured))
    assert problems == []


def test_the_menu_opens_by_keyboard_on_a_phone(live_server, browser, child, case_manager):
    """At 412 px the navigation is behind "Menu"; Enter opens it, and Enter again closes it."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    sign_in(page, live_server, case_manager.username)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    caseload = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload")
    expect(caseload).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(caseload).to_be_visible()
    assert_accessible(page, target_size=True)
    page.keyboard.press("Enter")
    expect(caseload).to_be_hidden()
    context.close()
