"""A subject access export: one child's whole record, as a ZIP of a PDF, a JSON dump and the list of
third-party information to consider for redaction, made by the service manager on a request received
under UK GDPR Art. 15 (DPA 2018 s.45 where the processing is for law enforcement).

The ZIP is stored on the row, not as a core `Document`: a child's documents are open to everyone who
may see the child, and the export is for the service manager alone until it is redacted and released.
"""

from django.conf import settings
from django.db import models

from core.models import OutboxMessage


class SubjectAccessExport(models.Model):
    """One export of a child's record, for one request: asked for on the page, rendered on the outbox's
    bulk queue (ADR 0010), so a long record never holds a web worker."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="subject_access_exports")
    requester = models.CharField("who made the request", max_length=200)
    reference = models.CharField("request reference", max_length=60, blank=True)
    received_on = models.DateField("date the request was received")
    reason = models.TextField("reason and notes")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARING)
    # The render's outbox message: the page shows honestly whether it is queued, retrying or failed.
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(default=b"")
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    redactions = models.PositiveIntegerField("items listed for redaction", default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["child", "-created_at"])]

    def __str__(self):
        return f"Subject access export {self.pk} for {self.child.case_number}"
