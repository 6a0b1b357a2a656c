"""Newer/Older on the audit log (issue 19) in a browser: GOV.UK pagination, filters kept, axe-core clean."""

import pytest
from playwright.sync_api import expect

from core.models import AuditEntry

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_audit_log_older_and_newer(live_server, page, service_manager, child, case_manager):
    """120 entries by the case manager: filtered by their name, Older twice reaches the first entry,
    Newer comes back, and every page passes axe-core."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=case_manager,
            action="view",
            child=child,
            object_type="child",
            object_id=str(child.pk),
            description=f"Entry {i}",
        )
        for i in range(120)
    )
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("sm")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboards/compliance/")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Member of staff").fill(case_manager.last_name)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("cell", name="Entry 119", exact=True)).to_be_visible()
    pagination = page.get_by_role("navigation", name="Audit entries: pages")
    expect(pagination.get_by_role("link", name="Newer audit entries")).to_have_count(0)
    assert_accessible(page)
    pagination.get_by_role("link", name="Older audit entries").click()
    expect(page.get_by_role("cell", name="Entry 69", exact=True)).to_be_visible()
    expect(page.get_by_label("Member of staff")).to_have_value(case_manager.last_name)
    page.get_by_role("navigation", name="Audit entries: pages").get_by_role(
        "link", name="Older audit entries"
    ).click()
    expect(page.get_by_role("cell", name="Entry 0", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Older audit entries")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Newer audit entries").click()
    expect(page.get_by_role("cell", name="Entry 69", exact=True)).to_be_visible()
    page.get_by_role("link", name="Back to the newest audit entries").click()
    expect(page.get_by_role("cell", name="Entry 119", exact=True)).to_be_visible()
