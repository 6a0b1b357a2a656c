"""The transactional outbox (ADR 0010): follow-up work recorded with the change that causes it.

A service that must send an email or render a PDF calls `email_enqueue` or `enqueue` inside its own
transaction. The row commits with the change or not at all, so nothing is sent for a change that rolled
back, and nothing is lost when the broker is down:

- on commit, the message is published to the worker (`outbox_deliver`); a failed publish is logged and
  the write still answers success (`robust=True`);
- the relay (beat, every minute) publishes again every pending message whose `next_attempt_at` has come,
  so a lost publish, a lost worker or a failed delivery is only a delay;
- delivery locks the row, runs the topic's handler and marks the message `sent` only when the handler
  succeeded (for an email: the mail server accepted it). A failure is recorded with its reason and retried
  with backoff; a second delivery of the same message finds it sent and does nothing.

Apps register their own topics (`register("meetings.record_render", handler, queue="bulk")`) from their
`plugin.py`; "email" is the core's.
"""

from __future__ import annotations

import base64
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# The on-commit publish has this long to be delivered before the relay publishes the message again.
PUBLISH_GRACE = datetime.timedelta(minutes=2)
# A failed delivery is tried again after 1, 2, 4 … minutes, at most an hour apart, for about a day.
RETRY_FIRST = datetime.timedelta(minutes=1)
RETRY_MAX = datetime.timedelta(hours=1)
MAX_ATTEMPTS = 30
RELAY_BATCH = 500
EMAIL = "email"
# What a sent email keeps: who it went to and what it was, not its body or attachments.
EMAIL_KEPT = ("subject", "to", "cc", "bcc")


@dataclass(frozen=True)
class Topic:
    """A kind of follow-up work: what delivers it, and the worker queue it runs on."""

    handler: Callable[[dict], object]
    queue: str = "celery"


_topics: dict[str, Topic] = {}


def register(topic: str, handler: Callable[[dict], object], *, queue: str = "celery") -> None:
    """Register how a topic's messages are delivered (called from an app's plugin.py)."""
    _topics[topic] = Topic(handler=handler, queue=queue)


def enqueue(
    *,
    topic: str,
    payload: dict,
    description: str,
    source: str = "",
    key: str | None = None,
    child=None,
    user=None,
) -> OutboxMessage:
    """Record follow-up work in the caller's transaction, and publish it once that commits.

    With a `key`, the same work is recorded once: a second call returns the first message.
    """
    if topic not in _topics:
        raise LookupError(f"No outbox handler is registered for {topic!r}")
    now = timezone.now()
    if key:
        existing = OutboxMessage.objects.filter(key=key).first()
        if existing is not None:
            return existing
    message = OutboxMessage.objects.create(
        topic=topic,
        payload=payload,
        description=description[:200],
        source=source[:60],
        key=key or None,
        child=child,
        created_by=user,
        next_attempt_at=now + PUBLISH_GRACE,
    )
    pk = message.pk
    transaction.on_commit(lambda: publish(pk, topic), robust=True)
    return message


def email_payload(message: EmailMessage) -> dict:
    """An email as JSON: addresses, subject, body, HTML alternatives and attachments (base64)."""
    attachments = []
    for attachment in message.attachments:
        name, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([name, base64.b64encode(data).decode("ascii"), mimetype])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def email_enqueue(
    message: EmailMessage,
    *,
    description: str,
    source: str = "",
    key: str | None = None,
    child=None,
    user=None,
) -> OutboxMessage:
    """Record an email to be sent once the caller's transaction commits (see `enqueue`)."""
    return enqueue(
        topic=EMAIL,
        payload=email_payload(message),
        description=description,
        source=source,
        key=key,
        child=child,
        user=user,
    )


def _email_send(payload: dict) -> None:
    """Hand the email to the mail server; an error, or a message it did not take, is a failure."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or [],
        bcc=payload.get("bcc") or [],
        reply_to=payload.get("reply_to") or [],
    )
    for content, mimetype in payload.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    for name, data, mimetype in payload.get("attachments") or []:
        message.attach(name, base64.b64decode(data), mimetype)
    if get_connection().send_messages([message]) != 1:
        raise OSError("the mail server did not accept the message")


register(EMAIL, _email_send)


def publish(pk: int, topic: str) -> None:
    """Hand a message to the worker, on its topic's queue (runs in-process when Celery is eager)."""
    queue = _topics[topic].queue if topic in _topics else "celery"
    outbox_deliver.apply_async((pk,), queue=queue)


