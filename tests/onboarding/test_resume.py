"""Nothing lost between an import's steps (ADR 0021): a run whose task never started is queued again, one
whose worker stopped part-way is started again and finishes without doubling anything, a live one is
left alone, and a dry run's progress reaches the page though its writes are rolled back."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Child, Programme
from onboarding.models import ImportedRecord, ServiceImport
from onboarding.services.runs import (
    MAX_RESTARTS,
    QUEUE_GRACE,
    STALLED,
    _claim,
    _progress,
    run_progress,
    service_import_confirm,
    service_import_confirm_run,
    service_import_runs_resume,
    service_import_upload,
)

from .factories import zip_bytes

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def _uploaded(service_manager, capture) -> ServiceImport:
    """An upload whose queued check was lost (the on-commit publish never ran: the broker was down)."""
    with capture(execute=False):
        run = service_import_upload(user=service_manager, name="riverside.zip", content=zip_bytes())
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.CHECKING and run.step == ""
    return run


def test_a_lost_check_is_queued_again_after_the_grace(service_manager, django_capture_on_commit_callbacks):
    """Within QUEUE_GRACE the run is waiting as it should; after it, the resume queues it and (Celery
    eager) the check runs: the run is checked, once."""
    run = _uploaded(service_manager, django_capture_on_commit_callbacks)
    queued_at = run.progress_at
    assert service_import_runs_resume(now=queued_at + QUEUE_GRACE - MINUTE) == 0
    assert service_import_runs_resume(now=queued_at + QUEUE_GRACE + MINUTE) == 1
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.CHECKED and run.restarts == 1
    assert service_import_runs_resume(now=queued_at + QUEUE_GRACE + 2 * MINUTE) == 0


def test_an_import_whose_worker_died_is_finished_without_doubling(
    service_manager, django_capture_on_commit_callbacks
):
    """The import started (its step set) and fell silent after some children went in: a second delivery
    of the task while it might still be running does nothing; after STALLED the resume starts it again,
    and it finishes with every record once."""
    run = _uploaded(service_manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        service_import_runs_resume(now=run.progress_at + QUEUE_GRACE + MINUTE)
        service_import_confirm(user=service_manager, run=run)
    # The worker ran it to the end once (as a worker that died after committing the children would have
    # left them); then the run is put back as it was while that worker was importing.
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.IMPORTED
    children, programmes, records = (
        Child.objects.count(),
        Programme.objects.count(),
        ImportedRecord.objects.count(),
    )
    assert children == 2 and programmes > 0
    died_at = timezone.now()
    ServiceImport.objects.filter(pk=run.pk).update(
        status=ServiceImport.Status.IMPORTING, step="Importing children", done=1, total=2, progress_at=died_at
    )
    ServiceImport.objects.filter(pk=run.pk).update(content=zip_bytes())
    assert _claim(run.pk, ServiceImport.Status.IMPORTING, now=died_at + STALLED - MINUTE) is None
    assert service_import_confirm_run(run_id=run.pk) == "skipped"  # a redelivery while it is live
    assert service_import_runs_resume(now=died_at + STALLED - MINUTE) == 0
    assert service_import_runs_resume(now=died_at + STALLED + MINUTE) == 1
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.IMPORTED and run.restarts == 1
    assert (Child.objects.count(), Programme.objects.count(), ImportedRecord.objects.count()) == (
        children,
        programmes,
        records,
    )
    assert run.report["files"] and all(f["created"] == 0 for f in run.report["files"])


def test_a_run_that_keeps_stopping_is_marked_failed(service_manager, django_capture_on_commit_callbacks):
    """After MAX_RESTARTS starts the run is failed for a person to look at, not started for ever."""
    run = _uploaded(service_manager, django_capture_on_commit_callbacks)
    silent = timezone.now() - STALLED - MINUTE
    ServiceImport.objects.filter(pk=run.pk).update(
        step="Importing children", restarts=MAX_RESTARTS, progress_at=silent
    )
    assert service_import_runs_resume() == 0
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.FAILED and run.finished_at is not None


def test_a_dry_runs_progress_reaches_the_page(client, service_manager, django_capture_on_commit_callbacks):
    """A dry run reports progress inside its rolled-back transaction: the run's row is not written there
    (that would hold it until the end), the cache is, and the page shows it."""
    run = _uploaded(service_manager, django_capture_on_commit_callbacks)
    run = _claim(run.pk, ServiceImport.Status.CHECKING)
    assert run is not None
    report = _progress(run)
    report("Checking the files", 0, 1)
    with transaction.atomic():
        report("Importing children", 120, 480)
        run.refresh_from_db()
        assert run.step == "Checking the files"  # the row kept what was outside the transaction
    assert run_progress(run)["step"] == "Importing children"
    client.force_login(service_manager)
    body = client.get(reverse("service_import_run", args=[run.pk])).content.decode()
    assert "Checking (nothing is imported yet). Importing children: 120 of 480 (25%)." in body
