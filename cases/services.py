"""Writes for the cases app: every change to a child's record is audited in the same transaction."""

from django.db import transaction

from .models import AuditEntry, Child, Event


def audit_record(*, user, action, obj, description, child=None, path="") -> AuditEntry:
    """Append one audit entry: who did what to which record, and when."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        child=child,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        description=description[:300],
        path=path[:300],
    )


def child_view_audit(*, user, child, page, path="") -> AuditEntry:
    """Record that a user looked at a child's record (every view is audited)."""
    return audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=child,
        child=child,
        description=f"Viewed {page}",
        path=path,
    )


@transaction.atomic
def event_create(*, child: Child, author, event_type, occurred_on, summary, details="") -> Event:
    """Add a case note to a child's record."""
    event = Event(
        child=child,
        author=author,
        event_type=event_type,
        occurred_on=occurred_on,
        summary=summary,
        details=details,
    )
    event.full_clean()
    event.save()
    audit_record(
        user=author,
        action=AuditEntry.Action.CREATE,
        obj=event,
        child=child,
        description=f"Added event: {event.get_event_type_display()} on {occurred_on:%d/%m/%Y}",
    )
    return event


@transaction.atomic
def event_correct(*, event: Event, author, event_type, occurred_on, summary, details="", reason) -> Event:
    """Correct an event by writing a new version; the old one is kept and marked superseded."""
    # Lock the row so two people correcting at once cannot both supersede the same version.
    current = Event.objects.select_for_update().get(pk=event.pk)
    if not current.is_current:
        raise ValueError("This version has already been corrected; correct the latest version instead.")
    new = Event(
        child=current.child,
        author=author,
        event_type=event_type,
        occurred_on=occurred_on,
        summary=summary,
        details=details,
        corrects=current,
        correction_reason=reason,
    )
    new.full_clean()
    current.is_current = False
    current.save(update_fields=["is_current"])
    new.save()
    audit_record(
        user=author,
        action=AuditEntry.Action.CORRECT,
        obj=new,
        child=current.child,
        description=f"Corrected event {current.pk} as {new.pk}: {reason}",
    )
    return new
