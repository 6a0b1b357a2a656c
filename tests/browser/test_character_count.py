"""Issue 17 in a real browser, with axe-core: the GOV.UK character count on a case note, a paste over
the limit arriving whole, and the server's refusal (error summary, the count in red, the text kept)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Event

from .conftest import assert_accessible
from .test_case_work import fill_date, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_note_over_its_limits(live_server, page, case_manager, child):
    """Type and paste past the limits: the count says how many too many as you type; saving is refused
    with the GOV.UK messages and every character is still there; shortened, it saves."""
    sign_in(page, live_server, "cm")
    page.goto(f"{live_server.url}{reverse('event_add', args=[child.pk])}")
    # The component started (govuk-frontend's initAll): its visible count replaced the plain hint.
    summary_count = page.locator("#div_id_summary .govuk-character-count__status")
    details_count = page.locator("#div_id_details .govuk-character-count__status")
    expect(summary_count).to_have_text("You have 200 characters remaining")
    expect(details_count).to_have_text("You have 10,000 characters remaining")
    assert_accessible(page)

    page.get_by_label("Type of event").select_option("note")
    fill_date(page, "Date of the event", timezone.localdate())
    page.get_by_label("Summary").fill("s" * 230)
    pasted = "A fictional note. " * 1200  # 21,600 characters: more than twice the limit
    page.get_by_label("Details").fill(pasted)
    expect(summary_count).to_have_text("You have 30 characters too many")
    expect(details_count).to_have_text("You have 11,600 characters too many")
    # Nothing cut by the browser: the whole paste is in the box.
    assert len(page.get_by_label("Details").input_value()) == len(pasted)

    page.get_by_role("button", name="Save event").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Summary must be 200 characters or fewer")
    expect(summary).to_contain_text("Details must be 10,000 characters or fewer")
    expect(page.locator("#div_id_details .govuk-error-message").first).to_contain_text(
        "Details must be 10,000 characters or fewer"
    )
    expect(details_count).to_have_text("You have 11,600 characters too many")
    expect(details_count).to_have_class(re.compile(r"\bgovuk-error-message\b"))  # in red
    assert page.get_by_label("Details").input_value().replace("\r\n", "\n") == pasted
    assert page.get_by_label("Summary").input_value() == "s" * 230
    assert_accessible(page)
    shot(page, "character-count-over-limit")
    assert not Event.objects.filter(child=child, event_type="note").exists()

    # The error summary's link reaches the textarea itself.
    summary.get_by_role("link", name="Details must be 10,000 characters or fewer").click()
    expect(page.get_by_label("Details")).to_be_focused()
    page.get_by_label("Summary").fill("A fictional note")
    page.get_by_label("Details").fill(pasted[:10_000])
    expect(details_count).to_have_text("You have 0 characters remaining")
    page.get_by_role("button", name="Save event").click()
    page.wait_for_url(lambda url: "/events/new/" not in url)
    assert len(Event.objects.get(child=child, summary="A fictional note").details) == 10_000
