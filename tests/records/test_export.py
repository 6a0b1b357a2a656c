"""The subject access export's content (UK GDPR Art. 15): the ZIP holds record.pdf, record.json and
redactions.csv; the JSON has every registered section and the case notes with their versions; another
child named in a note, a member of staff's email and the MAPPA section are listed for redaction; the PDF
opens, says "Page 1 of N" and has N pages; the export is audited."""

import csv
import io
import json
import zipfile

from pypdf import PdfReader

from core.models import AuditEntry, Document
from core.registry import registry
from records.models import SubjectAccessExport
from records.services import subject_access_render

from .conftest import make_export


def files(export: SubjectAccessExport) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bytes(export.content))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_the_three_files(export):
    """record.pdf, record.json and redactions.csv (and no stored documents: the child has none)."""
    assert sorted(files(export)) == ["record.json", "record.pdf", "redactions.csv"]
    assert export.filename.startswith("subject-access-") and export.filename.endswith(".zip")


def test_the_json_has_every_registered_section(export):
    data = json.loads(files(export)["record.json"])
    assert set(data["sections"]) == set(registry.record_sections)
    for expected in ("details", "events", "assessments", "plans", "contacts", "meetings", "case_discussions"):
        assert expected in data["sections"]
    for expected in ("transfers", "court", "mappa", "documents"):
        assert expected in data["sections"]
    assert data["export"]["reference"] == "SAR-0001"
    assert data["export"]["received_on"].count("-") == 2  # ISO 8601


def test_the_json_has_the_childs_events_with_their_versions(export, record, child):
    data = json.loads(files(export)["record.json"])
    events = [e for e in data["sections"]["events"]["records"] if e["fields"]["summary"] == record.summary]
    assert [e["id"] for e in events] == [record.pk]  # the note as it reads now, once
    versions = events[0]["versions"]
    assert [v["change"] for v in versions] == ["created", "corrected"]
    assert versions[1]["reason"] == "Named the wrong way"
    assert "youth centre" in versions[0]["fields"]["details"]
    # Records with simple-history versions: the child's details.
    details = data["sections"]["details"]["records"][0]
    assert details["fields"]["case_number"] == child.case_number
    assert details["versions"] and details["versions"][0]["change"] == "created"


def test_another_childs_name_and_case_number_are_listed_for_redaction(export, other_child):
    rows = list(csv.DictReader(io.StringIO(files(export)["redactions.csv"].decode("utf-8-sig"))))
    named = [r for r in rows if r["category"] == "Another child's name"]
    assert named and named[0]["found"] == f"{other_child.first_name} {other_child.last_name}"
    assert named[0]["section"] == "Case notes (events)" and named[0]["field"] == "details"
    # The case number was only in the first version: still found.
    numbered = [r for r in rows if r["category"] == "Another child's case number"]
    assert numbered and numbered[0]["found"] == other_child.case_number


def test_staff_emails_phone_numbers_and_mappa_are_listed(export, colleague):
    rows = list(csv.DictReader(io.StringIO(files(export)["redactions.csv"].decode("utf-8-sig"))))
    categories = {r["category"]: r for r in rows}
    assert categories["Staff email address"]["found"] == colleague.email
    assert categories["Phone number"]["found"] == "0115 496 0123"
    assert any(r["category"] == "Restricted section" and r["section"] == "MAPPA" for r in rows)
    assert export.redactions == len(rows)


def test_the_pdf_opens_with_page_numbers(export, other_child):
    reader = PdfReader(io.BytesIO(files(export)["record.pdf"]))
    pages = len(reader.pages)
    assert pages == export.pages and pages >= 3  # cover, contents, sections
    first = reader.pages[0].extract_text()
    assert f"Page 1 of {pages}" in first
    assert "SAR-0001" in first
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Third-party information to consider for redaction" in text
    assert other_child.case_number in text


def test_the_export_is_audited(export, service_manager, child):
    asked = AuditEntry.objects.get(object_type="subjectaccessexport", action=AuditEntry.Action.CREATE)
    assert asked.user == service_manager and asked.child_id == child.pk
    assert "subject access" in asked.description
    prepared = AuditEntry.objects.get(object_type="subjectaccessexport", action=AuditEntry.Action.UPDATE)
    assert prepared.child_id == child.pk and f"{export.pages} pages" in prepared.description


def test_the_render_is_queued_on_the_bulk_queue_and_runs_once(export):
    assert export.status == SubjectAccessExport.Status.READY and export.prepared_at
    assert export.message.topic == "records.subject_access_render"
    content = bytes(export.content)
    again = subject_access_render(export_id=export.pk)  # a second delivery: left as it is
    assert again is not None and bytes(again.content) == content
    assert subject_access_render(export_id=export.pk + 1000) is None


def test_documents_stored_against_the_child_are_in_the_zip(record, child, service_manager):
    stored = Document.objects.create(
        child=child, title="CMM record", filename="cmm-record.pdf", content=b"%PDF-1.7 test", source="test:1"
    )
    contents = files(make_export(child=child, user=service_manager, reference=""))
    assert contents[f"documents/{stored.pk}-cmm-record.pdf"] == b"%PDF-1.7 test"
    data = json.loads(contents["record.json"])
    listed = data["sections"]["documents"]["records"]
    assert [d["fields"]["title"] for d in listed] == ["CMM record"]
    assert "content" not in listed[0]["fields"]  # the bytes are the file, not the JSON
