"""A case manager signs in, opens the caseload and a child, adds an event and sees it on the timeline."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Event
from demo.factories import ChildFactory, EventFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name):
    """Save a screenshot when SCREENSHOT_DIR is set, so a person can look at the pages."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_case_manager_adds_event(live_server, page, case_manager, child, north):
    """The whole first slice, keyboard-friendly forms, with axe-core on every page."""
    ChildFactory.create_batch(3, team=north, case_manager=case_manager)
    EventFactory(
        child=child, author=case_manager, summary="Initial home visit", occurred_on=datetime.date(2024, 2, 1)
    )

    page.goto(f"{live_server.url}/")
    assert "Sign in" in page.title()
    assert_accessible(page)
    shot(page, "01-sign-in")

    # A wrong password first: the error summary appears and takes focus.
    page.get_by_label("Username").fill("cm")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/my-work/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Caseload", exact=True).click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(4)
    assert_accessible(page)
    shot(page, "02-caseload")

    page.get_by_role("link", name=f"{child.last_name}, {child.first_name}").click()
    expect(page.locator(".moj-identity-bar")).to_be_visible()
    expect(page.get_by_role("heading", name="Contact: Initial home visit")).to_be_visible()
    assert_accessible(page)
    shot(page, "03-child-timeline")

    page.get_by_role("button", name="Add an event").click()
    assert_accessible(page)
    # Submit empty first: error summary, nothing lost, axe still clean.
    page.get_by_label("Summary").fill("Met at school with the SENCo")
    page.get_by_role("button", name="Save event").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Summary")).to_have_value("Met at school with the SENCo")
    assert_accessible(page)
    shot(page, "04-event-errors")

    page.get_by_label("Type of event").select_option("contact")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Details").fill("Discussed attendance and the reparation session.")
    page.get_by_role("button", name="Save event").click()

    page.wait_for_url(f"{live_server.url}/children/{child.pk}/")
    expect(page.get_by_text("Event added to the timeline")).to_be_visible()
    expect(page.get_by_role("heading", name="Contact: Met at school with the SENCo")).to_be_visible()
    assert_accessible(page)
    shot(page, "05-timeline-with-event")
    assert Event.objects.filter(child=child, summary="Met at school with the SENCo").exists()

    page.get_by_role("link", name="Details").click()
    assert_accessible(page)
    page.get_by_role("link", name="Policy timescales").first.click()
    expect(page.get_by_role("heading", name="Policy timescales")).to_be_visible()
    assert_accessible(page)
    shot(page, "06-policy-timescales")


def test_service_manager_reads_audit_log(live_server, page, service_manager, child, case_manager):
    """The service manager sees every child and reads the audit log of views and changes."""
    EventFactory(child=child, author=case_manager)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("sm")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboards/compliance/")
    page.get_by_role("link", name="Caseload", exact=True).click()
    page.get_by_role("link", name=f"{child.last_name}, {child.first_name}").click()
    page.get_by_role("link", name="Management", exact=True).click()  # the audit log sits under it
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="Viewed timeline")).to_be_visible()
    assert_accessible(page)
    shot(page, "07-audit-log")
