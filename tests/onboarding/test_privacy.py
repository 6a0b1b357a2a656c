"""The privacy of what an import keeps (issue 22, ADR 0021): old runs' reports and uploads expire after
SERVICE_IMPORT_KEEP_DAYS, and erasing a child removes its ImportedRecord rows and the report rows naming it
(retention/, UK GDPR Art. 5(1)(e), Art. 17)."""

import copy
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, Child, Programme
from onboarding.erasure import KIND_MODELS
from onboarding.format import CHILD_KINDS
from onboarding.models import EXPIRED, ImportedRecord, ServiceImport
from onboarding.services.runs import service_import_confirm, service_import_runs_expire
from onboarding.tasks import service_import_runs_expire_task
from retention.erasure import child_erase, rows_left

from .factories import SMALL_SET, write_folder

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 3, 31, 2, 40, tzinfo=LONDON)
REPORT = {
    "files": [],
    "problems": [
        {
            "file": "children.csv",
            "row": 2,
            "column": "First name",
            "value": "Jory",
            "reason": "too long",
            "case_number": "RV-1001",
        }
    ],
}


def _run(status: str, finished: datetime.datetime | None) -> ServiceImport:
    return ServiceImport.objects.create(
        source_name="riverside.zip",
        status=status,
        content=b"PK",
        report=copy.deepcopy(REPORT),
        finished_at=finished,
    )


def test_runs_finished_more_than_the_set_days_ago_are_cleared():
    """Past 30 days (the default) a finished run's report and file go; at exactly 30 days, or working, they stay."""
    old = _run(ServiceImport.Status.IMPORTED, NOW - datetime.timedelta(days=30, seconds=1))
    refused = _run(ServiceImport.Status.REFUSED, NOW - datetime.timedelta(days=45))
    edge = _run(ServiceImport.Status.IMPORTED, NOW - datetime.timedelta(days=30))
    working = _run(ServiceImport.Status.IMPORTING, NOW - datetime.timedelta(days=90))
    assert service_import_runs_expire(now=NOW) == 2
    for run in (old, refused, edge, working):
        run.refresh_from_db()
    assert old.report == refused.report == EXPIRED and bytes(old.content) == bytes(refused.content) == b""
    assert edge.report == REPORT and bytes(edge.content) == b"PK"
    assert working.report == REPORT
    assert old.source_name == "riverside.zip" and old.status == ServiceImport.Status.IMPORTED
    assert service_import_runs_expire(now=NOW) == 0  # already cleared: nothing more


def test_the_days_are_a_setting_and_the_beat_job_uses_them(settings):
    """SERVICE_IMPORT_KEEP_DAYS sets the period; the Celery beat task clears by it."""
    settings.SERVICE_IMPORT_KEEP_DAYS = 7
    run = _run(ServiceImport.Status.REFUSED, timezone.now() - datetime.timedelta(days=8))
    assert settings.CELERY_BEAT_SCHEDULE["service-import-runs-expire"]["task"] == (
        "onboarding.tasks.service_import_runs_expire_task"
    )
    assert service_import_runs_expire_task() == 1
    run.refresh_from_db()
    assert run.expired


def test_an_expired_checked_run_cannot_be_confirmed_and_says_why(client, service_manager):
    """A checked run never confirmed expires too: its page says why, and confirming it does nothing."""
    run = _run(ServiceImport.Status.CHECKED, timezone.now() - datetime.timedelta(days=31))
    run.created_by = service_manager
    run.save()
    service_import_runs_expire()
    run.refresh_from_db()
    with pytest.raises(PermissionDenied, match="not yet expired"):
        service_import_confirm(user=service_manager, run=run)
    client.force_login(service_manager)
    body = client.get(reverse("service_import_run", args=[run.pk])).content.decode()
    assert "removed 30 days after it finished" in body and "Jory" not in body
    assert "Import the records" not in body


def _import(path) -> None:
    try:
        call_command("import_service", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        assert error.returncode == 1


def test_erasing_a_child_removes_its_import_rows_and_report_rows(tmp_path, service_manager):
    """The erased child's ImportedRecord rows and every report row naming its case number go; others stay."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), tick=False):
        bad = copy.deepcopy(SMALL_SET)
        bad["children"][1]["Open"] = "no"
        bad["children"][1]["Case manager email"] = "nobody@yjs.example.gov.uk"
        bad["contacts"][0]["Date"] = "2026-03-10"  # RV-1001 skipped too
        _import(write_folder(tmp_path / "bad", bad))
        first = ServiceImport.objects.get()
        assert first.report["skipped_children"] == ["RV-1002", "RV-1001"]
        good = copy.deepcopy(SMALL_SET)
        good["children"][1]["Open"] = "no"
        _import(write_folder(tmp_path / "good", good))
    child = Child.objects.get(case_number="RV-1002")
    programme = Programme.objects.get(child=child).pk
    allocation = Allocation.objects.get(child=child).pk
    assert ImportedRecord.objects.filter(kind="children", external_id="RV-1002", object_id=child.pk).exists()
    child_erase(
        child_id=child.pk, user=service_manager, reason="Retention period ended", confirmation="RV-1002"
    )
    assert not ImportedRecord.objects.filter(kind="children", external_id="RV-1002").exists()
    assert not ImportedRecord.objects.filter(kind="programmes", object_id=programme).exists()
    assert not ImportedRecord.objects.filter(kind="allocations", object_id=allocation).exists()
    assert ImportedRecord.objects.filter(kind="children", external_id="RV-1001").exists()
    first.refresh_from_db()
    assert first.report["skipped_children"] == ["RV-1001"]
    assert [p["case_number"] for p in first.report["problems"]] == ["RV-1001"]
    assert "RV-1002" not in str(first.report) and "nobody@yjs.example.gov.uk" not in str(first.report)
    assert rows_left(child.pk) == {}


def test_every_child_file_is_known_to_the_erasure():
    """Each file of a child's records (but levels.csv, matched on case number and date, with no id of its
    own) names the model its ids point at, so erasing a child removes every old-system id of its records."""
    assert set(CHILD_KINDS) - {"levels"} <= set(KIND_MODELS)
