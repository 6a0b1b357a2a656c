"""Writes for the contacts a host YJS reports for a child whose case we keep (003 §12.8)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.services import child_obligations_refresh_on_commit
from core.audit import audit_record
from core.models import AuditEntry
from core.services import future_error

from ...models import HostContact
from ...selectors import external as selectors
from ..common import transfer_event


@transaction.atomic
def host_contact_create(
    *, child, user, date: datetime.date, kind: str, host_worker: str, summary: str
) -> HostContact:
    """Log a contact the host YJS reports for a child whose case we keep (003 §12.8); it counts as a
    contact for the child's contact timescales (transfers/facts.py)."""
    transfer_out = selectors.host_transfer_out(child=child)
    if transfer_out is None:
        raise ValidationError("No host area is providing contact for this child")
    if not selectors.can_record_host_contact(user=user, child=child):
        raise ValidationError("You cannot record host contacts for this child")
    errors = {}
    if message := future_error(date, "The date of the contact"):
        errors["date"] = message
    if not (summary or "").strip():
        errors["summary"] = "Enter a summary of the contact"
    if not (host_worker or "").strip():
        errors["host_worker"] = "Enter the host YJS worker"
    if errors:
        raise ValidationError(errors)
    contact = HostContact(
        child=child,
        transfer_out=transfer_out,
        date=date,
        kind=kind,
        host_worker=host_worker.strip(),
        summary=summary.strip(),
        recorded_by=user,
    )
    contact.full_clean()
    contact.save()
    kind_label = contact.get_kind_display().lower()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=contact,
        child=child,
        description=f"Logged a {kind_label} contact by {transfer_out.host_area} on {date:%d/%m/%Y}",
    )
    transfer_event(
        child=child,
        user=user,
        day=date,
        summary=f"Host contact ({kind_label}) by {transfer_out.host_area}",
        details=f"{contact.host_worker}: {contact.summary}",
        source=f"host_contact:{contact.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return contact
