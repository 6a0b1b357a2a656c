"""The service manager's uploads (issue 22): a run is made from an uploaded ZIP or XLSX, checked in Celery
(the dry run), confirmed, then imported in Celery; each step is audited and its progress kept for the page
to show: on the run, and in the cache (a dry run's writes, its progress among them, are rolled back).

Nothing is lost between the steps (ADR 0021): a run records when it was queued and each step's progress
(`progress_at`); every five minutes `service_import_runs_resume` queues again a run whose task never
started (the broker was down) and starts again one silent for `STALLED` (its worker died part-way:
the import is idempotent, so a second start finishes it), at most `MAX_RESTARTS` times."""

from __future__ import annotations

import datetime
import logging

import rules
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry

from ..models import EXPIRED, ServiceImport
from ..reader import ImportFormatError, read_bytes
from . import service_import

logger = logging.getLogger(__name__)

MAX_UPLOAD = 200 * 1024 * 1024
# The tasks (onboarding/tasks.py) wrap the services below, so they are queued by name, not imported.
CHECK_TASK = "onboarding.tasks.service_import_check_task"
RUN_TASK = "onboarding.tasks.service_import_run_task"
# A queued run not started in this long lost its task; one started and silent this long lost its worker.
QUEUE_GRACE = datetime.timedelta(minutes=2)
STALLED = datetime.timedelta(minutes=15)
MAX_RESTARTS = 3
PROGRESS_KEPT = 24 * 60 * 60  # seconds a step's progress stays in the cache


def _queue(name: str, run_id: int) -> None:
    """Queue a task on the project's Celery app (run in-process when eager). If the broker is down the
    run stays "checking" or "importing" with no step; the page offers to start it again."""
    current_app.tasks[name].delay(run_id)


def _may_import(user: User) -> None:
    if not rules.has_perm("onboarding.import_service", user):
        raise PermissionDenied("Only the service manager imports a service's records")


@transaction.atomic
def service_import_upload(*, user: User, name: str, content: bytes, path: str = "") -> ServiceImport:
    """Keep the uploaded file as a new run and queue its check (the dry run) once this commits."""
    _may_import(user)
    run = ServiceImport(
        source_name=name[:200], content=content, created_by=user, dry_run=True, progress_at=timezone.now()
    )
    run.full_clean(exclude=["content"])
    run.save()
    cache.delete(progress_key(run.pk))
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=run,
        description=f"Uploaded {run.source_name} to import",
        path=path,
    )
    transaction.on_commit(lambda: _queue(CHECK_TASK, run.pk), robust=True)
    return run


@transaction.atomic
def service_import_confirm(*, user: User, run: ServiceImport, path: str = "") -> ServiceImport:
    """Confirm a checked run: queue the import itself once this commits. Only a run with no errors."""
    _may_import(user)
    run = ServiceImport.objects.select_for_update().get(pk=run.pk)
    if run.status != ServiceImport.Status.CHECKED or run.expired:
        raise PermissionDenied("Only files checked (and not yet expired) can be imported")
    run.status, run.dry_run, run.step, run.done, run.total = ServiceImport.Status.IMPORTING, False, "", 0, 0
    run.progress_at, run.restarts = timezone.now(), 0
    run.save(update_fields=["status", "dry_run", "step", "done", "total", "progress_at", "restarts"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=run,
        description=f"Confirmed the import of {run.source_name}",
        path=path,
    )
    transaction.on_commit(lambda: _queue(RUN_TASK, run.pk), robust=True)
    return run


def progress_key(run_id: int) -> str:
    return f"service-import-progress:{run_id}"


def run_progress(run: ServiceImport) -> dict:
    """Where a working run has got: its step, done, total and when, from the cache where that is newer
    than the run (a dry run's progress is only there)."""
    kept = {"step": run.step, "done": run.done, "total": run.total, "at": run.progress_at}
    cached = cache.get(progress_key(run.pk))
    if cached and run.step and (kept["at"] is None or cached["at"] > kept["at"]):
        return cached
    return kept


def _last_sign(run: ServiceImport) -> datetime.datetime | None:
    return run_progress(run)["at"]


def _claim(run_id: int, status: str, *, now: datetime.datetime | None = None) -> ServiceImport | None:
    """The run, if this delivery may start it: it has not started (its step is blank), or it started and
    has been silent for STALLED (its worker died). One statement decides between two deliveries."""
    now = now or timezone.now()
    run = ServiceImport.objects.defer("content", "report").filter(pk=run_id, status=status).first()
    if run is None:
        return None
    if run.step:
        last = _last_sign(run)
        if last is not None and last > now - STALLED:
            return None
    claimed = ServiceImport.objects.filter(
        pk=run_id, status=status, step=run.step, progress_at=run.progress_at
    ).update(step="Starting", done=0, total=0, progress_at=now)
    if not claimed:
        return None
    cache.delete(progress_key(run_id))
    return ServiceImport.objects.get(pk=run_id)


def _progress(run: ServiceImport):
    """Keep each step's progress: in the cache always; on the run too, unless inside a transaction the
    reporter was not made in (the dry run's: rolled back at its end, and a write there would hold the
    run's row until then)."""
    depth = len(connection.atomic_blocks)

    def report(step: str, done: int, total: int) -> None:
        now = timezone.now()
        cache.set(
            progress_key(run.pk), {"step": step[:80], "done": done, "total": total, "at": now}, PROGRESS_KEPT
        )
        if len(connection.atomic_blocks) <= depth:
            ServiceImport.objects.filter(pk=run.pk).update(
                step=step[:80], done=done, total=total, progress_at=now
            )

    return report


def _finish(run: ServiceImport, *, status: str, report=None, empty: bool) -> str:
    run.status = status
    if report is not None:
        run.report = report.as_dict()
    run.finished_at = timezone.now()
    fields = ["status", "report", "finished_at"]
    if empty:
        run.content = b""
        fields.append("content")
    run.save(update_fields=fields)
    return status


def service_import_check(*, run_id: int) -> str:
    """The dry run of an upload: the report is kept on the run; a set with errors is refused (and its
    file emptied), a clean one waits to be confirmed."""
    run = _claim(run_id, ServiceImport.Status.CHECKING)
    if run is None:
        return "skipped"
    try:
        sheets = read_bytes(bytes(run.content), run.source_name)
    except ImportFormatError as error:
        run.report = {"files": [], "problems": [], "unreadable": str(error)}
        return _finish(run, status=ServiceImport.Status.REFUSED, empty=True)
    try:
        report = service_import(
            sheets=sheets, by=run.created_by, run=run, dry_run=True, progress=_progress(run)
        )
    except Exception:
        _finish(run, status=ServiceImport.Status.FAILED, empty=True)
        raise
    # Children with errors do not stop it (they will be skipped, the page lists them); teams, staff or
    # headings with errors do.
    status = ServiceImport.Status.REFUSED if report.stopped else ServiceImport.Status.CHECKED
    return _finish(run, status=status, report=report, empty=bool(report.stopped))


def service_import_confirm_run(*, run_id: int) -> str:
    """The confirmed import, each child in its own transaction (a failure outside them stops it part-way:
    running it again finishes it, ADR 0021)."""
    run = _claim(run_id, ServiceImport.Status.IMPORTING)
    if run is None:
        return "skipped"
    try:
        sheets = read_bytes(bytes(run.content), run.source_name)
        report = service_import(
            sheets=sheets, by=run.created_by, run=run, dry_run=False, progress=_progress(run)
        )
    except Exception:
        _finish(run, status=ServiceImport.Status.FAILED, empty=False)
        raise
    status = ServiceImport.Status.REFUSED if report.stopped else ServiceImport.Status.IMPORTED
    return _finish(run, status=status, report=report, empty=True)


@transaction.atomic
def service_import_requeue(*, user: User, run: ServiceImport, path: str = "") -> ServiceImport:
    """Queue a run's waiting step again (its task was lost before it started: the broker was down)."""
    _may_import(user)
    run = ServiceImport.objects.select_for_update().get(pk=run.pk)
    if not run.is_working or run.step:
        raise PermissionDenied("This import has already started")
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=run,
        description=f"Started {run.source_name} again",
        path=path,
    )
    run.progress_at = timezone.now()
    run.save(update_fields=["progress_at"])
    name = CHECK_TASK if run.status == ServiceImport.Status.CHECKING else RUN_TASK
    transaction.on_commit(lambda: _queue(name, run.pk), robust=True)
    return run


