"""Issue 22 with a real outage: an import uploaded while the broker is down answers at once and waits; the
resume job cannot queue it while Redis is down and leaves the run as it was; once Redis is back it queues
it, a real worker checks it, and the page shows the report (ADR 0021, "Nothing lost between the steps")."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from onboarding.models import ServiceImport
from onboarding.services.runs import QUEUE_GRACE, service_import_runs_resume
from tests.onboarding.factories import zip_bytes

from .test_broker_down import broker_down  # noqa: F401 (the fixture)


@pytest.mark.django_db(transaction=True)
def test_an_upload_in_an_outage_is_checked_once_redis_is_back(
    client,
    service_manager,
    broker_down,  # noqa: F811
):
    """Upload in the outage, the resume in the outage, then the resume once Redis is back."""
    client.force_login(service_manager)
    started = time.monotonic()
    response = client.post(
        reverse("service_import"), {"file": SimpleUploadedFile("riverside.zip", zip_bytes())}, follow=True
    )
    assert response.status_code == 200 and time.monotonic() - started < 5
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.CHECKING and run.step == ""
    assert "Waiting to start" in response.content.decode()

    later = timezone.now() + QUEUE_GRACE + QUEUE_GRACE
    with pytest.raises(OperationalError):  # Redis is still down: nothing queued, nothing counted
        service_import_runs_resume(now=later)
    run.refresh_from_db()
    assert (run.status, run.step, run.restarts) == (ServiceImport.Status.CHECKING, "", 0)

    broker_down.start()  # the outage ends; the job's next run queues the check and a worker takes it
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
        assert service_import_runs_resume(now=later) == 1
        for _ in range(400):
            run.refresh_from_db()
            if run.status != ServiceImport.Status.CHECKING:
                break
            time.sleep(0.05)
    assert run.status == ServiceImport.Status.CHECKED and run.restarts == 1
    assert (
        "The files have no errors"
        in client.get(reverse("service_import_run", args=[run.pk])).content.decode()
    )
