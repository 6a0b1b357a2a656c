"""The service manager's uploads (issue 22): a run is made from an uploaded ZIP or XLSX, checked in Celery
(the dry run), confirmed, then imported in Celery; each step is audited and its progress kept on the run
for the page to show."""

from __future__ import annotations

import datetime

import rules
from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry

from ..models import EXPIRED, ServiceImport
from ..reader import ImportFormatError, read_bytes
from . import service_import

MAX_UPLOAD = 200 * 1024 * 1024
# The tasks (onboarding/tasks.py) wrap the services below, so they are queued by name, not imported.
CHECK_TASK = "onboarding.tasks.service_import_check_task"
RUN_TASK = "onboarding.tasks.service_import_run_task"


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
    run = ServiceImport(source_name=name[:200], content=content, created_by=user, dry_run=True)
    run.full_clean(exclude=["content"])
    run.save()
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
    run.save(update_fields=["status", "dry_run", "step", "done", "total"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=run,
        description=f"Confirmed the import of {run.source_name}",
        path=path,
    )
    transaction.on_commit(lambda: _queue(RUN_TASK, run.pk), robust=True)
    return run


def _claim(run_id: int, status: str) -> ServiceImport | None:
    """The run, if this delivery is the first to start it (its step is still blank)."""
    claimed = ServiceImport.objects.filter(pk=run_id, status=status, step="").update(step="Starting")
    return ServiceImport.objects.get(pk=run_id) if claimed else None


def _progress(run: ServiceImport):
    def report(step: str, done: int, total: int) -> None:
        ServiceImport.objects.filter(pk=run.pk).update(step=step[:80], done=done, total=total)

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
    name = CHECK_TASK if run.status == ServiceImport.Status.CHECKING else RUN_TASK
    transaction.on_commit(lambda: _queue(name, run.pk), robust=True)
    return run


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
