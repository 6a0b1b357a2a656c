"""The subject access pages: only the service manager (records.export_subject_access); a case manager,
a team manager and the administrator get 404 on every URL; the form shows every error at once; an
export from the page is stored, listed and downloadable (audited, never cached); the page's queries do
not grow with the exports listed (paginated)."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from records.models import SubjectAccessExport


def page_url(child) -> str:
    return reverse("subject_access", args=[child.pk])


def download_url(export) -> str:
    return reverse("subject_access_download", args=[export.child_id, export.pk])


def a_stored_export(child, user, n=0) -> SubjectAccessExport:
    """A row as the service stores it, without rendering (for listing and access tests)."""
    return SubjectAccessExport.objects.create(
        child=child,
        requester=f"Requester {n}",
        received_on=timezone.localdate(),
        reason="Reason",
        requested_by=user,
        status=SubjectAccessExport.Status.READY,
        filename=f"subject-access-{child.case_number}.zip",
        content=b"PK\x05\x06" + b"\x00" * 18,
        size=22,
    )


@pytest.mark.parametrize("who", ["case_manager", "team_manager", "administrator", "outsider"])
def test_everyone_but_the_service_manager_gets_404_on_every_url(who, request, client, child, service_manager):
    stored = a_stored_export(child, service_manager)
    client.force_login(request.getfixturevalue(who))
    for url in (page_url(child), download_url(stored)):
        assert client.get(url).status_code == 404, url
    assert client.post(page_url(child), {"requester": "X"}).status_code == 404
    assert SubjectAccessExport.objects.count() == 1


def test_the_tab_shows_only_for_the_service_manager(client, child, case_manager, service_manager):
    client.force_login(case_manager)
    assert page_url(child) not in client.get(reverse("child_detail", args=[child.pk])).content.decode()
    client.force_login(service_manager)
    assert page_url(child) in client.get(reverse("child_detail", args=[child.pk])).content.decode()


def test_the_form_shows_every_error_at_once(client, child, service_manager):
    client.force_login(service_manager)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        page_url(child),
        {
            "requester": "",
            "reference": "R" * 61,
            "received_on_0": tomorrow.day,
            "received_on_1": tomorrow.month,
            "received_on_2": tomorrow.year,
            "reason": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    for message in (
        "Enter who made the request",
        "Request reference must be 60 characters or fewer",
        "Date the request was received must be today or in the past",
        "Enter the reason and notes",
    ):
        assert message in body
    assert "R" * 61 in body  # kept for the user to shorten
    assert "govuk-character-count" in body or "govuk-js-character-count" in body
    assert not SubjectAccessExport.objects.exists()


def test_the_service_manager_exports_and_downloads(
    client, child, service_manager, django_capture_on_commit_callbacks
):
    """The request is saved with its render queued; the render runs (Celery eager in tests) once the
    request commits; the page then lists the export with its download."""
    client.force_login(service_manager)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_url(child),
            {
                "requester": "The child's solicitor",
                "reference": "SAR-42",
                "received_on_0": today.day,
                "received_on_1": today.month,
                "received_on_2": today.year,
                "reason": "Whole record asked for; identity checked.",
            },
        )
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert export.status == SubjectAccessExport.Status.READY
    assert export.requested_by == service_manager and export.reference == "SAR-42"
    page = client.get(page_url(child))
    assert "no-store" in page["Cache-Control"]
    assert download_url(export) in page.content.decode()
    download = client.get(download_url(export))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert sorted(archive.namelist()) == ["record.json", "record.pdf", "redactions.csv"]
    audited = AuditEntry.objects.filter(object_type="subjectaccessexport", object_id=str(export.pk))
    assert set(audited.values_list("action", flat=True)) == {
        AuditEntry.Action.CREATE,
        AuditEntry.Action.UPDATE,
        AuditEntry.Action.VIEW,
    }
    assert AuditEntry.objects.filter(child=child, description__contains="subject access requests").exists()


def test_an_export_being_prepared_is_listed_without_a_download(client, child, service_manager):
    """Asked for, not yet rendered: "Being prepared" on the page, and its download answers 404."""
    client.force_login(service_manager)
    waiting = SubjectAccessExport.objects.create(
        child=child, requester="R", received_on=timezone.localdate(), reason="R", requested_by=service_manager
    )
    body = client.get(page_url(child)).content.decode()
    assert "Being prepared" in body and download_url(waiting) not in body
    assert client.get(download_url(waiting)).status_code == 404


def test_the_page_queries_do_not_grow_with_exports(client, child, service_manager):
    client.force_login(service_manager)
    a_stored_export(child, service_manager)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url(child)).status_code == 200
    for n in range(25):
        a_stored_export(child, service_manager, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(child))
    assert len(many) == len(one)
    assert response.content.decode().count("Download ZIP") == 10  # one page of the list
