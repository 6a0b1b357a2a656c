"""Making a subject access export (UK GDPR Art. 15; DPA 2018 s.45 for law-enforcement processing): the
child's whole record from every app's registered sections (core.registry), as record.pdf,
record.json and redactions.csv in one ZIP (with the documents stored against the child under
documents/), stored and audited. Rendered on the outbox's bulk queue (ADR 0010): a record of years
takes WeasyPrint longer than a web worker may wait."""

import csv
import datetime
import io
import json
import re
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cases.models import Child
from core import outbox
from core.audit import audit_record
from core.downloads import csv_cell
from core.models import AuditEntry, Document
from core.registry import registry

from .models import SubjectAccessExport
from .pdf import pdf_context, record_pdf
from .redactions import find_redactions

REDACTION_COLUMNS = ["section", "record", "field", "found", "category", "reason"]
JSON_FORMAT = "yjs-subject-access-export/1"
EXPORT_RENDER = "records.subject_access_render"


def redactions_csv(rows: list[dict]) -> bytes:
    """The redaction list as CSV (cells never become formulas in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REDACTION_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in REDACTION_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def export_filename(child: Child, at: datetime.datetime) -> str:
    """`subject-access-<case number>-<date>.zip`, safe as a download name."""
    case_number = re.sub(r"[^A-Za-z0-9_-]", "", child.case_number) or "child"
    return f"subject-access-{case_number}-{timezone.localdate(at).isoformat()}.zip"


def stored_documents(child: Child) -> dict[str, bytes]:
    """The documents stored against the child (CMM and case discussion records), as
    `documents/<id>-<filename>`: renderings of records the export already holds, for the same review."""
    return {
        f"documents/{doc.pk}-{re.sub(r'[^A-Za-z0-9._-]', '', doc.filename) or 'document'}": bytes(doc.content)
        for doc in Document.objects.filter(child=child).order_by("pk")
    }


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def subject_access_request(
    *, user, child: Child, requester: str, reference: str, received_on: datetime.date, reason: str
) -> SubjectAccessExport:
    """Record a subject access request and queue its export (the outbox's bulk queue, ADR 0010):
    the row, its audit entry and the render's message commit together, or not at all."""
    with transaction.atomic():
        export = SubjectAccessExport.objects.create(
            child=child,
            requester=requester,
            reference=reference,
            received_on=received_on,
            reason=reason,
            requested_by=user,
        )
        export.message = outbox.enqueue(
            topic=EXPORT_RENDER,
            payload={"export_id": export.pk},
            description=f"Subject access export {export.pk} of a child's record",
            source=f"render:subject_access:{export.pk}",
            key=f"render:subject_access:{export.pk}",
            child=child,
            user=user,
        )
        export.save(update_fields=["message"])
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=export,
            child=child,
            description="Asked for an export of the child's whole record for a subject access request "
            "(UK GDPR Art. 15)",
        )
    return export


def subject_access_render(*, export_id: int) -> SubjectAccessExport | None:
    """Export the child's whole record for the request (the outbox's handler; idempotent: a ready
    export is left as it is). None for an export that no longer exists.

    The JSON holds every registered section as a list of records (their fields by name, ISO dates,
    earlier versions); the PDF shows the same with a cover page and contents; both, and the CSV, list
    the third-party information found for the service manager to consider for redaction."""
    export = (
        SubjectAccessExport.objects.select_for_update()
        .select_related("child", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status == SubjectAccessExport.Status.READY:
        return export
    child, user, now = export.child, export.requested_by, timezone.now()
    sections = registry.record_sections_for(child)
    redactions = find_redactions(child, sections)
    meta = {
        "format": JSON_FORMAT,
        "legal_basis": "UK GDPR Article 15 (right of access); Data Protection Act 2018",
        "child_initials": child.initials,
        "case_number": child.case_number,
        "requester": export.requester,
        "reference": export.reference,
        "received_on": export.received_on.isoformat(),
        "reason": export.reason,
        "exported_at": now.isoformat(),
        "exported_by": user.get_full_name() or user.get_username(),
    }
    data = {
        "export": meta,
        "sections": {
            name: {"title": s.title, "restricted": s.restricted, "records": s.items} for name, s in sections
        },
        "redactions": redactions,
    }
    shown = {
        **meta,
        "initials": child.initials,
        "received_on_display": f"{export.received_on:%-d %B %Y}",
        "created_display": f"{timezone.localtime(now):%-d %B %Y, %H:%M}",
    }
    pdf, pages = record_pdf(pdf_context(export=shown, sections=sections, redactions=redactions))
    files = {
        "record.pdf": pdf,
        "record.json": json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder).encode(),
        "redactions.csv": redactions_csv(redactions),
    }
    files.update(stored_documents(child))
    export.content = _zip(files)
    export.size, export.pages, export.redactions = len(export.content), pages, len(redactions)
    export.filename = export_filename(child, now)
    export.status, export.prepared_at = SubjectAccessExport.Status.READY, now
    export.save()
    audit_record(
        user=None,
        action=AuditEntry.Action.UPDATE,
        obj=export,
        child=child,
        description=(
            f"Prepared subject access export {export.pk}: {len(sections)} sections, {pages} pages, "
            f"{len(redactions)} items listed for redaction"
        ),
    )
    return export


def subject_access_download_audit(*, user, export: SubjectAccessExport, path: str = "") -> None:
    """Record that the export was downloaded, by whom."""
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=export,
        child=export.child,
        description=f"Downloaded subject access export {export.pk} ({export.filename})",
        path=path,
    )
