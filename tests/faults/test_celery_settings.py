"""Issue 16: Celery set up for at-least-once work, with PDFs on their own queue and a sweep that
outlasts a 30-minute database outage."""

from django.conf import settings

from alerts import tasks


def test_a_lost_worker_requeues_its_task():
    """Acks late, rejected (re-queued) when the worker dies, one task at a time, re-delivered by Redis."""
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert 600 <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 3600


def test_bulk_pdf_renders_have_their_own_queue():
    """Re-renders never queue ahead of a person's work."""
    routes = settings.CELERY_TASK_ROUTES
    for name in (
        "meetings.tasks.meeting_record_render",
        "supervision.tasks.case_discussion_render",
        "supervision.tasks.supervision_record_render",
        "alerts.tasks.pdf_renders_retry",
    ):
        assert routes[name] == {"queue": "bulk"}
    assert "alerts.tasks.alerts_sweep_daily" not in routes


def test_the_daily_sweep_retries_for_longer_than_a_30_minute_outage():
    """Backoff from one minute, doubling, without jitter: the retries span over 30 minutes."""
    task = tasks.alerts_sweep_daily
    assert task.retry_jitter is False
    waits = [min(task.retry_backoff * 2**n, task.retry_backoff_max) for n in range(task.max_retries)]
    assert sum(waits) > 30 * 60
