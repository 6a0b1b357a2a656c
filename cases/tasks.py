"""Celery tasks: thin wrappers named after the services they call (architecture.md)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Child, Leave


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
    """Re-judge every open child's obligations as of today (beat, daily): statuses move with the date."""
    today = timezone.localdate()
    count = 0
    for child_id in Child.objects.filter(is_open=True).values_list("pk", flat=True).iterator():
        services.child_obligations_refresh(child_id=child_id, as_of=today)
        count += 1
    worker_ids = (
        Leave.objects.filter(kind=Leave.Kind.UNPLANNED).values_list("worker_id", flat=True).distinct()
    )
    for worker_id in worker_ids:
        services.core.worker_obligations_refresh(worker_id=worker_id, as_of=today)
    return count
