"""Celery tasks for alerts: thin wrappers named after their services, run by beat (config/settings/base.py).

Each reads the clock once, is idempotent (safe to run twice) and is retried with backoff when it fails.
"""

import logging
from typing import TypedDict

from celery import shared_task
from django.utils import timezone

from cases.services.rejudge import obligations_rejudge_all

from .models import SweepRun
from .pdf_retry import pdf_renders_queue
from .pruning import notifications_prune as prune
from .selectors import DAILY_SWEEP_HOUR, daily_sweep_finished
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
    (unchanged rows are left alone) and raises nothing twice (notification keys are unique). Each run is
    recorded (`SweepRun`), so an unfinished day is completed by the next hourly run.
    """
    return _daily_sweep(now=timezone.now(), trigger="beat")


def _daily_sweep(*, now, trigger: str) -> dict:
    """The daily sweep as of `now`, recorded as a run: finished with its counts, or failed with why."""
    run = SweepRun.objects.create(date=timezone.localdate(now), trigger=trigger)
    try:
        rejudged = obligations_rejudge_all(as_of=timezone.localdate(now))
        raised = alerts_raise(now=now)
        logger.info("Alerts sweep (%s): %s; %s", trigger, rejudged, raised)
        if rejudged["failed"]:
            # Everyone else is re-judged and alerted; fail the run so it is retried for the ones that failed.
            raise SweepIncomplete(f"{rejudged['failed']} record(s) could not be re-judged: {rejudged}")
    except Exception as exc:
        SweepRun.objects.filter(pk=run.pk).update(error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    result = {"rejudged": rejudged, "raised": raised}
    SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), counts=result)
    return result


@shared_task(**RETRY)
def alerts_sweep_hourly() -> dict:
    """Raise alerts for hour-based obligations (24/48/72 hours) as of now: due soon, and overdue.

    No re-judge is needed: statuses are date-based (an hour-based obligation is "overdue" only after its
    date, timescales.md), so they change only at midnight, and the daily sweep re-judges them. What
    changes within a day is only how the clock compares with each row's stored `due_at`.

    Catch-up (issue 16): after 06:00, if today's daily sweep has not finished (the worker was down, the
    database was out for longer than its retries), this run completes it, after its own raise.
    """
    now = timezone.now()
    result = alerts_raise(now=now, hour_based_only=True)
    today = timezone.localdate(now)
    if timezone.localtime(now).hour >= DAILY_SWEEP_HOUR and not daily_sweep_finished(day=today):
        result["daily_caught_up"] = _daily_sweep(now=now, trigger="catch-up")
    return result


@shared_task(**RETRY)
def digests_send() -> dict:
    """Send each user's daily digest email (at most once per user per day)."""
    return send(today=timezone.localdate())


@shared_task(**RETRY)
def pdf_renders_retry() -> dict:
    """Queue again any CMM record, case discussion record or Record of Supervision PDF that failed."""
    return pdf_renders_queue()


@shared_task(**RETRY)
def notifications_prune() -> dict:
    """Delete notifications read long ago or left unread for a year, unless their work is still
    outstanding (alerts/pruning.py): the table stays the size of the work in hand (issue 19)."""
    return prune(now=timezone.now())
