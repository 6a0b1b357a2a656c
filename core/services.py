"""What every app's services share: a record re-read under a row lock, and the refusal of a date in
the future (records say what has happened)."""

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def locked(record: M, *related: str, defer: Sequence[str] = ()) -> M:
    """The record re-read under a row lock on its own row (with the related rows named, and large
    columns deferred), so two people cannot act on the same step at once."""
    rows = type(record)._default_manager.select_for_update(of=("self",))
    if related:
        rows = rows.select_related(*related)
    if defer:
        rows = rows.defer(*defer)
    return rows.get(pk=record.pk)


def future_error(day: datetime.date | None, noun: str, today: datetime.date | None = None) -> str | None:
    """The refusal of a date after today ("<noun> must be today or in the past"); None otherwise."""
    if day and day > (today or timezone.localdate()):
        return f"{noun} must be today or in the past"
    return None
