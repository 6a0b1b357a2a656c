"""Celery tasks for alerts: thin wrappers named after their services, run by beat (config/settings/base.py).

Each reads the clock once, is idempotent (safe to run twice) and is retried with backoff when it fails.
"""

import logging
from typing import TypedDict

from celery import shared_task
from django.utils import timezone

from cases.services.rejudge import obligations_rejudge_all

from .pdf_retry import pdf_renders_queue
from .services import alerts_raise
from .services import digests_send as send

logger = logging.getLogger(__name__)


class SweepIncomplete(Exception):
    """Some children or workers could not be re-judged; the sweep is retried (it is idempotent)."""


class _Retry(TypedDict):
    """The retry options every task here shares, typed so they can be spread into `shared_task`."""

    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


RETRY: _Retry = {
    "autoretry_for": (Exception,),
    # Issue 16: retries after 1, 2, 4, 8 and 16 minutes, without jitter: 31 minutes in all, so a
    # 30-minute database outage at 06:00 delays the day's alerts instead of losing them.
    "retry_backoff": 60,
    "retry_backoff_max": 960,
    "retry_jitter": False,
    "max_retries": 5,
}


@shared_task(**RETRY)
def alerts_sweep_daily() -> dict:
    """Re-judge every open obligation as of today from its stored facts, then raise the day's alerts.

    Beat runs it at 06:00, before the working day. The re-judge goes in chunks, each its own transaction
    (each leaves correct rows for today); the raise is one transaction. A retry re-judges nothing twice
    (unchanged rows are left alone) and raises nothing twice (notification keys are unique).
    """
    now = timezone.now()
    rejudged = obligations_rejudge_all(as_of=timezone.localdate(now))
    raised = alerts_raise(now=now)
    logger.info("Alerts sweep: %s; %s", rejudged, raised)
    if rejudged["failed"]:
        # Everyone else is re-judged and alerted; fail the run so it is retried for the ones that failed.
        raise SweepIncomplete(f"{rejudged['failed']} record(s) could not be re-judged: {rejudged}")
    return {"rejudged": rejudged, "raised": raised}


@shared_task(**RETRY)
def alerts_sweep_hourly() -> dict:
    """Raise alerts for hour-based obligations (24/48/72 hours) as of now: due soon, and overdue.

    No re-judge is needed: statuses are date-based (an hour-based obligation is "overdue" only after its
    date, timescales.md), so they change only at midnight, and the daily sweep re-judges them. What
    changes within a day is only how the clock compares with each row's stored `due_at`.
    """
    return alerts_raise(now=timezone.now(), hour_based_only=True)


@shared_task(**RETRY)
def digests_send() -> dict:
    """Send each user's daily digest email (at most once per user per day)."""
    return send(today=timezone.localdate())


@shared_task(**RETRY)
def pdf_renders_retry() -> dict:
    """Queue again any CMM record, case discussion record or Record of Supervision PDF that failed."""
    return pdf_renders_queue()
