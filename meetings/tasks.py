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


@shared_task(bind=True, max_retries=5, default_retry_delay=120)
def meeting_invitations_email(self, meeting_id: int, invitation_ids: list[int]) -> int:
    """Email a meeting's invitations with the calendar file (001 §6.2); retried if the mail server fails."""
    from .documents import invitations_email
    from .models import Invitation, Meeting

    meeting = Meeting.objects.select_related("child", "chair").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    invitations = list(Invitation.objects.filter(meeting=meeting, pk__in=invitation_ids))
    try:
        return invitations_email(meeting=meeting, invitations=invitations)
    except OSError as exc:  # smtplib's errors are OSErrors
        raise self.retry(exc=exc) from exc
