"""What the meetings services share: the locked row, the audit entry against the child, a time in words."""

import datetime

from django.utils import timezone

from cases.models import User
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked as core_locked

from ..models import Meeting


def locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked for this transaction, so two people cannot finalise it at once."""
    return core_locked(meeting, "child")


def audit(*, user: User, meeting: Meeting, description: str, action=AuditEntry.Action.UPDATE) -> None:
    """Audit a write to the meeting against its child (every meetings write is audited)."""
    audit_record(user=user, action=action, obj=meeting, child=meeting.child, description=description)


def when(value: datetime.datetime) -> str:
    """A meeting's date and time in words, in the service's time zone ("3 March 2026 at 14:30")."""
    return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"
