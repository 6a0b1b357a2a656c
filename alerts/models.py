"""Notifications raised by the alerts sweep, and the record of each day's digest email."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One alert to one member of staff about one obligation (a child's or a worker's).

    Obligations are replaced whenever they are recomputed, so a notification names its obligation by
    value (child or worker, code, due date) and carries a `key` built from them: the sweep creates a
    notification only if the recipient has none with that key, so running it twice raises nothing twice.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        # Overdue work of someone the recipient manages (their line manager, or the team's manager).
        OVERDUE_MANAGER = "overdue_manager", "Overdue in your team"
        # Overdue by more than ALERT_ESCALATE_AFTER_WORKING_DAYS: to the service manager.
        ESCALATED = "escalated", "Escalated: long overdue"
        # A step waiting on the recipient with no timescale of its own (core.registry waiting work: a
        # transfer's endorsement, allocation or escalation, 003 §11.4; Form H, 001 §8).
        WAITING = "waiting", "Waiting for you"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # For a worker's own obligation (supervision, leave follow-ups): whose it is.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications_about",
    )
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    basis = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=400)
    link = models.CharField(max_length=300, blank=True, help_text="Where the work is done")
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_recipient_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            # The header's unread count (capped, alerts.selectors.unread_count) and the unread list read
            # only this user's unread rows, newest first (issue 19).
            models.Index(
                fields=["recipient", "created_at", "id"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # Pruning (alerts.services.notifications_prune) finds what is past its period by age.
            models.Index(fields=["created_at"], name="notification_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.recipient})"


class DigestSent(models.Model):
    """That a user's digest for a day was sent (or had nothing to send): the digest job is idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False, help_text="False when there was nothing to send")
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="digest_user_date")]

    def __str__(self):
        return f"Digest for {self.user} on {self.date}"


class SweepRun(models.Model):
    """One run of the daily alerts sweep (issue 16): when it started and finished, what it did, or why it
    failed. The hourly run completes a day whose sweep has not finished; pages say "alerts last raised"."""

    date = models.DateField(help_text="The London day the sweep is for")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)
    trigger = models.CharField(max_length=20, default="beat", help_text="beat, or catch-up (an hourly run)")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["date", "finished_at"])]

    def __str__(self):
        state = "finished" if self.finished_at else ("failed" if self.error else "running")
        return f"Alerts sweep for {self.date} ({state})"