def _backoff(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failure a message is tried again."""
    return min(RETRY_FIRST * 2 ** max(0, attempts - 1), RETRY_MAX)


def _reason(exc: BaseException) -> str:
    """A failure as the pages show it: short, and with no stack."""
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def deliver(*, pk: int, now: datetime.datetime | None = None) -> str:
    """Deliver one message, at most once: returns "sent", "retrying", "failed" or "skipped".

    The row is locked for the delivery, so two deliveries of the same message (a relay's publish and
    the first one, or a message redelivered after a worker died) run one after the other, and the second
    finds it sent. A handler's failure rolls back its own writes and is recorded, with when to try again.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or not message.is_pending:
            return "skipped"
        topic = _topics.get(message.topic)
        try:
            if topic is None:
                raise LookupError(f"No outbox handler is registered for {message.topic!r}")
            with transaction.atomic():
                topic.handler(message.payload)
        except Exception as exc:  # any failure is recorded on the message and retried
            logger.warning("Outbox message %s (%s) failed: %s", pk, message.topic, exc)
            now = now or timezone.now()
            message.attempts += 1
            message.last_error = _reason(exc)
            message.next_attempt_at = now + _backoff(message.attempts)
            gave_up = message.attempts >= MAX_ATTEMPTS
            message.status = OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.RETRYING
            message.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
            return message.status
        message.status = OutboxMessage.Status.SENT
        message.sent_at = now or timezone.now()
        message.attempts += 1
        if message.topic == EMAIL:
            message.payload = {k: v for k, v in message.payload.items() if k in EMAIL_KEPT}
        message.save(update_fields=["status", "sent_at", "attempts", "payload"])
        return "sent"


def relay(*, now: datetime.datetime | None = None) -> dict:
    """Publish again every pending message that is due (oldest first, in batches). Returns the counts.

    A message is given `PUBLISH_GRACE` before it is published again; if the broker is down the run
    fails at the first publish, leaving the rest due for the next minute's run.
    """
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(status__in=OutboxMessage.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "topic")[:RELAY_BATCH]
    )
    # One statement marks the batch before any is published: a worker delivering the first never waits
    # on the relay's writes to the rest. If a publish fails, the rest wait PUBLISH_GRACE, not longer.
    OutboxMessage.objects.filter(pk__in=[pk for pk, _ in due], status__in=OutboxMessage.PENDING).update(
        next_attempt_at=now + PUBLISH_GRACE
    )
    published: list[int] = []
    try:
        for pk, topic in due:
            publish(pk, topic)
            published.append(pk)
    finally:
        logger.info("Outbox relay: %s of %s due message(s) published", len(published), len(due))
    return {"due": len(due), "published": len(published)}


def messages_for_source(source: str, *, limit: int = 50) -> list[OutboxMessage]:
    """A record's emails and renders, newest first (at most `limit`: a page never lists a growing table)."""
    return list(OutboxMessage.objects.filter(source=source).order_by("-created_at", "-pk")[:limit])


def messages_for_user(*, user, everyone: bool = False, limit: int = 100) -> dict[str, list[OutboxMessage]]:
    """What the user wrote that is still waiting (oldest first) and what was sent lately (newest first);
    with `everyone` (the service manager), everything waiting, whoever wrote it. Bounded: the waiting
    rows come from the small partial index; the sent list is the user's latest `limit`."""
    waiting = OutboxMessage.objects.filter(
        status__in=[*OutboxMessage.PENDING, OutboxMessage.Status.FAILED]
    ).select_related("created_by")
    if not everyone:
        waiting = waiting.filter(created_by=user)
    sent = OutboxMessage.objects.filter(created_by=user, status=OutboxMessage.Status.SENT)
    return {
        "waiting": list(waiting.order_by("created_at", "pk")[:limit]),
        "sent": list(sent.order_by("-created_at", "-pk")[:limit]),
    }


def message_get_for_user(*, user, pk: int, everyone: bool = False) -> OutboxMessage | None:
    """One message the user wrote (or any, for the service manager); None for anyone else's."""
    messages = OutboxMessage.objects.filter(pk=pk)
    if not everyone:
        messages = messages.filter(created_by=user)
    return messages.first()


def retry(*, message: OutboxMessage, now: datetime.datetime | None = None) -> OutboxMessage:
    """Try a failed message again now (the sender's "Try again"), from a fresh count of attempts."""
    now = now or timezone.now()
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.RETRYING, attempts=0, next_attempt_at=now + PUBLISH_GRACE
    )
    message.refresh_from_db()
    pk, topic = message.pk, message.topic
    transaction.on_commit(lambda: publish(pk, topic), robust=True)
    return message


@shared_task(name="core.tasks.outbox_deliver")
def outbox_deliver(pk: int) -> str:
    """Deliver one outbox message (idempotent: a delivered message is skipped)."""
    return deliver(pk=pk)


@shared_task(name="core.tasks.outbox_relay")
def outbox_relay() -> dict:
    """Publish again what is due and not delivered (beat, every minute)."""
    return relay()