def service_import_runs_resume(*, now: datetime.datetime | None = None) -> int:
    """Queue again each working run whose task never started (QUEUE_GRACE after it was queued) or whose
    worker fell silent part-way (STALLED): the check is a dry run and the import idempotent, so starting
    either again loses and doubles nothing. After MAX_RESTARTS the run is marked failed, for a person to
    look at. How many runs were queued again (Celery beat, every five minutes)."""
    now = now or timezone.now()
    resumed = 0
    for run in ServiceImport.objects.filter(status__in=ServiceImport.WORKING).defer("content", "report"):
        last = _last_sign(run)
        wait = STALLED if run.step else QUEUE_GRACE
        if last is not None and last > now - wait:
            continue
        if run.restarts >= MAX_RESTARTS:
            stopped = ServiceImport.objects.filter(pk=run.pk, status=run.status, step=run.step).update(
                status=ServiceImport.Status.FAILED, finished_at=now
            )
            if stopped:
                logger.error(
                    "Import run %s stopped: started %s times and never finished", run.pk, run.restarts
                )
            continue
        queued = ServiceImport.objects.filter(
            pk=run.pk, status=run.status, step=run.step, progress_at=run.progress_at
        ).update(step="", restarts=run.restarts + 1, progress_at=now)
        if not queued:
            continue
        try:
            _queue(CHECK_TASK if run.status == ServiceImport.Status.CHECKING else RUN_TASK, run.pk)
        except Exception:
            # The broker is still down: the run is put back as it was (not counted as a start), and the
            # next run of this job tries again.
            ServiceImport.objects.filter(pk=run.pk, step="", progress_at=now).update(
                step=run.step, restarts=run.restarts, progress_at=run.progress_at
            )
            raise
        logger.warning("Import run %s started again (%s)", run.pk, run.step or "its task was lost")
        resumed += 1
    return resumed


def service_import_runs_expire(*, now: datetime.datetime | None = None) -> int:
    """Clear the report and the uploaded file of every run finished more than
    SERVICE_IMPORT_KEEP_DAYS ago: a report quotes cells (names, dates of birth). The run itself (who,
    when, which file, its status) stays. How many were cleared; run daily by Celery beat."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SERVICE_IMPORT_KEEP_DAYS)
    old = ServiceImport.objects.filter(finished_at__lt=cutoff).exclude(status__in=ServiceImport.WORKING)
    cleared = 0
    for run in old.only("pk", "report").iterator():
        if run.report == EXPIRED:
            continue
        cleared += ServiceImport.objects.filter(pk=run.pk).update(report=EXPIRED, content=b"")
    return cleared
