"""What every app uses: the audit log, tracked tasks and stored documents.

The tables keep their original names (`cases_auditentry`, `cases_task`, `cases_document`): the models
moved here from `cases` (ADR 0008) without touching the data.
"""

from collections.abc import Collection, Mapping
from typing import ClassVar

from django.conf import settings
from django.db import models


class StatusTransitions:
    """A record whose status moves only along its model's `TRANSITIONS` table (each status to the
    statuses it may move to), so services and templates ask the table rather than chain `if`s."""

    TRANSITIONS: ClassVar[Mapping[str, Collection[str]]] = {}
    STATUS_FIELD: ClassVar[str] = "status"

    def can_move_to(self, status: str) -> bool:
        """Whether the record may move from its current status to `status` (TRANSITIONS)."""
        return status in self.TRANSITIONS.get(getattr(self, self.STATUS_FIELD), ())


class Versioned(models.Model):
    """A record more than one person edits: its `version` counts the saves made through a form that
    sent the version it was loaded with, so a save from a stale form is refused (core.services.
    version_advance, ADR 0009) instead of overwriting someone else's words."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AuditFields(models.Model):
    """The columns of an audit entry, shared by the live log and its archive (core/audit_archive.py): an
    entry moves to the archive with its id, fields and hashes unchanged, so the chain still verifies."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CORRECT = "correct", "Corrected"
        UPDATE = "update", "Updated"

    at = models.DateTimeField(auto_now_add=True)
    user_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    path = models.CharField(max_length=300, blank=True)
    # The tamper-evident chain (core/audit_chain.py): each sealed entry's HMAC covers its fields and the
    # previous sealed entry's hash, so an altered, deleted or inserted entry breaks it.
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_type} {self.object_id}"


class AuditEntry(AuditFields):
    """Who saw or changed what, and when. Append-only; read by the service manager."""

    # Staff are deactivated, never deleted (issue 18): who acted is kept for ever, with their name as it
    # was when they acted.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # No database constraint and nothing done when a child's record is erased: the entry keeps the id it
    # was written with, so the chain below still verifies (the page shows the child as erased).
    child = models.ForeignKey(
        "cases.Child",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        db_table = "cases_auditentry"
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        # The audit log pages by (at, id), newest first, filtered by member of staff or child (issue 19,
        # core/keyset.py): each page reads its 51 rows from one of these, however long the log is.
        indexes = [
            models.Index(fields=["at", "id"], name="auditentry_at_id"),
            models.Index(fields=["child", "at", "id"], name="auditentry_child_at_id"),
            models.Index(fields=["user", "at", "id"], name="auditentry_user_at_id"),
        ]


class AuditArchiveEntry(AuditFields):
    """An audit entry moved out of the live log by `manage.py audit_archive` (ADR 0018): the same id,
    fields and hashes. On PostgreSQL the table is partitioned by month on `at` (one partition per month,
    made as entries arrive), so a year can be detached and dumped to cheaper storage; elsewhere it is a
    plain table. Its primary key there is (id, at); Django reads it by id, which stays unique."""

    id = models.BigIntegerField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    child = models.ForeignKey(
        "cases.Child",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    at = models.DateTimeField()

    class Meta:
        db_table = "core_auditarchive"
        ordering = ["-at"]
        verbose_name_plural = "archived audit entries"
        indexes = [
            models.Index(fields=["at", "id"], name="auditarchive_at_id"),
            models.Index(fields=["child", "at", "id"], name="auditarchive_child_at_id"),
            models.Index(fields=["user", "at", "id"], name="auditarchive_user_at_id"),
        ]


class Task(models.Model):
    """A tracked action for a named person: a CMM's agreed action, a business support request (001 §6.2).

    Shown on the assignee's "My work" until done. `source` names the record that created it
    ("meeting:12"), so the same record never creates the same task twice.
    """

    child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    # Someone outside the service named in the record (an agency worker): shown on the child's page only.
    assignee_name = models.CharField("by whom (outside the service)", max_length=120, blank=True)
    title = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=200, blank=True, help_text="The policy behind it, e.g. 001 §6.2")
    source = models.CharField(max_length=40, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_task"
        ordering = ["done_on", "due", "pk"]
        indexes = [
            models.Index(fields=["assignee", "done_on", "due"]),
            models.Index(fields=["child", "done_on"]),
            models.Index(fields=["source"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Document(models.Model):
    """A generated record (a PDF) stored against a child: downloadable by anyone who may see the child.

    Stored in the database so every deployment (and CI) has it without file storage to configure.
    `source` + `version` identify what was rendered, so re-running a render task creates nothing twice.
    """

    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60, default="application/pdf")
    content = models.BinaryField()
    source = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_document"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["source", "version"], name="document_source_version")]
        indexes = [models.Index(fields=["child", "-created_at"])]

    def __str__(self):
        return self.title


class AuditChain(models.Model):
    """The head of the audit chain (one row): the last entry sealed and its hash, so a deleted tail is
    detected too; and the last verification, shown on the audit log page."""

    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_entries = models.BigIntegerField(default=0)
    verified_ok = models.BooleanField(null=True)
    verified_problem = models.CharField(max_length=300, blank=True)
    # The archive's checkpoint (core/audit_archive.py): every entry up to `archived_to_id` has moved to
    # the archive, the last of them with hash `archived_hash`; the live chain continues from it.
    archived_to_id = models.BigIntegerField(default=0)
    archived_hash = models.CharField(max_length=64, blank=True)
    archived_entries = models.BigIntegerField(default=0)
    archived_before = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Audit chain sealed to entry {self.last_entry_id}"


class OutboxMessage(models.Model):
    """Follow-up work (an email, a PDF render) written in the same transaction as the change that causes
    it, and delivered afterwards by a task that retries (the transactional outbox, ADR 0010).

    A message is `sent` only once its handler succeeded (for an email: the mail server accepted it);
    until then it is `queued`, or `retrying` with the reason it last failed. The relay (beat, every
    minute) publishes again whatever is due and not delivered, so a lost publish is only a delay.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, retrying"
        FAILED = "failed", "Failed"

    PENDING = (Status.QUEUED, Status.RETRYING)

    topic = models.CharField(max_length=60, help_text='What to do: "email", or a registered task')
    payload = models.JSONField(default=dict)
    description = models.CharField(max_length=200, help_text="What it is, as the pages name it")
    # The record it belongs to ("meeting:12", "digest:4:2026-12-04"): a page lists a record's messages;
    # a non-blank `key` is unique, so the same follow-up is never written twice.
    source = models.CharField(max_length=60, blank=True)
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text="When the relay publishes it (again) if not delivered")
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The relay and the "waiting to go" page read only what is pending: a small partial index.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=models.Q(status__in=["queued", "retrying", "failed"]),
            ),
            models.Index(fields=["source"]),
            models.Index(fields=["created_by", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.description} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class Submission(models.Model):
    """A form submission that was saved: the same form sent again (a double click, a browser retry)
    redirects to where the first went instead of saving twice (core/submissions.py, ADR 0009).

    `key` digests the form's one-time token with the user, the path and the data sent, so only an
    identical resubmission is held back. The row is written in the same transaction as the view's
    write, so a write that rolls back frees the token. Rows older than a day are pruned
    (`core.tasks.submissions_prune`); nothing lists them.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    response_location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.path}"
