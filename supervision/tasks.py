"""Celery tasks for supervision: thin wrappers named after the service they call; idempotent."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def case_discussion_render(self, discussion_id: int) -> int | None:
    """Render a recorded Case Discussion Record (001 App. 5) to PDF and store it against the child."""
    from .pdf import case_discussion_store

    try:
        document = case_discussion_store(discussion_id=discussion_id)
    except Exception as exc:  # WeasyPrint or the database failing: try again later
        raise self.retry(exc=exc) from exc
    return document.pk if document else None


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def supervision_record_render(self, session_id: int) -> int | None:
    """Render a finalised Record of Supervision (000 App. C) to PDF and keep it with the record."""
    from .pdf_session import supervision_record_store

    try:
        return supervision_record_store(session_id=session_id)
    except Exception as exc:
        raise self.retry(exc=exc) from exc
