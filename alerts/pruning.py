"""Old notifications are deleted, so the table grows with the work in hand, not with the years (issue 19).

Nothing else ever removed a notification: every morning's sweep adds the day's, and at 20,000 unread
rows for one user each page they opened was 75 ms slower. `notifications_prune` (beat, nightly) deletes

- a **read** notification once it has been read for NOTIFICATIONS_KEEP_READ_DAYS (default 90 days: a
  quarter, long enough to look back over a supervision period or the compliance dashboard's default
  three months);
- an **unread** one once it is NOTIFICATIONS_KEEP_UNREAD_DAYS old (default 365 days: nobody acts on a
  year-old alert, and a year covers an annual review of what someone was told),

**unless what it is about is still outstanding** (its obligation still due or overdue, its step still
waiting). The sweep raises a notification for outstanding work whenever the recipient has none with its
key, so deleting one would raise it again the next morning as new and unread. Kept that way, the rows
left are bounded by the work in hand. The age boundary is exclusive: exactly 90 days read is kept.

A notification is derived data: the obligation (and its history in the audit log) is the record, so
deleting rather than archiving loses nothing anyone needs (ADR 0015). The deletes go in chunks of
PRUNE_BATCH rows by primary key, each its own short transaction, so the table is never locked for long and
a run stopped half way is simply finished by the next (idempotent: a second run deletes nothing).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from cases.models import Obligation

from . import selectors
from .models import Notification

PRUNE_BATCH = 1000
# What notification_states calls a notification whose work is still to do.
_STILL_TO_DO = frozenset({*Obligation.OUTSTANDING, "open"})


def prune_cutoffs(*, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Read before the first, or created unread before the second: past its period."""
    read_before = now - datetime.timedelta(days=settings.NOTIFICATIONS_KEEP_READ_DAYS)
    unread_before = now - datetime.timedelta(days=settings.NOTIFICATIONS_KEEP_UNREAD_DAYS)
    return read_before, unread_before


def past_period(*, now: datetime.datetime) -> Q:
    """The notifications past their period as of `now` (still outstanding or not)."""
    read_before, unread_before = prune_cutoffs(now=now)
    return Q(read_at__isnull=False, read_at__lt=read_before) | Q(
        read_at__isnull=True, created_at__lt=unread_before
    )


def notifications_prune(*, now: datetime.datetime, batch: int = PRUNE_BATCH) -> dict[str, int]:
    """Delete the notifications past their period whose work is done or gone; returns how many were
    deleted and how many past their period were kept because their work is still outstanding.

    Walks the candidates once in primary-key order, `batch` at a time: one query for the chunk, one or
    two for whether their obligations are still outstanding (selectors.notification_states), one delete."""
    past = past_period(now=now)
    deleted = kept = 0
    last_pk = 0
    while True:
        chunk = list(
            Notification.objects.filter(past, pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "kind", "child_id", "worker_id", "code", "due", "key")[:batch]
        )
        if not chunk:
            break
        last_pk = chunk[-1].pk
        states = selectors.notification_states(notifications=chunk)
        doomed = [n.pk for n in chunk if states.get(n.pk) not in _STILL_TO_DO]
        kept += len(chunk) - len(doomed)
        if doomed:
            with transaction.atomic():
                # Re-checked against the period inside the delete, so a notification opened (made
                # unread, or re-raised) since the chunk was read is not deleted by mistake.
                deleted += Notification.objects.filter(past, pk__in=doomed).delete()[0]
    return {"deleted": deleted, "kept_outstanding": kept}
