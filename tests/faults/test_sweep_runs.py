"""Issue 16: each daily sweep is recorded; an unfinished day is completed by the next hourly run; the
notifications page says when alerts were last raised."""

import pytest
import time_machine
from django.urls import reverse

from alerts import services, tasks
from alerts.models import Notification, SweepRun
from cases.models import Programme
from demo.factories import ProgrammeFactory
from tests.alerts.helpers import D, london


@pytest.fixture
def yro(child):
    """A YRO from Monday 12 May 2025: on Tuesday 3 June its gatekeeping is overdue."""
    return ProgrammeFactory(child=child, kind=Programme.Kind.YRO, start_date=D(2025, 5, 12))


@pytest.mark.django_db
def test_a_daily_sweep_is_recorded_with_its_counts(yro, case_manager):
    """A finished run for the day, with what it re-judged and raised."""
    with time_machine.travel(london(2025, 6, 3, 6, 0), tick=False):
        tasks.alerts_sweep_daily.delay().get()
    run = SweepRun.objects.get()
    assert run.date == D(2025, 6, 3) and run.finished_at is not None and run.trigger == "beat"
    assert run.counts["raised"]["raised"] == Notification.objects.count() > 0


@pytest.mark.django_db
def test_an_unfinished_day_is_completed_by_the_next_hourly_run(yro, case_manager, monkeypatch):
    """The 06:00 sweep fails (its error recorded); the 07:15 hourly run completes the day, once."""
    real = services.alerts_raise

    def down(**kwargs):
        raise OSError("database unavailable")

    monkeypatch.setattr(tasks, "alerts_raise", down)
    with time_machine.travel(london(2025, 6, 3, 6, 0), tick=False):
        tasks.alerts_sweep_daily.apply(throw=False, retries=tasks.alerts_sweep_daily.max_retries)
    assert not Notification.objects.exists()
    assert SweepRun.objects.get().error.startswith("OSError")
    monkeypatch.setattr(tasks, "alerts_raise", real)
    with time_machine.travel(london(2025, 6, 3, 7, 15), tick=False):
        first = tasks.alerts_sweep_hourly.delay().get()
        second = tasks.alerts_sweep_hourly.delay().get()
    assert first["daily_caught_up"]["raised"]["raised"] == Notification.objects.count() > 0
    assert "daily_caught_up" not in second
    assert SweepRun.objects.filter(finished_at__isnull=False, trigger="catch-up").count() == 1


@pytest.mark.django_db
def test_before_six_the_hourly_run_does_not_sweep_the_day(yro, case_manager):
    """At 05:15 the day's sweep is not due yet: nothing is caught up."""
    with time_machine.travel(london(2025, 6, 3, 5, 15), tick=False):
        assert "daily_caught_up" not in tasks.alerts_sweep_hourly.delay().get()
    assert not SweepRun.objects.exists()


@pytest.mark.django_db
def test_the_notifications_page_says_when_alerts_were_last_raised(client, yro, case_manager):
    """Before the first sweep it says so; after, it gives the time."""
    client.force_login(case_manager)
    assert "have not been raised yet" in client.get(reverse("notifications")).content.decode()
    with time_machine.travel(london(2025, 6, 3, 6, 0), tick=False):
        tasks.alerts_sweep_daily.delay().get()
    html = client.get(reverse("notifications")).content.decode()
    assert "Alerts last raised at 06:00, Tuesday 3 June 2025" in html
