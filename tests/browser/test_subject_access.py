"""axe-core on the Subject access page (issue 19): the form with its error summary, then an export made
and listed with its download."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_a_childs_record(live_server, page, service_manager, child):
    """The service manager sends the form empty (every error at once), then fills it in and exports."""
    sign_in(page, live_server, service_manager.username)
    page.goto(f"{live_server.url}/children/{child.pk}/subject-access/")
    assert_accessible(page)
    page.get_by_role("button", name="Export the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter who made the request")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason and notes")
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Who made the request").fill("The child")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Reason and notes").fill("Whole record; identity checked in person.")
    page.get_by_role("button", name="Export the record").click()
    expect(page.locator("#exports + table")).to_contain_text("The child")
    assert_accessible(page)
