"""axe-core on the retention pages (issue 19): the records due, keeping a record (with its error), and
erasing one (a wrong case number first: the error summary)."""

import datetime

import pytest
from playwright.sync_api import expect

from demo.factories import ChildFactory

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_keep_and_erase(live_server, page, service_manager, north):
    """A record closed in 2020 of a child born in 1990 is due today: keep one, erase the other."""
    kept, erased = (
        ChildFactory(team=north, date_of_birth=datetime.date(1990, 1, 1), case_number=number)
        for number in ("YJ910001", "YJ910002")
    )
    for child in (kept, erased):
        child.is_open = False
        child.save(update_fields=["is_open"])
    sign_in(page, live_server, service_manager.username)
    page.get_by_role("link", name="Management", exact=True).click()  # the service manager's pages
    page.get_by_role("link", name="Records due for review").click()
    expect(page.locator("h1")).to_have_text("Records due for review")
    assert_accessible(page)

    page.goto(f"{live_server.url}/retention/children/{kept.pk}/extend/")
    page.get_by_role("button", name="Keep the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new review date")
    assert_accessible(page)

    page.goto(f"{live_server.url}/retention/children/{erased.pk}/erase/")
    assert_accessible(page)
    page.get_by_label("Type the case number to confirm").fill("YJ910001")
    page.get_by_label("Reason for erasure").fill("Retention period ended")
    page.get_by_role("button", name="Erase the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the case number exactly as shown")
    assert_accessible(page)
    page.get_by_label("Type the case number to confirm").fill("YJ910002")
    page.get_by_role("button", name="Erase the record").click()
    expect(page.locator(".govuk-notification-banner, .govuk-body").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Record YJ910002 erased")
    assert_accessible(page)
