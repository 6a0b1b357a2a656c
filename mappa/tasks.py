"""Celery tasks for MAPPA: thin wrappers named after the service they call; idempotent."""

from celery import shared_task
from django.utils import timezone


@shared_task
def mappa_share_task_ensure() -> int:
    """Give the development manager the quarter's "share the MAPPA register" task (001 §8), once per
    quarter (beat, daily: a new quarter or a new development manager gets it the next morning)."""
    from .services.share import mappa_share_task_ensure as ensure

    return len(ensure(today=timezone.localdate()))
