"""Notification pages: only your own, opening marks read, mark all read, the header count, settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from alerts.models import Notification
from alerts.services import alerts_raise
from cases.models import EmailPreference, Obligation
from cases.worklinks import action_url
from demo.factories import ChildFactory

from .helpers import D, london, obligation

NOW = london(2025, 3, 3, 6, 0)


@pytest.fixture
def raised(child, case_manager, team_manager):
    """The case manager has a due-soon and an overdue alert; their team manager an "in your team" one."""
    obligation(child=child, code="plan.action", title="Action plan completed", due=D(2025, 3, 4))
    obligation(
        child=child, code="cmm.compliance", title="Compliance CMM held", due=D(2025, 2, 27), status="overdue"
    )
    alerts_raise(now=NOW)
    return Notification.objects.filter(recipient=case_manager)


@pytest.mark.django_db
class TestList:
    def test_lists_only_my_notifications_with_state(self, client, raised, case_manager, child):
        """The case manager sees their two, newest first, tagged unread, with whether each is still to do."""
        client.force_login(case_manager)
        response = client.get(reverse("notifications"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Action plan completed" in content and "Compliance CMM held" in content
        assert content.count('govuk-tag--blue govuk-!-margin-top-1">Unread') == 2
        assert "Still overdue" in content and "Still to do" in content
        assert escape(child.full_name) in content
        assert "Overdue in your team" not in content  # the team manager's, not mine
        assert reverse("notification_open", args=[raised.get(kind="overdue").pk]) in content

    def test_header_shows_the_unread_count(self, client, raised, case_manager):
        """The header's Notifications link carries the unread count."""
        client.force_login(case_manager)
        content = client.get(reverse("my_work")).content.decode()
        assert 'app-unread-count">2<span class="govuk-visually-hidden"> unread</span>' in content

    def test_unread_filter_and_done_state(self, client, raised, case_manager, child):
        """ "Unread" leaves out what was opened; an obligation met since shows as done."""
        raised.filter(kind="due_soon").update(read_at=NOW)
        Obligation.objects.filter(child=child, code="cmm.compliance").update(status="met_late")
        client.force_login(case_manager)
        unread = client.get(reverse("notifications"), {"show": "unread"}).content.decode()
        assert "Compliance CMM held" in unread and "Action plan completed" not in unread
        assert "Done" in unread
        everything = client.get(reverse("notifications"), {"show": "nonsense"}).content.decode()
        assert "Action plan completed" in everything

    def test_hides_children_i_can_no_longer_see(self, client, raised, case_manager, child, south):
        """A child moved to another team (and reallocated) drops off the list, and opening it is a 404."""
        child.team = south
        child.case_manager = None
        child.save()
        client.force_login(case_manager)
        content = client.get(reverse("notifications")).content.decode()
        assert "Action plan completed" not in content
        assert "app-unread-count" not in content
        notification = raised.first()
        assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404

    def test_query_count_does_not_grow_with_notifications(self, client, north, case_manager):
        """3 or 25 notifications on the page: the same number of queries."""
        client.force_login(case_manager)

        def run(how_many):
            Notification.objects.all().delete()
            for i in range(how_many):
                held = ChildFactory(team=north, case_manager=case_manager)
                obligation(child=held, code="plan.action", due=D(2025, 3, 4), position=i)
            alerts_raise(now=NOW)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("notifications"))
            assert response.status_code == 200
            assert response.content.decode().count("Still to do") == min(25, Notification.objects.count())
            return len(queries)

        assert run(3) == run(30)


@pytest.mark.django_db
class TestOpen:
    def test_marks_read_and_goes_where_the_work_is_done(self, client, raised, case_manager, child):
        """Opening one marks it read and redirects to the page that records the thing."""
        notification = raised.get(kind="due_soon")
        client.force_login(case_manager)
        response = client.get(reverse("notification_open", args=[notification.pk]))
        assert response.status_code == 302 and response.url == action_url("plan.action", child.pk)
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_a_cmm_opens_where_this_user_acts_on_it(self, client, raised, case_manager, team_manager):
        """The case manager's CMM alert opens the child's meetings (only a manager books it, 001 §6.2); the
        team manager's opens the booking page with the meeting chosen."""
        mine = raised.get(code="cmm.compliance")
        client.force_login(case_manager)
        response = client.get(reverse("notification_open", args=[mine.pk]))
        assert response.url == reverse("meeting_list", args=[mine.child_id])
        theirs = Notification.objects.get(recipient=team_manager, code="cmm.compliance")
        client.force_login(team_manager)
        response = client.get(reverse("notification_open", args=[theirs.pk]))
        assert response.url == action_url("cmm.compliance", mine.child_id)
        assert response.url.startswith(reverse("meeting_book", args=[mine.child_id]))

    def test_someone_elses_is_404(self, client, raised, colleague, outsider, team_manager):
        """Another user's notification id is a 404, even for their manager and a colleague."""
        notification = raised.first()
        for user in (colleague, outsider, team_manager):
            client.force_login(user)
            assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_an_outside_link_is_not_followed(self, client, raised, case_manager):
        """A link that is not a path on this site sends the user back to the list."""
        notification = raised.get(code="plan.action")
        Notification.objects.filter(pk=notification.pk).update(link="https://evil.example/")
        client.force_login(case_manager)
        response = client.get(reverse("notification_open", args=[notification.pk]))
        assert response.url == reverse("notifications")


@pytest.mark.django_db
class TestMarkAllRead:
    def test_marks_mine_only_and_says_so(self, client, raised, case_manager, team_manager):
        """POST marks every one of mine read, with a success message; the manager's stay unread."""
        client.force_login(case_manager)
        response = client.post(reverse("notifications_mark_all_read"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("notifications")
        assert "2 notifications marked as read" in response.content.decode()
        assert not Notification.objects.filter(recipient=case_manager, read_at__isnull=True).exists()
        assert Notification.objects.filter(recipient=team_manager, read_at__isnull=True).exists()

    def test_get_is_not_allowed(self, client, raised, case_manager):
        """Marking read changes data: a GET does nothing."""
        client.force_login(case_manager)
        assert client.get(reverse("notifications_mark_all_read")).status_code == 405
        assert Notification.objects.filter(recipient=case_manager, read_at__isnull=True).count() == 2


@pytest.mark.django_db
class TestSettings:
    def test_choose_overdue_only(self, client, case_manager):
        """The radios save the preference; the page explains overdue alerts always arrive."""
        client.force_login(case_manager)
        page = client.get(reverse("notification_settings")).content.decode()
        assert "cannot be switched off" in page and 'type="radio"' in page
        response = client.post(reverse("notification_settings"), {"email_preference": "overdue_only"})
        assert response.status_code == 302 and response.url == reverse("notifications")
        case_manager.refresh_from_db()
        assert case_manager.email_preference == EmailPreference.OVERDUE_ONLY

    def test_invalid_choice_shows_the_error_summary(self, client, case_manager):
        """A value that is not offered re-renders the form with the GOV.UK error summary."""
        client.force_login(case_manager)
        response = client.post(reverse("notification_settings"), {"email_preference": "never"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in content and "Choose what you want by email" in content
        assert '<a href="#id_email_preference_1">' in content
        assert content.count("<title>Error: ") == 1
        case_manager.refresh_from_db()
        assert case_manager.email_preference == EmailPreference.DIGEST
