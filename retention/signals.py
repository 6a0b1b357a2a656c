"""Keeps each child's `RetentionReview` in step with the record opening and closing (issue 19).

The case work closes a record by saving the child with `is_open` False (transfers/services/common.py);
this app listens rather than being called, so the layers below never know it exists (ADR 0008).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from cases.models import Child

from .models import RetentionReview


@receiver(post_save, sender=Child, dispatch_uid="retention.child_saved")
def child_saved(sender, instance: Child, raw=False, created=False, update_fields=None, **kwargs) -> None:
    """A record that closes starts its retention period today; one reopened (saved with `is_open` in
    `update_fields`) leaves the list, its extensions kept. Saves of an open record that do not name
    `is_open` (levels, details) cost no query here: the list asks `is_open` itself anyway."""
    if raw or (update_fields is not None and "is_open" not in update_fields):
        return
    if instance.is_open:
        if created or update_fields is None:
            return
        RetentionReview.objects.filter(child=instance, closed_on__isnull=False).update(closed_on=None)
        return
    review, created = RetentionReview.objects.get_or_create(
        child=instance, defaults={"closed_on": timezone.localdate()}
    )
    if not created and review.closed_on is None:
        review.closed_on = timezone.localdate()
        review.save(update_fields=["closed_on"])
