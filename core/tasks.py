"""Celery tasks for core: thin wrappers named after the services they call, run by beat
(config/settings/base.py). Idempotent: safe to run twice. The outbox's delivery and relay are defined
in core/outbox.py and imported here so Celery finds them."""

from celery import shared_task

from .outbox import outbox_deliver, outbox_relay
from .services import submissions_prune as prune

__all__ = ["outbox_deliver", "outbox_relay", "submissions_prune"]


@shared_task
def submissions_prune() -> int:
    """Forget saved form submissions older than the window a resend comes in (core/submissions.py)."""
    return prune()
