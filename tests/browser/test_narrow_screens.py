"""Issue 20 at phone (412 px) and tablet (768 px) widths, and the navigation at 1280 px: each role's main
pages are no wider than the screen (wide tables scroll in their own region), axe-core finds nothing,
WCAG 2.2 target size (2.5.8) included, and the grouped navigation fits on one line on a desktop. A case
manager's My work opens on Today, each line one action away."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Assessment, Obligation
from demo.factories import ChildFactory
from meetings.models import Meeting, MeetingKind

from .conftest import CSP_LISTENER, assert_accessible
from .test_case_work import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How far the page is wider than the screen (0 when nothing scrolls sideways).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# How many lines the service navigation's items take.
NAV_LINES = (
    "() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]"
    ".map((e) => Math.round(e.getBoundingClientRect().top))).size"
)


def _obligation(child, code, title, due, status="open"):
    return Obligation.objects.create(
        child=child, code=code, title=title, due=due, status=status, basis="001 §6.2 timescales table",
        position=0, as_of=timezone.localdate(),
    )  # fmt: skip


@pytest.fixture
def service(north, case_manager, colleague, team_manager, service_manager, administrator):
    """A team with work on every main page: children with long names, obligations due today and
    overdue, a meeting today, a stage waiting for sign-off; returns each user's pages (the case
    manager's visits come first, so the audit log has their entries)."""
    today = timezone.localdate()
    children = [
        ChildFactory(team=north, case_manager=case_manager, first_name=first, last_name="Wideness-Testington")
        for first in ("Alexandrina", "Bartholomew", "Constantine")
    ]
    for child in children:
        _obligation(child, "plan.intervention", "Intervention plan agreed with the child and parent", today)
        _obligation(
            child, "assetplus.due", "AssetPlus assessment completed", today - datetime.timedelta(days=9),
            "overdue",
        )  # fmt: skip
        _obligation(
            child, "cmm.risk_review", "CMM to review RoSH/SaW held", today + datetime.timedelta(days=3)
        )
    at_ten = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10)))
    Meeting.objects.create(
        child=children[0], kind=MeetingKind.RISK_REVIEW, status=Meeting.Status.BOOKED, starts_at=at_ten,
        case_manager=case_manager, chair=team_manager, booked_by=team_manager,
    )  # fmt: skip
    Assessment.objects.create(
        child=children[1], kind=Assessment.Kind.ASSETPLUS, stage=Assessment.Stage.INITIAL, author=case_manager,
        status=Assessment.Status.AWAITING_SIGN_OFF, sign_off_by=Assessment.SignOff.MANAGER,
        assigned_to=team_manager, submitted_at=timezone.now(),
    )  # fmt: skip
    first = children[0].pk
    return {
        case_manager.username: [
            "/my-work/", "/caseload/", f"/children/{first}/", f"/children/{first}/due/", "/notifications/",
            "/meetings/", "/sign-off/", "/leave/", "/court/", "/transfers/", "/policy-timescales/", "/account/",
        ],
        team_manager.username: ["/dashboards/team/", "/caseload/", "/meetings/", "/supervision/", "/leave/"],
        service_manager.username: [
            "/dashboards/compliance/", "/audit/", "/retention/", "/staff/changes/", "/staff/sign-in/", "/mappa/",
        ],
        administrator.username: ["/caseload/", "/staff/changes/"],
    }  # fmt: skip


def _context(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    context.add_init_script(CSP_LISTENER)
    return context


@pytest.mark.parametrize("width", [412, 768])
def test_main_pages_fit_the_screen_and_pass_axe_with_target_size(live_server, browser, service, width):
    """Every role's main pages at this width: not wider than the screen, axe-core clean (target size too)."""
    too_wide = []
    for username, paths in service.items():
        context = _context(browser, width)
        page = context.new_page()
        sign_in(page, live_server, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                too_wide.append(f"{username} {path}: {overflow} px wider than {width} px")
            assert_accessible(page, target_size=True)
        context.close()
    assert too_wide == []


def test_the_audit_log_scrolls_in_its_own_region_on_a_phone(live_server, browser, service, service_manager):
    """The audit log at 412 px: the table scrolls sideways inside a region named by its caption, which
    a keyboard can focus and scroll; the page itself does not."""
    context = _context(browser, 412)
    page = context.new_page()
    sign_in(page, live_server, service_manager.username)
    for path in service[next(iter(service))][2:4]:  # a child's pages: entries in the audit log
        page.goto(f"{live_server.url}{path}")
    page.goto(f"{live_server.url}/audit/")
    region = page.get_by_role("region", name="Newest entries first")
    expect(region).to_be_visible()
    assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")
    assert page.evaluate(OVERFLOW) <= 0
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.app-table-scroll').scrollLeft > 0")
    shot(page, "audit-log-412")
    context.close()


def test_the_navigation_fits_on_one_line_at_1280(live_server, browser, service):
    """Each role's navigation takes one line at 1280 px (issue 20: it wrapped onto two or three)."""
    lines = {}
    for username in service:
        context = _context(browser, 1280)
        page = context.new_page()
        sign_in(page, live_server, username)
        lines[username] = page.evaluate(NAV_LINES)
        context.close()
    assert lines == {username: 1 for username in service}


def test_a_case_manager_starts_the_day_on_today(live_server, page, service, case_manager):
    """My work opens on Today: due today, overdue, the meeting today and the requests out, each a link
    to where it is done; following the meeting's line opens the meeting."""
    sign_in(page, live_server, case_manager.username)
    today = page.get_by_role("region", name=f"Today, {timezone.localdate():%A %-d %B}")
    expect(today).to_be_visible()
    expect(
        today.get_by_role("link", name="Intervention plan agreed with the child and parent for")
    ).to_have_count(3)
    expect(today.get_by_role("link", name="AssetPlus assessment completed for")).to_have_count(3)
    expect(today).not_to_contain_text("CMM to review RoSH/SaW held")  # due in three days: "this week"
    assert_accessible(page)
    shot(page, "my-work-today")
    today.get_by_role("link", name="10:00 ").click()
    meeting = Meeting.objects.get()
    page.wait_for_url(f"{live_server.url}/children/{meeting.child_id}/meetings/{meeting.pk}/")
    assert_accessible(page)
