"""Notifications at any age (issue 19): the header's count is capped and bounded, the list pages by
Newer/Older without counting, and the nightly prune deletes exactly what is past its period."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Notification
from alerts.pruning import notifications_prune
from alerts.selectors import UNREAD_CAP, unread_count
from alerts.tasks import notifications_prune as notifications_prune_task

from .helpers import D, obligation

# In UTC, as timezone.now() gives it: the periods are counted in exact days (24 hours each), so a
# boundary computed in London wall-clock time would be an hour off across a clock change.
NOW = datetime.datetime(2026, 6, 1, 1, 40, tzinfo=datetime.UTC)


def _notifications(user, how_many, *, start=0, **fields):
    """`how_many` notifications for the user about nothing in particular (no child: always visible)."""
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.DUE_SOON,
            code="plan.action",
            title=f"Notification {i}",
            message="A message",
            key=f"test:{i}",
            **fields,
        )
        for i in range(start, start + how_many)
    )


@pytest.mark.django_db
class TestUnreadCount:
    def test_same_bounded_query_at_any_row_count(self, case_manager):
        """5 unread or 250: one query, and it reads at most UNREAD_CAP + 1 rows (a LIMIT)."""

        def run():
            with CaptureQueriesContext(connection) as queries:
                count = unread_count(user=case_manager)
            return count, [q["sql"] for q in queries.captured_queries]

        _notifications(case_manager, 5)
        small, small_sql = run()
        _notifications(case_manager, 245, start=5)
        large, large_sql = run()
        assert small == 5 and large == UNREAD_CAP + 1
        assert len(small_sql) == len(large_sql) == 1
        assert "LIMIT 100" in large_sql[0] and "COUNT(" in large_sql[0]

    def test_header_shows_99_plus_over_the_cap(self, client, case_manager):
        """Exactly 99 unread shows 99; one more shows "99+" in the header and on the Unread tab."""
        client.force_login(case_manager)
        _notifications(case_manager, UNREAD_CAP)
        content = client.get(reverse("my_work")).content.decode()
        assert 'app-unread-count">99<span class="govuk-visually-hidden"> unread</span>' in content
        _notifications(case_manager, 1, start=UNREAD_CAP)
        content = client.get(reverse("notifications")).content.decode()
        assert 'app-unread-count">99+<span class="govuk-visually-hidden"> unread</span>' in content
        assert "Unread (99+)" in content

    def test_read_ones_are_not_counted(self, case_manager):
        _notifications(case_manager, 3)
        _notifications(case_manager, 3, start=3, read_at=NOW)
        assert unread_count(user=case_manager) == 3


@pytest.mark.django_db
class TestListPaging:
    def test_newer_and_older_without_a_count(self, client, case_manager):
        """60 notifications, 25 a page: Older twice reaches the last 10, Newer comes back; never COUNT."""
        _notifications(case_manager, 60)
        client.force_login(case_manager)
        titles = []
        response = client.get(reverse("notifications"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("notifications"))
        listed = [q["sql"] for q in queries.captured_queries if "alerts_notification" in q["sql"]]
        assert not [sql for sql in listed if "COUNT(" in sql and "LIMIT" not in sql]
        for _ in range(3):
            page = response.context["keyset"]
            titles.append([n.title for n in page.items])
            if page.older is None:
                break
            assert f"before={page.older}" in response.content.decode()
            response = client.get(reverse("notifications"), {"before": page.older})
        assert [len(t) for t in titles] == [25, 25, 10]
        assert titles[0][0] == "Notification 59" and titles[2][-1] == "Notification 0"
        assert len({t for page in titles for t in page}) == 60
        back = client.get(reverse("notifications"), {"after": response.context["keyset"].newer})
        assert [n.title for n in back.context["keyset"].items] == titles[1]

    def test_unread_filter_is_kept_across_pages(self, client, case_manager):
        _notifications(case_manager, 30)
        _notifications(case_manager, 30, start=30, read_at=NOW)
        client.force_login(case_manager)
        response = client.get(reverse("notifications"), {"show": "unread"})
        older = response.context["keyset"].older
        assert f"show=unread&amp;before={older}" in response.content.decode()
        second = client.get(reverse("notifications"), {"show": "unread", "before": older}).context["keyset"]
        assert [n.title for n in second.items] == [
            "Notification 4",
            *[f"Notification {i}" for i in range(3, -1, -1)],
        ]

    @pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999999", "1.5", "٣", "", "%00"])
    def test_a_bad_cursor_shows_the_first_page(self, client, case_manager, bad):
        _notifications(case_manager, 30)
        client.force_login(case_manager)
        for param in ("before", "after"):
            response = client.get(reverse("notifications"), {param: bad})
            assert response.status_code == 200
            assert response.context["keyset"].is_first

    def test_someone_elses_notification_is_no_cursor(self, client, case_manager, colleague):
        _notifications(case_manager, 30)
        _notifications(colleague, 1, start=100)
        theirs = Notification.objects.get(recipient=colleague)
        client.force_login(case_manager)
        assert client.get(reverse("notifications"), {"before": theirs.pk}).context["keyset"].is_first


@pytest.mark.django_db
class TestPrune:
    @pytest.fixture(autouse=True)
    def _periods(self, settings):
        settings.NOTIFICATIONS_KEEP_READ_DAYS = 90
        settings.NOTIFICATIONS_KEEP_UNREAD_DAYS = 365

    def _at(self, user, key, *, created, read=None, child=None, code="plan.action", due=None):
        with time_machine.travel(created, tick=False):
            return Notification.objects.create(
                recipient=user,
                kind=Notification.Kind.OVERDUE,
                child=child,
                code=code,
                due=due,
                title=key,
                message="m",
                key=key,
                read_at=read,
            )

    def test_deletes_exactly_what_is_past_its_period(self, case_manager):
        """Read exactly 90 days ago is kept, a millisecond more is deleted; the same for unread
        at 365 days after it was raised; anything newer stays."""
        tick = datetime.timedelta(milliseconds=1)  # time_machine keeps a float: microseconds may round
        read_edge = NOW - datetime.timedelta(days=90)
        unread_edge = NOW - datetime.timedelta(days=365)
        old = NOW - datetime.timedelta(days=400)
        self._at(case_manager, "read-at-boundary", created=old, read=read_edge)
        self._at(case_manager, "read-past", created=old, read=read_edge - tick)
        self._at(case_manager, "read-recent", created=old, read=NOW - datetime.timedelta(days=10))
        self._at(case_manager, "unread-at-boundary", created=unread_edge)
        self._at(case_manager, "unread-past", created=unread_edge - tick)
        self._at(case_manager, "unread-recent", created=NOW - datetime.timedelta(days=100))
        with time_machine.travel(NOW, tick=False):
            result = notifications_prune_task.delay().get()
        assert result == {"deleted": 2, "kept_outstanding": 0}
        assert set(Notification.objects.values_list("key", flat=True)) == {
            "read-at-boundary",
            "read-recent",
            "unread-at-boundary",
            "unread-recent",
        }
        # Idempotent: a second run finds nothing more.
        with time_machine.travel(NOW, tick=False):
            assert notifications_prune_task.delay().get() == {"deleted": 0, "kept_outstanding": 0}

    def test_keeps_what_is_still_outstanding(self, case_manager, child):
        """An old alert about an obligation still overdue is kept (the sweep would raise it again as new);
        one whose obligation was met is deleted."""
        old = NOW - datetime.timedelta(days=400)
        obligation(child=child, code="cmm.compliance", due=D(2025, 2, 27), status="overdue")
        obligation(child=child, code="plan.action", due=D(2025, 3, 4), status="met")
        self._at(case_manager, "still", created=old, child=child, code="cmm.compliance", due=D(2025, 2, 27))
        self._at(case_manager, "done", created=old, child=child, code="plan.action", due=D(2025, 3, 4))
        assert notifications_prune(now=NOW) == {"deleted": 1, "kept_outstanding": 1}
        assert list(Notification.objects.values_list("key", flat=True)) == ["still"]

    def test_deletes_in_chunks(self, case_manager):
        """More than a chunk past its period: all deleted, a chunk at a time."""
        with time_machine.travel(NOW - datetime.timedelta(days=400), tick=False):
            _notifications(case_manager, 25)
        _notifications(case_manager, 3, start=25)
        assert notifications_prune(now=NOW, batch=10) == {"deleted": 25, "kept_outstanding": 0}
        assert Notification.objects.count() == 3

    def test_is_on_the_beat_schedule(self, settings):
        schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert "alerts.tasks.notifications_prune" in schedule
