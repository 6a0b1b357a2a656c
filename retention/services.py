"""Writes of the retention pages: extending a record's review date (issue 19). Erasure is erasure.py."""

from __future__ import annotations

import datetime

from django.db import transaction

from core.audit import audit_record
from core.models import AuditEntry

from .models import RetentionExtension, RetentionReview
from .selectors import review_for


class ExtensionRefused(Exception):
    """The extension cannot be recorded (the record is open or gone, or the date is not later)."""


@transaction.atomic
def review_extend(
    *, child_id: int, user, review_on: datetime.date, reason: str, today: datetime.date
) -> RetentionExtension:
    """Keep a closed record until a later review date, recording who, when and why (the earlier
    extensions are kept). UK GDPR Art. 5(1)(e) allows keeping it longer only for a reason: it is
    required."""
    review = (
        RetentionReview.objects.select_for_update()
        .filter(child_id=child_id, child__is_open=False, closed_on__isnull=False)
        .select_related("child")
        .first()
    )
    if review is None:
        raise ExtensionRefused("Only a closed record can be kept for longer")
    previous = review_for(review)
    if review_on <= max(today, previous):
        raise ExtensionRefused(f"The new review date must be after {max(today, previous):%-d %B %Y}")
    extension = RetentionExtension.objects.create(
        child=review.child, previous_due=previous, review_on=review_on, reason=reason, decided_by=user
    )
    review.review_on = review_on
    review.save(update_fields=["review_on"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=extension,
        child=review.child,
        description=f"Kept the closed record for review on {review_on:%d/%m/%Y} (was due {previous:%d/%m/%Y})",
    )
    return extension
