"""The demo's closed records get their closing day (retention/, issue 19): the children are created in
bulk, so the listener that starts a record's retention when it closes never ran for them. The day is
the end of the child's last programme (the demo's records close with it), else the seeded day."""

from __future__ import annotations

import datetime

from django.db.models import Max

from cases.models import Child
from retention.models import RetentionReview


def build(*, today: datetime.date) -> int:
    """A RetentionReview for every closed child without one; how many were made."""
    closed = (
        Child.objects.filter(is_open=False, retention_review__isnull=True)
        .annotate(last_end=Max("programmes__end_date"))
        .values_list("pk", "last_end")
    )
    rows = [RetentionReview(child_id=pk, closed_on=min(last_end or today, today)) for pk, last_end in closed]
    RetentionReview.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
