"""axe-core on the service import pages (issue 22): the service manager uploads a small set with an
error in one child, reads the report, imports the other child, uploads the corrected set, confirms, and
finds both children imported."""

import copy

import pytest
from playwright.sync_api import expect

from tests.onboarding.factories import SMALL_SET, zip_bytes

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_report_confirm(live_server, page, service_manager, tmp_path):
    """An error is listed with its row and reason and its child skipped; the corrected set adds that child."""
    broken = copy.deepcopy(SMALL_SET)
    broken["children"][1]["Team"] = "Hillside locality team"
    (tmp_path / "broken.zip").write_bytes(zip_bytes(broken))
    (tmp_path / "riverside.zip").write_bytes(zip_bytes())

    sign_in(page, live_server, service_manager.username)
    page.get_by_role("link", name="Management", exact=True).click()
    page.get_by_role("link", name="Import records").click()
    expect(page.locator("h1")).to_have_text("Import records")
    page.get_by_role("button", name="Check the files").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a ZIP or XLSX file to upload")
    assert_accessible(page)

    page.get_by_label("Upload the files").set_input_files(str(tmp_path / "broken.zip"))
    page.get_by_role("button", name="Check the files").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is 1 error in the files")
    errors = page.locator("#errors")
    expect(errors).to_contain_text("children.csv")
    expect(errors).to_contain_text("Hillside locality team")
    expect(errors).to_contain_text("Unknown team: not in teams.csv or here")
    expect(page.locator(".govuk-error-summary")).to_contain_text("1 child will be skipped")
    expect(page.locator("#skipped + p + ul")).to_have_text("RV-1002")
    expect(page.get_by_role("row", name="children.csv 2 1 0 0 1 1")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "errors.png"), full_page=True)
    page.get_by_role("button", name="Import the records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 child was skipped")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "skipped.png"), full_page=True)

    page.get_by_role("link", name="Back to import records").click()
    page.get_by_label("Upload the files").set_input_files(str(tmp_path / "riverside.zip"))
    page.get_by_role("button", name="Check the files").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The files have no errors")
    expect(page.get_by_role("row", name="children.csv 2 1 0 1 0 0")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "checked.png"), full_page=True)

    page.get_by_role("button", name="Import the records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Imported.")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "imported.png"), full_page=True)
    page.get_by_role("link", name="Go to the caseload").click()
    expect(page.locator("body")).to_contain_text("Pemberwick")
    expect(page.locator("body")).to_contain_text("Thornbury")
    assert_accessible(page)
