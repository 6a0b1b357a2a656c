"""What every transfers write shares: the TRANSFER event on the child's timeline, the row lock, the refusal
of a date after today, and closing the child's record when the case leaves us (003 §12.4, §12.1, §12.6)."""

from typing import TypeVar

from django.db import models

from cases.models import Child, EventType
from cases.services import event_create
from core.audit import audit_record
from core.models import AuditEntry

M = TypeVar("M", bound=models.Model)


def transfer_event(*, child, user, day, summary, details="", source="") -> None:
    """A TRANSFER case note on the child's timeline (its facts come from the record, not the note)."""
    event_create(
        child=child,
        author=user,
        event_type=EventType.TRANSFER,
        occurred_on=day,
        summary=summary,
        details=details,
        source=source,
    )


def child_record_close(*, child: Child, user, why: str) -> None:
    """Close the child's record, audited, when the case is no longer ours (a transfer in rejected,
    caretaking returned home, a transfer out completed); a closed record is left as it is."""
    if not child.is_open:
        return
    child.is_open = False
    child.save(update_fields=["is_open"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=child,
        child=child,
        description=f"Closed the child's record: {why}",
    )
