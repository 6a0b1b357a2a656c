"""When a closed child's record falls due for review, and each extension of that date (issue 19).

UK GDPR Art. 5(1)(e): personal data is kept no longer than necessary. The policy profile states the
period (`retention.age`, `retention.after_closure`, cases/rules/policies); `RetentionReview` keeps the
one date the product cannot derive from the child's record, the day it closed, and a review date a
service manager set instead (an extension). Both are indexed, so the list of records due is a range
query on them, never a scan of every child.
"""

from django.conf import settings
from django.db import models


class RetentionReview(models.Model):
    """A closed child's record: the day it closed and, once extended, the date set for its next review.

    Written when the record closes (retention/signals.py); `closed_on` is emptied if it reopens, so a
    reopened record is never listed. It goes with the child when the record is erased.
    """

    child = models.OneToOneField("cases.Child", on_delete=models.CASCADE, related_name="retention_review")
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    # Set by an extension: the review date replaces the one the policy gives.
    review_on = models.DateField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Retention review of child {self.child_id}"


class RetentionExtension(models.Model):
    """One decision to keep a record past its review date: the new date, why, who and when. Kept as a
    list (never edited) so the record shows every extension; erased with the child."""

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="retention_extensions")
    previous_due = models.DateField()
    review_on = models.DateField()
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"Review of child {self.child_id} moved to {self.review_on:%d/%m/%Y}"
