"""Celery tasks for meetings: thin wrappers named after the service they call."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def meeting_record_render(self, meeting_id: int) -> int | None:
    """Render a finalised meeting's record to PDF and store it against the child; idempotent."""
    from .pdf import meeting_record_store

    try:
        document = meeting_record_store(meeting_id=meeting_id)
    except Exception as exc:  # WeasyPrint or the database failing: try again later
        raise self.retry(exc=exc) from exc
    return document.pk if document else None
