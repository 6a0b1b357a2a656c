"""Celery tasks for core: thin wrappers named after the services they call, run by beat
(config/settings/base.py). Idempotent: safe to run twice."""

from celery import shared_task

from .services import submissions_prune as prune


@shared_task
def submissions_prune() -> int:
    """Forget saved form submissions older than the window a resend comes in (core/submissions.py)."""
    return prune()
