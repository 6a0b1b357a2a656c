"""What the retention pages and command read: the closed records due for review (issue 19)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from .due import cut_offs, review_due
from .models import RetentionExtension, RetentionReview


def records_due(*, today: datetime.date) -> QuerySet[RetentionReview]:
    """Closed records whose review date has come, oldest closure first: two range conditions on indexed
    dates (retention/due.py), so a page of them never reads every child."""
    born_by, closed_by = cut_offs(today)
    policy_due = Q(review_on__isnull=True, child__date_of_birth__lte=born_by, closed_on__lte=closed_by)
    return (
        RetentionReview.objects.filter(child__is_open=False, closed_on__isnull=False)
        .filter(policy_due | Q(review_on__lte=today))
        .select_related("child", "child__team")
        .order_by("closed_on", "pk")
    )


def review_for(review: RetentionReview) -> datetime.date:
    """The review's date (policy or extension)."""
    assert review.closed_on is not None
    return review_due(
        date_of_birth=review.child.date_of_birth, closed_on=review.closed_on, review_on=review.review_on
    )


def closed_review_get(*, child_id: int) -> RetentionReview | None:
    """The closed record's review row (None when the child is unknown, erased, or open)."""
    return (
        RetentionReview.objects.filter(child_id=child_id, child__is_open=False, closed_on__isnull=False)
        .select_related("child", "child__team")
        .first()
    )


def extensions_for(*, child_id: int) -> QuerySet[RetentionExtension]:
    """Every extension of the record, newest first, with who decided it."""
    return RetentionExtension.objects.filter(child_id=child_id).select_related("decided_by")
