"""The Record of Supervision (000 App. C) as a PDF, kept with the record (not on any child's file).

Rendered with WeasyPrint from templates/supervision/pdf/session.html in App. C's layout: the title, Name,
Date of Supervision, Supervision Method, the eight agenda headings with what was recorded under each,
the Discussion Notes and the "Date, Time and Place of Next Supervision"; every page's footer carries the
OFFICIAL-SENSITIVE classification, the supervisee's name and "Page X of Y". It holds the restricted
sections, so only those who may read them download it (supervision/access.py `can_see_restricted`).
"""

import re

from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import SupervisionSession
from .selectors.sessions import AGENDA, session_discussions


def _session_for_record(session_id: int) -> SupervisionSession | None:
    """The session with its people, without the stored PDF."""
    return (
        SupervisionSession.objects.select_related("supervisee", "supervisor", "finalised_by")
        .defer("pdf")
        .filter(pk=session_id)
        .first()
    )


def session_record_context(session: SupervisionSession) -> dict:
    """What the record template needs: App. C's agenda with the recorded text under each heading."""
    discussions = session_discussions(session=session)
    sections = [{**item, "text": getattr(session, item["field"]) if item["field"] else ""} for item in AGENDA]
    return {
        "session": session,
        "supervisee_name": session.supervisee.get_full_name() or session.supervisee.username,
        "supervisor_name": session.supervisor.get_full_name() or session.supervisor.username,
        "sections": sections,
        "discussions": discussions,
        "generated_at": timezone.localtime(),
    }


def session_record_html(session: SupervisionSession) -> str:
    """The Record of Supervision as HTML for WeasyPrint (every recorded text autoescaped)."""
    return render_to_string("supervision/pdf/session.html", session_record_context(session))


def session_record_pdf(*, session: SupervisionSession) -> bytes:
    """The Record of Supervision rendered to an A4 PDF."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only the renderer needs it

    return HTML(string=session_record_html(session)).write_pdf()


def session_record_filename(session: SupervisionSession) -> str:
    """`record-of-supervision-<username>-<date>.pdf`, safe as a download name."""
    username = re.sub(r"[^A-Za-z0-9_-]", "", session.supervisee.username) or "worker"
    return f"record-of-supervision-{username}-{session.held_on.isoformat()}.pdf"


def supervision_record_store(*, session_id: int) -> int | None:
    """Render a finalised record and keep it with the session, once (idempotent); returns the session id.

    None for a session that does not exist or is not finalised. A record already rendered is left as it
    is: it is fixed once finalised. Two renders at once (the task and a download) both write only where no
    PDF is stored yet, so the version is bumped once.
    """
    session = _session_for_record(session_id)
    if session is None or not session.is_finalised:
        return None
    if SupervisionSession.objects.filter(pk=session.pk, pdf__isnull=False).exists():
        return session.pk
    content = session_record_pdf(session=session)
    SupervisionSession.objects.filter(pk=session.pk, pdf__isnull=True).update(
        pdf=content, pdf_version=F("pdf_version") + 1, pdf_rendered_at=timezone.now()
    )
    return session.pk
