"""The CMM Record (001 App. 4, 000 App. A and B) as a PDF, stored against the child, and its encrypted copy.

The record renders with WeasyPrint from templates/meetings/pdf/record.html: every App. 4 section in
order, with the child's name and case number and the OFFICIAL-SENSITIVE classification on every page.
Copies for people outside the organisation are encrypted with AES-256 (pypdf) under a password the sender
gives them separately (001 §6.2: "password protected for those outside of NCC").
"""

import datetime
import io
import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Document

from .models import Invitation, Meeting, MeetingAction, MeetingKind

# Readable aloud over the phone: no 0/o, 1/l/i look-alikes.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 5
DOCUMENT_VERSION = 1


def _meeting_for_record(meeting_id: int) -> Meeting | None:
    """The meeting with everything the record shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related(
            "child", "chair", "case_manager", "finalised_by", "views_gathered_by", "booked_by"
        )
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.select_related("user")),
            Prefetch("actions", queryset=MeetingAction.objects.select_related("owner")),
        )
        .filter(pk=meeting_id)
        .first()
    )


def _meeting_date(meeting: Meeting) -> datetime.date:
    """The day the meeting took place (or was booked for, before it is held)."""
    return timezone.localdate(meeting.held_at or meeting.starts_at)


def _compliance_rows(meeting: Meeting) -> list[dict]:
    """The frozen App. B non-compliance rows, with their dates as dates."""
    rows = []
    for row in (meeting.compliance_figures or {}).get("non_compliance", []):
        try:
            date = datetime.date.fromisoformat(row.get("date", ""))
        except (TypeError, ValueError):
            date = None
        rows.append({**row, "date": date})
    return rows


def meeting_record_context(meeting: Meeting) -> dict:
    """What the record template needs (001 App. 4; 000 App. A and App. B)."""
    invitations = list(meeting.invitations.all())
    figures = meeting.compliance_figures or {}
    is_compliance = meeting.kind == MeetingKind.COMPLIANCE
    return {
        "meeting": meeting,
        "child": meeting.child,
        "meeting_date": _meeting_date(meeting),
        "heading": (
            "MAPPA level 1 information sharing meeting minutes"
            if meeting.is_mappa
            else "Case Management Meeting (CMM) Record"
        ),
        "invitations": invitations,
        "written_updates": [i for i in invitations if i.written_update],
        "actions": list(meeting.actions.all()),
        "is_compliance": is_compliance,
        "figures": figures,
        "non_compliance": _compliance_rows(meeting),
        # 000 App. A: "if CMM for non-compliance, a presumption against breach should be introduced
        # for children in care".
        "breach_prompt": is_compliance and meeting.child.looked_after,
        "generated_at": timezone.localtime(),
    }


def meeting_record_html(meeting: Meeting) -> str:
    """The CMM Record as HTML for WeasyPrint (Django autoescapes every recorded text)."""
    return render_to_string("meetings/pdf/record.html", meeting_record_context(meeting))


def meeting_record_pdf(*, meeting: Meeting) -> bytes:
    """The CMM Record rendered to an A4 PDF with WeasyPrint."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only the renderer needs it

    return HTML(string=meeting_record_html(meeting)).write_pdf()


def record_filename(meeting: Meeting) -> str:
    """`cmm-record-<case number>-<date>.pdf`, safe as a download name."""
    case_number = re.sub(r"[^A-Za-z0-9_-]", "", meeting.child.case_number) or "child"
    return f"cmm-record-{case_number}-{_meeting_date(meeting).isoformat()}.pdf"


def record_title(meeting: Meeting) -> str:
    """The stored document's title, as the child's documents list shows it."""
    return f"{meeting.title} record, {_meeting_date(meeting):%-d %B %Y}"[:200]


def meeting_record_store(*, meeting_id: int) -> Document | None:
    """Render a finalised meeting's record and store it against the child, once (idempotent).

    Returns None for a meeting that does not exist or is not finalised. A record already stored for the
    meeting (source + version) is returned as it is: the minutes are fixed once finalised. Two renders at
    once (the worker and a download) meet at the unique constraint, and the loser returns the winner's.
    """
    meeting = _meeting_for_record(meeting_id)
    if meeting is None or meeting.status != Meeting.Status.FINALISED:
        return None
    existing = Document.objects.filter(source=meeting.source, version=DOCUMENT_VERSION).first()
    if existing is not None:
        return existing
    content = meeting_record_pdf(meeting=meeting)
    try:
        with transaction.atomic():
            return Document.objects.create(
                child=meeting.child,
                title=record_title(meeting),
                filename=record_filename(meeting),
                content=content,
                source=meeting.source,
                version=DOCUMENT_VERSION,
            )
    except IntegrityError:
        return Document.objects.get(source=meeting.source, version=DOCUMENT_VERSION)


def pdf_encrypt(*, content: bytes, password: str) -> bytes:
    """An AES-256 encrypted copy of a PDF that opens only with `password` (001 §6.2).

    The owner password is random and thrown away: nobody can lift the restrictions without the user
    password either.
    """
    from pypdf import PdfReader, PdfWriter

    if not password:
        raise ValueError("A password is needed to encrypt the PDF.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(content))))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(32), algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def minutes_password() -> str:
    """A strong password that is easy to read out: four groups of five letters and digits (~99 bits)."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
