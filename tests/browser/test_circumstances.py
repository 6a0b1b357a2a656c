"""axe-core on the Circumstances tab and the management board (issue 21): the tab, adding accommodation by
keyboard-usable GOV.UK controls (its error summary first), the victim form's warning, and recording a
board meeting (its error summary first)."""

import datetime

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_case_work import fill_date, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_accommodation_and_see_a_victim_form(live_server, page, child, case_manager):
    """The case manager opens the tab, fixes the errors of an empty form and saves; every page passes axe."""
    sign_in(page, live_server, case_manager.username)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Circumstances", exact=True).click()
    expect(page.locator("h2").first).to_have_text("Circumstances")
    assert_accessible(page)
    page.get_by_role("button", name="Add accommodation").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the type of accommodation")
    assert_accessible(page)
    page.get_by_role("link", name="Choose the type of accommodation").click()
    page.keyboard.press("Space")  # the summary's link focuses the first radio: chosen by keyboard
    page.get_by_role("group", name="Is it suitable?").get_by_label("Yes").check()
    fill_date(page, "Date they moved in", datetime.date(2026, 1, 5))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Accommodation: with parents or carers (suitable): recorded")
    assert_accessible(page)
    page.get_by_role("button", name="Add victim").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Never enter a victim's name")
    assert_accessible(page)


def test_record_a_board_meeting(live_server, page, service_manager):
    """The service manager records a meeting after the error summary; the list and form pass axe."""
    sign_in(page, live_server, service_manager.username)
    page.goto(f"{live_server.url}/board/")
    assert_accessible(page)
    page.get_by_role("button", name="Record a meeting").click()
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)
    fill_date(page, "Date of the meeting", datetime.date(2026, 1, 20))
    for partner in ("Local authority children's services", "Education", "Police", "Probation", "Health"):
        page.get_by_role("group", name=partner, exact=True).get_by_label("Attended", exact=True).check()
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator("body")).to_contain_text("Management board meeting recorded")
    expect(page.locator("table")).to_contain_text("5 of 5")
    assert_accessible(page)
