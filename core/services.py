"""What every app's services share: a record re-read under a row lock, the refusal of a save from a
stale form (optimistic versions), the refusal of a date in the future (records say what has happened),
and the pruning of saved form submissions."""

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .models import Submission, Versioned

M = TypeVar("M", bound=models.Model)


def locked(record: M, *related: str, defer: Sequence[str] = ()) -> M:
    """The record re-read under a row lock on its own row (with the related rows named, and large
    columns deferred), so two people cannot act on the same step at once.

    The lock is taken first and the record read afresh after it: PostgreSQL re-checks a locked row that
    another transaction changed, but not the rows joined to it in the same statement, so a joined
    relation read with the lock could be the one from before the other's change (a case manager
    replaced a moment ago; tests/faults/test_concurrent_allocation.py)."""
    manager = type(record)._default_manager
    manager.select_for_update().filter(pk=record.pk).values_list("pk", flat=True).get()
    rows = manager.all()
    if related:
        rows = rows.select_related(*related)
    if defer:
        rows = rows.defer(*defer)
    return rows.get(pk=record.pk)


STALE_MESSAGE = (
    "Someone else saved this record after you opened it. Nothing you wrote has been saved yet: "
    "your words are in the form, and what is saved now is shown with them. Check both, then save again"
)


class StaleVersion(ValidationError):
    """A save from a form loaded before someone else's save: nothing is written. `record` is the
    record as saved now (locked), so the form can show it beside the user's words."""

    def __init__(self, record: Versioned):
        super().__init__(STALE_MESSAGE, code="stale")
        self.record = record


def version_advance(current: Versioned, version: int | None) -> None:
    """On a record re-read under its row lock (`locked`): refuse the save if the form was loaded at
    another version (StaleVersion), otherwise count this save. Save `version` with the record's fields.
    A caller that sent no version (a script, an old test) is not checked: the version is a safeguard
    for forms."""
    if version is not None and version != current.version:
        raise StaleVersion(current)
    current.version += 1


def future_error(day: datetime.date | None, noun: str, today: datetime.date | None = None) -> str | None:
    """The refusal of a date after today ("<noun> must be today or in the past"); None otherwise."""
    if day and day > (today or timezone.localdate()):
        return f"{noun} must be today or in the past"
    return None


# A resend (a double click, a browser retry, the back button) comes within minutes; sessions end after
# 30 minutes idle. A day covers them all and keeps the table small.
SUBMISSION_KEPT = datetime.timedelta(days=1)


def submissions_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete saved form submissions older than SUBMISSION_KEPT (by the created_at index); the count."""
    cutoff = (now or timezone.now()) - SUBMISSION_KEPT
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
