"""axe-core on Staff access (issue 18): asking for a change (with its errors), and approving one as the
second person."""

import pytest
from playwright.sync_api import expect

from cases.models import Role

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_then_approve_as_the_second_person(
    live_server, page, administrator, service_manager, case_manager
):
    """The administrator asks (first with nothing chosen: the error summary), the service manager approves."""
    sign_in(page, live_server, administrator.username)
    page.goto(f"{live_server.url}/staff/changes/")
    assert_accessible(page)
    page.get_by_label("Whose access is changing?").select_option(str(case_manager.pk))
    page.get_by_role("button", name="Ask for the change").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what to change")
    assert_accessible(page)
    page.get_by_label("New role").select_option(Role.SENIOR_CASE_MANAGER)
    page.get_by_role("button", name="Ask for the change").click()
    expect(page.locator("#pending")).to_contain_text("Role to Senior case manager")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, service_manager.username)
    page.goto(f"{live_server.url}/staff/changes/")
    page.locator("#pending").get_by_role("button", name="Approve").click()
    expect(page.locator("#decided")).to_contain_text("Approved and made by")
    assert_accessible(page)
    case_manager.refresh_from_db()
    assert case_manager.role == Role.SENIOR_CASE_MANAGER
