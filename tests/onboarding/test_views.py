"""The service manager's import pages (issue 22): upload, the dry run's report, confirm, the result;
404 for everyone else; audited; a bounded number of queries."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Child, User
from core.models import AuditEntry
from onboarding.models import ServiceImport

from .factories import SMALL_SET, xlsx_bytes, zip_bytes

pytestmark = pytest.mark.django_db


def _upload(client, name: str, content: bytes, capture):
    """Upload, let the check run (as the request's commit runs it), then read the page redirected to."""
    with capture(execute=True):
        response = client.post(reverse("service_import"), {"file": SimpleUploadedFile(name, content)})
    return client.get(response.url)


@pytest.mark.parametrize("who", ["case_manager", "team_manager", "outsider", "administrator"])
def test_only_the_service_manager_may_import(client, request, who):
    """Anyone but the service manager gets 404 on every page, and cannot upload."""
    client.force_login(request.getfixturevalue(who))
    run = ServiceImport.objects.create(source_name="set.zip")
    for url in (
        reverse("service_import"),
        reverse("service_import_run", args=[run.pk]),
        reverse("service_import_report", args=[run.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("service_import_run", args=[run.pk])).status_code == 404


def test_upload_check_confirm_import(client, service_manager, django_capture_on_commit_callbacks):
    """Upload a ZIP: the report shows what it would do; confirm: the children are imported."""
    client.force_login(service_manager)
    response = _upload(client, "riverside.zip", zip_bytes(), django_capture_on_commit_callbacks)
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.CHECKED and not Child.objects.exists()
    body = response.content.decode()
    assert "The files have no errors" in body and "children.csv" in body and "Import the records" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("service_import_run", args=[run.pk]))
    response = client.get(reverse("service_import_run", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.IMPORTED and run.content == b""
    assert (
        Child.objects.count() == 2
        and "Imported. What is due has been worked out" in response.content.decode()
    )
    assert set(User.objects.filter(email__endswith="example.gov.uk").values_list("email", flat=True)) == {
        "tamsin.ravel@yjs.example.gov.uk",
        "omar.quillfeather@yjs.example.gov.uk",
    }
    described = set(AuditEntry.objects.filter(user=service_manager).values_list("description", flat=True))
    assert {"Uploaded riverside.zip to import", "Confirmed the import of riverside.zip"} <= described


def test_a_child_with_errors_is_listed_and_skipped_when_confirmed(
    client, service_manager, django_capture_on_commit_callbacks
):
    """A child's errors are listed with file, row, column, value and reason; confirming imports the others."""
    client.force_login(service_manager)
    data = copy.deepcopy(SMALL_SET)
    data["children"][0]["Team"] = "Hillside locality team"
    response = _upload(client, "riverside.xlsx", xlsx_bytes(data), django_capture_on_commit_callbacks)
    body = response.content.decode()
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.CHECKED
    assert "There is 1 error in the files" in body and "Hillside locality team" in body
    assert "Unknown team: not in teams.csv or here" in body and "1 child will be skipped" in body
    assert "<li>RV-1001</li>" in body and "Import the records" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("service_import_run", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.IMPORTED
    assert list(Child.objects.values_list("case_number", flat=True)) == ["RV-1002"]
    body = client.get(reverse("service_import_run", args=[run.pk])).content.decode()
    assert "1 child was skipped" in body and "<li>RV-1001</li>" in body
    report = client.get(reverse("service_import_report", args=[run.pk]))
    assert b"children.csv,2,Team,Hillside locality team,unknown team" in report.content


def test_a_supervision_row_with_an_error_is_left_out_alone(
    client, service_manager, django_capture_on_commit_callbacks
):
    """An error in a row of staff's own records (no child's) leaves that row out and says so: no child is
    skipped; the report lists the files in the order they are imported."""
    client.force_login(service_manager)
    data = copy.deepcopy(SMALL_SET)
    data["supervision"][0]["Supervisor email"] = data["supervision"][0]["Worker email"]
    body = _upload(
        client, "riverside.zip", zip_bytes(data), django_capture_on_commit_callbacks
    ).content.decode()
    assert ServiceImport.objects.get().status == ServiceImport.Status.CHECKED
    assert "1 row of staff's or the service's records will be left out; everything else" in body
    assert "child will be skipped" not in body and "Nobody supervises themselves" in body
    assert body.index("mappa.csv") < body.index("supervision.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("service_import_run", args=[ServiceImport.objects.get().pk]))
    body = client.get(reverse("service_import_run", args=[ServiceImport.objects.get().pk])).content.decode()
    assert Child.objects.count() == 2 and "1 row of staff's or the service's records was left out" in body


def test_a_staff_error_is_refused_and_cannot_be_confirmed(
    client, service_manager, django_capture_on_commit_callbacks
):
    """An error in staff stops the import: the page says why, and confirming does nothing."""
    client.force_login(service_manager)
    data = copy.deepcopy(SMALL_SET)
    data["staff"][0]["Team"] = "Hillside locality team"
    body = _upload(
        client, "riverside.zip", zip_bytes(data), django_capture_on_commit_callbacks
    ).content.decode()
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.REFUSED and run.content == b""
    assert "stops the whole import, because every child depends on them" in body
    assert "Import the records" not in body
    client.post(reverse("service_import_run", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ServiceImport.Status.REFUSED and not Child.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "The file must be a ZIP of CSV files or an XLSX workbook"),
        ("empty.zip", b"", "The file is empty"),
    ],
)
def test_upload_errors_are_summarised(client, service_manager, name, content, message):
    """A wrong or empty file is an error on the form (summary and field), nothing is kept."""
    client.force_login(service_manager)
    response = client.post(reverse("service_import"), {"file": SimpleUploadedFile(name, content)})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and body.count(message) == 2
    assert not ServiceImport.objects.exists()


def test_no_file_chosen(client, service_manager):
    """Submitting without a file asks for one."""
    client.force_login(service_manager)
    body = client.post(reverse("service_import"), {}).content.decode()
    assert "Choose a ZIP or XLSX file to upload" in body


def test_unreadable_upload_is_refused_with_its_reason(
    client, service_manager, django_capture_on_commit_callbacks
):
    """A ZIP that is not one is refused after upload, with the reason, and nothing imported."""
    client.force_login(service_manager)
    body = _upload(client, "broken.zip", b"not a zip", django_capture_on_commit_callbacks).content.decode()
    assert "The file cannot be read" in body and "Not a readable ZIP file" in body


def test_pages_queries_do_not_grow(client, service_manager, django_assert_max_num_queries):
    """The list and a run's page read a bounded number of rows, whatever the runs or errors."""
    client.force_login(service_manager)
    problems = [
        {"file": "children.csv", "row": n, "column": "Team", "value": "X", "reason": "unknown team"}
        for n in range(2, 500)
    ]
    runs = [
        ServiceImport.objects.create(
            source_name=f"set{n}.zip",
            created_by=service_manager,
            status=ServiceImport.Status.REFUSED,
            report={"files": [], "problems": problems},
        )
        for n in range(30)
    ]
    with django_assert_max_num_queries(20):
        assert client.get(reverse("service_import")).status_code == 200
    with django_assert_max_num_queries(20):
        body = client.get(reverse("service_import_run", args=[runs[0].pk])).content.decode()
    assert "And 298 more" in body


def test_a_failure_is_shown_and_nothing_kept(
    client, service_manager, monkeypatch, django_capture_on_commit_callbacks
):
    """If the check itself fails, the run says so (nothing imported) instead of waiting for ever."""

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("onboarding.services.runs.service_import", broken)
    client.force_login(service_manager)
    body = _upload(client, "riverside.zip", zip_bytes(), django_capture_on_commit_callbacks).content.decode()
    run = ServiceImport.objects.get()
    assert run.status == ServiceImport.Status.FAILED and run.content == b""
    assert "The import failed" in body and "Nothing was imported" in body
