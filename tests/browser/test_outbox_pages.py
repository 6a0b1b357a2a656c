"""axe-core on the pages that say honestly what happened to follow-up work (ADR 0010, issue 16): the
Emails page with a failed and a sent email, a meeting's invitations and Emails table, and the 503 page
shown while the database is out."""

import pytest
from django.core.mail import EmailMessage
from django.db import OperationalError
from django.urls import include, path
from playwright.sync_api import expect

from core import outbox
from core.models import OutboxMessage
from tests.meetings.test_services_booking import book

from .conftest import assert_accessible
from .test_case_work import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _database_out(request):
    raise OperationalError("connection refused")


urlpatterns = [path("database-out/", _database_out), path("", include("config.urls"))]
handler500 = "core.health.server_error"


def test_emails_and_invitation_states_are_accessible(live_server, page, team_manager, child):
    """A failed email with its reason and "Try again", a sent one, and the invitations' states."""
    meeting = book(child, team_manager)
    for invitation in meeting.invitations.exclude(message=None):
        outbox.deliver(pk=invitation.message_id)
    failed = outbox.email_enqueue(
        EmailMessage(subject="Minutes", body="Body", to=["pat@police.invalid"]),
        description="Minutes of CMM to pat@police.invalid",
        source=f"meeting:{meeting.pk}",
        user=team_manager,
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxMessage.Status.FAILED, last_error="550 mailbox unavailable", attempts=30
    )
    sign_in(page, live_server, team_manager.username)
    page.goto(f"{live_server.url}/emails/")
    expect(page.get_by_text("550 mailbox unavailable")).to_be_visible()
    assert_accessible(page)
    page.locator("#waiting").get_by_role("button", name="Try again").click()
    expect(page.get_by_text("Trying again: Minutes of CMM")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/children/{child.pk}/meetings/{meeting.pk}/invitations/")
    expect(page.get_by_role("cell", name="Sent").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/children/{child.pk}/meetings/{meeting.pk}/")
    expect(page.locator("#emails")).to_be_visible()
    assert_accessible(page)


def test_the_503_page_is_accessible(live_server, page, case_manager, settings):
    """The database out: "Sorry, the service is unavailable" in the layout, axe-clean."""
    settings.ROOT_URLCONF = __name__
    sign_in(page, live_server, case_manager.username)
    response = page.goto(f"{live_server.url}/database-out/")
    assert response is not None and response.status == 503
    expect(page.get_by_role("heading", name="Sorry, the service is unavailable")).to_be_visible()
    assert_accessible(page)
