"""The Case Discussion Record (001 App. 5; 000 App. D) as a PDF, stored against the child.

It renders with WeasyPrint from templates/supervision/pdf/discussion.html, laid out as App. 5: the child
is named by initials and case number only, as the form does, with the OFFICIAL-SENSITIVE classification,
the initials and case number, and "Page X of Y" on every page.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Document

from .models import CaseDiscussion, DiscussionAction

DOCUMENT_VERSION = 1


def discussion_source(discussion_id: int) -> str:
    """The Document source of a discussion's record (also its event's and tasks' prefix)."""
    return f"discussion:{discussion_id}"


def _discussion_for_record(discussion_id: int) -> CaseDiscussion | None:
    """The discussion with everything the record shows, in a fixed number of queries."""
    return (
        CaseDiscussion.objects.select_related("child", "manager", "worker", "recorded_by")
        .prefetch_related(Prefetch("actions", queryset=DiscussionAction.objects.select_related("owner")))
        .filter(pk=discussion_id)
        .first()
    )


def case_discussion_context(discussion: CaseDiscussion) -> dict:
    """What the record template needs (001 App. 5)."""
    return {
        "discussion": discussion,
        "child": discussion.child,
        "actions": list(discussion.actions.all()),
        "co_allocated": discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED,
        "generated_at": timezone.localtime(),
    }


def case_discussion_html(discussion: CaseDiscussion) -> str:
    """The record as HTML for WeasyPrint (Django autoescapes every recorded text)."""
    return render_to_string("supervision/pdf/discussion.html", case_discussion_context(discussion))


def case_discussion_pdf(*, discussion: CaseDiscussion) -> bytes:
    """The record rendered to an A4 PDF with WeasyPrint."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only the renderer needs it

    return HTML(string=case_discussion_html(discussion)).write_pdf()


def record_filename(discussion: CaseDiscussion) -> str:
    """`case-discussion-<case number>-<date>.pdf`, safe as a download name."""
    case_number = re.sub(r"[^A-Za-z0-9_-]", "", discussion.child.case_number) or "child"
    return f"case-discussion-{case_number}-{discussion.held_on.isoformat()}.pdf"


def record_title(discussion: CaseDiscussion) -> str:
    """The stored document's title."""
    kind = (
        "Co-allocated workers' discussion"
        if discussion.kind == CaseDiscussion.Kind.CO_ALLOCATED
        else ("Case Discussion Record")
    )
    return f"{kind}, {discussion.held_on:%-d %B %Y}"[:200]


def case_discussion_store(*, discussion_id: int) -> Document | None:
    """Render a recorded discussion's record and store it against the child, once (idempotent).

    None for a discussion that does not exist or is not recorded. A record already stored (source +
    version) is returned as it is; two renders at once meet at the unique constraint and the loser
    returns the winner's.
    """
    discussion = _discussion_for_record(discussion_id)
    if discussion is None or not discussion.is_recorded:
        return None
    source = discussion_source(discussion.pk)
    existing = Document.objects.filter(source=source, version=DOCUMENT_VERSION).first()
    if existing is not None:
        return existing
    content = case_discussion_pdf(discussion=discussion)
    try:
        with transaction.atomic():
            return Document.objects.create(
                child=discussion.child,
                title=record_title(discussion),
                filename=record_filename(discussion),
                content=content,
                source=source,
                version=DOCUMENT_VERSION,
            )
    except IntegrityError:
        return Document.objects.get(source=source, version=DOCUMENT_VERSION)
