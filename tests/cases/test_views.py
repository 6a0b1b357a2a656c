"""Views: access (outsiders get 404 everywhere), audit of every view, forms that keep input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Event
from core.models import AuditEntry
from demo.factories import ChildFactory, EventFactory


def child_urls(child, event):
    """Every page that shows or changes one child's record."""
    return [
        reverse("child_detail", args=[child.pk]),
        reverse("child_details", args=[child.pk]),
        reverse("event_add", args=[child.pk]),
        reverse("event_correct", args=[child.pk, event.pk]),
        reverse("event_history", args=[child.pk, event.pk]),
    ]


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client, child):
        """Every page needs a signed-in user."""
        response = client.get(reverse("child_detail", args=[child.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_outsider_gets_404_on_every_child_view(self, client, outsider, child, case_manager):
        """Someone outside the child's team gets 404 on every child page, GET and POST."""
        event = EventFactory(child=child, author=case_manager)
        client.force_login(outsider)
        for url in child_urls(child, event):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        assert not AuditEntry.objects.filter(user=outsider).exists()

    def test_event_on_another_child_is_404(self, client, case_manager, child):
        """An event id that belongs to a different child is not found through this child."""
        other = ChildFactory(team=child.team, case_manager=case_manager)
        event = EventFactory(child=other, author=case_manager)
        client.force_login(case_manager)
        assert client.get(reverse("event_correct", args=[child.pk, event.pk])).status_code == 404

    def test_audit_log_is_service_manager_only(self, client, case_manager, team_manager, service_manager):
        """Only the service manager reads the audit log; others get 404."""
        for user in (case_manager, team_manager):
            client.force_login(user)
            assert client.get(reverse("audit_log")).status_code == 404
        client.force_login(service_manager)
        assert client.get(reverse("audit_log")).status_code == 200

    def test_admin_is_for_administrators_only(self, client, administrator, team_manager):
        """The Django admin lets administrators in and no one else."""
        team_manager.is_staff = True
        team_manager.save()
        client.force_login(team_manager)
        assert client.get("/admin/").status_code == 302
        client.force_login(administrator)
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
class TestChildPages:
    def test_view_is_audited(self, client, case_manager, child):
        """Opening a child's timeline writes who viewed it and when."""
        client.force_login(case_manager)
        response = client.get(reverse("child_detail", args=[child.pk]))
        assert response.status_code == 200
        entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
        assert entry.user == case_manager and entry.child == child

    def test_timeline_shows_current_versions(self, client, case_manager, child):
        """The timeline shows events newest first, and only the latest version of a corrected one."""
        EventFactory(
            child=child, author=case_manager, summary="First visit", occurred_on=datetime.date(2024, 1, 5)
        )
        EventFactory(child=child, author=case_manager, summary="Old text", is_current=False)
        client.force_login(case_manager)
        content = client.get(reverse("child_detail", args=[child.pk])).content.decode()
        assert "First visit" in content and "Old text" not in content
        assert "moj-timeline" in content and "moj-identity-bar" in content

    def test_add_event(self, client, case_manager, child):
        """A valid form adds the event and returns to the timeline."""
        client.force_login(case_manager)
        response = client.post(
            reverse("event_add", args=[child.pk]),
            {
                "event_type": "contact",
                "occurred_on_0": "4",
                "occurred_on_1": "3",
                "occurred_on_2": "2024",
                "summary": "Home visit, spoke with carer",
                "details": "",
            },
        )
        assert response.status_code == 302
        event = Event.objects.get(child=child)
        assert event.occurred_on == datetime.date(2024, 3, 4) and event.author == case_manager

    def test_bad_input_keeps_what_was_typed(self, client, case_manager, child):
        """Errors re-render the form with an error summary and the user's input kept."""
        client.force_login(case_manager)
        response = client.post(
            reverse("event_add", args=[child.pk]),
            {
                "event_type": "",
                "occurred_on_0": "31",
                "occurred_on_1": "2",
                "occurred_on_2": "2024",
                "summary": "Kept summary text",
            },
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in content and "Choose the type of event" in content
        assert "Kept summary text" in content
        assert "<title>Error:" in content
        assert not Event.objects.exists()

    def test_future_date_refused(self, client, case_manager, child):
        """An event cannot be dated in the future."""
        client.force_login(case_manager)
        future = datetime.date.today() + datetime.timedelta(days=3)
        response = client.post(
            reverse("event_add", args=[child.pk]),
            {
                "event_type": "note",
                "occurred_on_0": future.day,
                "occurred_on_1": future.month,
                "occurred_on_2": future.year,
                "summary": "Future",
            },
        )
        assert "must be today or in the past" in response.content.decode()

    def test_correct_event(self, client, case_manager, child):
        """Correcting from the browser writes a new version and keeps the old one on the history page."""
        event = EventFactory(child=child, author=case_manager, summary="Original words")
        client.force_login(case_manager)
        form = client.get(reverse("event_correct", args=[child.pk, event.pk])).content.decode()
        assert "Original words" in form
        response = client.post(
            reverse("event_correct", args=[child.pk, event.pk]),
            {
                "event_type": "contact",
                "occurred_on_0": "1",
                "occurred_on_1": "3",
                "occurred_on_2": "2024",
                "summary": "Corrected words",
                "reason": "Spelling",
            },
        )
        assert response.status_code == 302
        new = Event.objects.get(is_current=True)
        history = client.get(reverse("event_history", args=[child.pk, new.pk])).content.decode()
        assert "Original words" in history and "Corrected words" in history and "Spelling" in history
        # The superseded version cannot be corrected again (404, not a second branch).
        assert client.get(reverse("event_correct", args=[child.pk, event.pk])).status_code == 404


@pytest.mark.django_db
class TestQueryCounts:
    def _count(self, client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_caseload_constant_with_5_and_50_children(self, client, case_manager, north):
        """The caseload page runs the same number of queries for 5 children as for 50."""
        client.force_login(case_manager)
        ChildFactory.create_batch(5, team=north, case_manager=case_manager)
        small = self._count(client, reverse("caseload"))
        ChildFactory.create_batch(45, team=north, case_manager=case_manager)
        large = self._count(client, reverse("caseload"))
        assert small == large

    def test_timeline_constant_with_5_and_50_events(self, client, case_manager, child):
        """A child's timeline runs the same number of queries for 5 events as for 50."""
        client.force_login(case_manager)
        EventFactory.create_batch(5, child=child, author=case_manager)
        small = self._count(client, reverse("child_detail", args=[child.pk]))
        EventFactory.create_batch(45, child=child, author=case_manager)
        large = self._count(client, reverse("child_detail", args=[child.pk]))
        assert small == large

    def test_audit_log_constant(self, client, service_manager, case_manager, child):
        """The audit log page does not grow its queries with entries."""
        client.force_login(service_manager)
        for _ in range(5):
            AuditEntry.objects.create(
                user=case_manager,
                action="view",
                child=child,
                object_type="child",
                object_id=str(child.pk),
                description="Viewed",
            )
        small = self._count(client, reverse("audit_log"))
        for _ in range(45):
            AuditEntry.objects.create(
                user=case_manager,
                action="view",
                child=child,
                object_type="child",
                object_id=str(child.pk),
                description="Viewed",
            )
        large = self._count(client, reverse("audit_log"))
        assert small == large


@pytest.mark.django_db
class TestSignIn:
    def test_sign_in_and_out(self, client, case_manager):
        """A member of staff signs in with username and password and can sign out."""
        response = client.post(reverse("login"), {"username": "cm", "password": "correct-horse-battery"})
        assert response.status_code == 302
        assert client.get(reverse("caseload")).status_code == 200
        client.post(reverse("logout"))
        assert client.get(reverse("caseload")).status_code == 302

    def test_throttled_after_repeated_failures(self, client, case_manager):
        """Five wrong passwords lock the account out, even with the right password next (django-axes)."""
        for _ in range(5):
            client.post(reverse("login"), {"username": "cm", "password": "wrong"})
        response = client.post(reverse("login"), {"username": "cm", "password": "correct-horse-battery"})
        assert response.status_code == 429
        assert "locked" in response.content.decode()

    def test_wrong_password_shows_error_summary(self, client, case_manager):
        """A wrong password re-renders the form with an error summary and the username kept."""
        response = client.post(reverse("login"), {"username": "cm", "password": "wrong"})
        content = response.content.decode()
        assert "govuk-error-summary" in content and 'value="cm"' in content

    def test_session_expires_after_inactivity(self, settings):
        """Sessions end after 30 minutes without a request and are refreshed by each request."""
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_policy_timescales_page(client, case_manager):
    """Any signed-in user can read the active profile's timescales, with their policy basis."""
    client.force_login(case_manager)
    content = client.get(reverse("policy_timescales")).content.decode()
    assert "assetplus.gatekeep" in content and "001 §6" in content
