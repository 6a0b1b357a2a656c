"""Celery tasks: thin wrappers named after the services they call (architecture.md)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Child, Obligation, User

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def child_obligations_refresh(child_id: int) -> int:
    """Recompute one child's obligations (queued when their record changes)."""
    return services.child_obligations_refresh(child_id=child_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def worker_obligations_refresh(worker_id: int) -> int:
    """Recompute one worker's own obligations (queued when their leave record changes)."""
    return services.core.worker_obligations_refresh(worker_id=worker_id)


@shared_task
def obligations_refresh_all() -> int:
    """Re-judge every open child's obligations as of today (beat, daily): statuses move with the date.

    Each child is refreshed in its own transaction; one that fails is logged and the sweep goes on, so
    a single bad record never leaves the rest of the service stale. Workers are re-judged while they
    have an outstanding obligation (met and met-late ones no longer change with the date).
    """
    today = timezone.localdate()
    count = 0
    for child_id in Child.objects.filter(is_open=True).values_list("pk", flat=True).iterator():
        try:
            services.child_obligations_refresh(child_id=child_id, as_of=today)
        except Exception:
            logger.exception("Obligations refresh failed for child %s", child_id)
            continue
        count += 1
    outstanding = Obligation.objects.filter(
        child__isnull=True, status__in=[Obligation.Status.OPEN, Obligation.Status.OVERDUE]
    )
    # Every active worker with a supervisor is supervised (000 §4.1), so each is re-judged too: a worker
    # added or given a supervisor since gets their supervision timescale without waiting for a record.
    supervised = User.objects.filter(is_active=True, line_manager__isnull=False).values_list("pk", flat=True)
    worker_ids = set(outstanding.values_list("worker_id", flat=True).distinct()) | set(supervised)
    for worker_id in sorted(worker_ids):
        services.core.worker_obligations_refresh(worker_id=worker_id, as_of=today)
    # The safety net for the compliance roll-up too: every month recounted from the obligations.
    services.rollup.months_rebuild_all()
    return count
