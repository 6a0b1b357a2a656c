"""Celery tasks of the core: the outbox's delivery and relay (defined in core/outbox.py, named here)."""

from .outbox import outbox_deliver, outbox_relay

__all__ = ["outbox_deliver", "outbox_relay"]
