"""What an import keeps: each run (who, what, its report) and the old system's id of each record it made."""

from django.conf import settings
from django.db import models

# What a run's report becomes once expired (SERVICE_IMPORT_KEEP_DAYS after it finished).
EXPIRED = {"expired": True}


class ServiceImport(models.Model):
    """One upload or command-line run: a dry run, then (when confirmed) the import itself (ADR 0021)."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking the files"
        CHECKED = "checked", "Checked: ready to import"
        REFUSED = "refused", "The files have errors"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed part-way: run it again"

    WORKING = frozenset({Status.CHECKING, Status.IMPORTING})

    source_name = models.CharField(max_length=200)
    # The uploaded file itself (a ZIP or XLSX), kept in the database (as core.Document keeps documents)
    # until the import has run or been refused, then emptied; the command line reads from disk, keeps none.
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    dry_run = models.BooleanField(default=True)
    # The report (onboarding.report.Report.as_dict): per file counts, every error, the children skipped.
    # Cleared to EXPIRED SERVICE_IMPORT_KEEP_DAYS after the run finished (it quotes cells).
    report = models.JSONField(default=dict, blank=True)
    # Progress of a long run: the step it is on and how far through.
    step = models.CharField(max_length=80, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run's last sign of life: queued, started, or a step's progress (a run silent for long has lost
    # its worker, and onboarding.services.runs.service_import_runs_resume starts it again).
    progress_at = models.DateTimeField(null=True, blank=True)
    restarts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import of {self.source_name} ({self.get_status_display()})"

    @property
    def expired(self) -> bool:
        """Its report and file cleared (SERVICE_IMPORT_KEEP_DAYS after it finished)."""
        return (self.report or {}).get("expired") is True

    @property
    def is_working(self) -> bool:
        """Checking or importing: the page refreshes to show progress."""
        return self.status in self.WORKING


class ImportedRecord(models.Model):
    """The old system's id of a record an import made, so a re-run updates it instead of adding another.

    Children, staff and teams are matched on their case number, email and name; programmes, allocations,
    assessments, plans, contacts and case notes on the id their file gives them (`Programme ID`...).
    A child written by an import is kept too (kind "children", its case number), so its erasure finds
    the reports that name it (onboarding/erasure.py)."""

    kind = models.CharField(max_length=40)
    external_id = models.CharField(max_length=60)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="one_record_per_external_id")
        ]

    def __str__(self):
        return f"{self.kind} {self.external_id} → {self.object_id}"
