"""Capturing PDF renders published from the outbox (ADR 0010) instead of running WeasyPrint."""

from core import outbox
from core.models import OutboxMessage


def capture_renders(monkeypatch, topic: str, field: str) -> list[int]:
    """The ids of the records whose render (`topic`) is published; other messages go as usual."""
    calls: list[int] = []
    real = outbox.publish

    def publish(pk: int, published_topic: str) -> None:
        if published_topic == topic:
            calls.append(OutboxMessage.objects.get(pk=pk).payload[field])
        else:
            real(pk, published_topic)

    monkeypatch.setattr(outbox, "publish", publish)
    return calls
