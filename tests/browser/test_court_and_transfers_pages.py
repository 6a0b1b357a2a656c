"""axe-core on the court tracking and transfer in/out pages, their empty-submit error states included
(003 §9-§12, App. A-C). The journeys themselves are tested in tests/courts and tests/transfers."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from cases.models import Programme, RiskLevel
from courts.models import AwaitingHearing
from demo.factories import ChildFactory

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime.datetime(2026, 11, 23, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def _visit(page, url, *, submit=None):
    """Open a page, run axe; optionally submit it empty and run axe on the error summary."""
    page.goto(url)
    assert_accessible(page)
    if submit:
        page.get_by_role("button", name=submit).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)


def test_court_and_transfer_pages_are_accessible(live_server, page, case_manager, team_manager, north):
    """A team manager's court list, Crown Court and Magistrates' forms, transfers in and out, caretaking."""
    with time_machine.travel(NOW, tick=True):
        child = ChildFactory(
            team=north, case_manager=case_manager, rosh=RiskLevel.MEDIUM, saw=RiskLevel.LOW, lor=RiskLevel.LOW
        )
        Programme.objects.create(
            child=child,
            kind=Programme.Kind.YRO,
            start_date=datetime.date(2026, 9, 7),
            created_by=team_manager,
        )
        listed = AwaitingHearing.objects.create(
            child=child,
            hearing_on=datetime.date(2027, 1, 20),
            offence="Theft",
            listed_on=datetime.date(2026, 11, 20),
            created_by=team_manager,
        )
        base = live_server.url
        sign_in(page, live_server, team_manager.username)
        _visit(page, f"{base}/court/")
        _visit(page, f"{base}/court/awaiting/new/", submit="Add to the list")
        _visit(page, f"{base}/court/awaiting/{listed.pk}/screen/", submit="Save the screening")
        _visit(page, f"{base}/children/{child.pk}/court/")
        _visit(page, f"{base}/children/{child.pk}/court/crown/new/", submit="Start Crown Court tracking")
        _visit(page, f"{base}/transfers/")
        _visit(page, f"{base}/transfers/in/")
        _visit(page, f"{base}/transfers/in/new/", submit="Record the transfer in summary")
        _visit(page, f"{base}/children/{child.pk}/transfers/")
        _visit(
            page, f"{base}/children/{child.pk}/transfers/out/new/", submit="Record the move out of the area"
        )
        # Anything outside what a user may see is a 404, and that page is accessible too.
        _visit(page, f"{base}/children/{child.pk}/host-contacts/new/")
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        _visit(page, f"{base}/children/{child.pk}/mappa/")
