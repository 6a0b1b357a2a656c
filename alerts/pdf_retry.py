"""Find the PDFs that should exist and do not, and queue their renders again (the pdf_renders_retry job).

A finalised CMM (or MAPPA / combined) meeting's record and a recorded case discussion's record are stored
against the child as a Document whose `source` names them ("meeting:<pk>", "discussion:<pk>", version 1:
meetings/pdf.py, supervision/pdf.py); a finalised Record of Supervision keeps its PDF on the session
(supervision/pdf_session.py). Each is rendered by a task queued when it is finalised; a render that failed
all its retries (WeasyPrint or the database down) leaves no PDF, and this job queues it again. The render
tasks are idempotent, so a render still in the queue being queued twice stores nothing twice.
"""

from __future__ import annotations

import logging

from celery import Task
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat

from core.models import Document
from meetings.models import Meeting
from meetings.pdf import DOCUMENT_VERSION as MEETING_VERSION
from meetings.tasks import meeting_record_render
from supervision.models import CaseDiscussion, SupervisionSession
from supervision.pdf import DOCUMENT_VERSION as DISCUSSION_VERSION
from supervision.tasks import case_discussion_render, supervision_record_render

logger = logging.getLogger(__name__)

# Renders queued per kind per run: a render that fails every time cannot flood the queue.
LIMIT = 200


def _document_exists(prefix: str, version: int):
    """Whether the Document `<prefix><pk>` (at `version`) exists for the outer row."""
    source = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(Document.objects.filter(source=source, version=version))


def pdfs_missing() -> dict[str, list[int]]:
    """The meetings, case discussions and supervision sessions whose PDF should exist and does not."""
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.FINALISED)
        .filter(~_document_exists("meeting:", MEETING_VERSION))
        .order_by("pk")
        .values_list("pk", flat=True)[:LIMIT]
    )
    discussions = (
        CaseDiscussion.objects.filter(status=CaseDiscussion.Status.RECORDED)
        .filter(~_document_exists("discussion:", DISCUSSION_VERSION))
        .order_by("pk")
        .values_list("pk", flat=True)[:LIMIT]
    )
    sessions = (
        SupervisionSession.objects.filter(status=SupervisionSession.Status.FINALISED, pdf__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:LIMIT]
    )
    return {"meetings": list(meetings), "discussions": list(discussions), "sessions": list(sessions)}


def pdf_renders_queue() -> dict[str, int]:
    """Queue the existing render task for each missing PDF; returns how many of each were queued."""
    missing = pdfs_missing()
    tasks: dict[str, Task[[int], int | None]] = {
        "meetings": meeting_record_render,
        "discussions": case_discussion_render,
        "sessions": supervision_record_render,
    }
    queued = {kind: 0 for kind in tasks}
    queued["failed"] = 0
    for kind, task in tasks.items():
        for pk in missing[kind]:
            try:
                task.delay(pk)
            except (
                Exception
            ):  # eager (the embedded default) renders inline: one failing must not stop the rest
                logger.exception("Queueing the %s PDF render for %s failed", kind, pk)
                queued["failed"] += 1
                continue
            queued[kind] += 1
    return queued
