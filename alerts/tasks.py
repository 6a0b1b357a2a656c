"""Celery tasks for alerts (placeholders until built): thin wrappers named after their services."""

from celery import shared_task


@shared_task
def alerts_sweep_daily() -> dict:
    """Re-judge every open obligation as of today and raise due-soon, overdue and escalation alerts."""
    raise NotImplementedError


@shared_task
def alerts_sweep_hourly() -> dict:
    """Raise alerts for hour-based obligations (24/48/72 hours) as of now."""
    raise NotImplementedError


@shared_task
def digests_send() -> int:
    """Send each user's daily digest (once per user per day)."""
    raise NotImplementedError


@shared_task
def pdf_renders_retry() -> int:
    """Queue again any meeting or case discussion PDF that should exist and does not."""
    raise NotImplementedError
