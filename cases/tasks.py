"""Celery tasks: thin wrappers named after the services they call (architecture.md)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Child


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def child_obligations_refresh(self, child_id: int) -> int:
    """Recompute one child's obligations (queued when their record changes)."""
    return services.child_obligations_refresh(child_id=child_id)


@shared_task
def obligations_refresh_all() -> int:
    """Re-judge every open child's obligations as of today (beat, daily): statuses move with the date."""
    today = timezone.localdate()
    count = 0
    for child_id in Child.objects.filter(is_open=True).values_list("pk", flat=True).iterator():
        services.child_obligations_refresh(child_id=child_id, as_of=today)
        count += 1
    return count
