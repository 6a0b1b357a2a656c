"""A management decision outside formal supervision, recorded on the child's file (004 §7, 002
"Management oversight and informal supervision"): it states `oversight_decision` (dated when made) and
`oversight_recorded` (dated when put on the file). The OOC oversight holder decision is one too (001 §6.3,
label OVERSIGHT_HOLDER)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, EventType, User
from cases.services.core import child_obligations_refresh_on_commit, event_create
from core.audit import audit_record
from core.models import AuditEntry

from ...models import OversightDecision
from ...selectors import discussions as selectors

# 004 §7: the file shows the decision under its label's heading; any other label is "Management Oversight".
LABEL_EVENT_TYPES: dict[str, str] = {
    OversightDecision.Label.PANEL: EventType.MANAGEMENT_OVERSIGHT_PANEL,
    OversightDecision.Label.SUPERVISION: EventType.MANAGEMENT_OVERSIGHT_SUPERVISION,
}


def _first_line(text: str) -> str:
    """The first line that is not blank, for the event's summary."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _checked_when(decided_at: datetime.datetime, today: datetime.date) -> datetime.datetime:
    """When the decision was made, made aware: in the past, and not after the day it is recorded."""
    if timezone.is_naive(decided_at):
        decided_at = timezone.make_aware(decided_at)
    if decided_at > timezone.now():
        raise ValidationError("When the decision was made must be in the past.")
    if timezone.localdate(decided_at) > today:
        raise ValidationError("A decision cannot be recorded before the day it was made.")
    return decided_at


def _checked_panel_name(label: str, panel_name: str) -> str:
    """The label is one of 004 §7's, and a panel decision names its panel (kept only for a panel)."""
    if label not in OversightDecision.Label.values:
        raise ValidationError("Choose the kind of management oversight.")
    panel_name = panel_name.strip()
    if label == OversightDecision.Label.PANEL and not panel_name:
        raise ValidationError("Enter the name of the panel (004 §7: Management Oversight by [panel name]).")
    return panel_name if label == OversightDecision.Label.PANEL else ""


def _decision_details(item: OversightDecision, user: User) -> str:
    """The event's text: when and by whom, then the decision, its rationale and actions."""
    # A User's str is their full name, or their username without one.
    details = [f"Decision made {timezone.localtime(item.decided_at):%-d %B %Y at %H:%M} by {user}."]
    if item.significant:
        details.append("Significant case decision or urgent matter.")
    details.append(f"Decision and case direction:\n{item.decision}")
    if item.rationale:
        details.append(f"Rationale:\n{item.rationale}")
    if item.actions:
        details.append(f"Actions:\n{item.actions}")
    return "\n\n".join(details)


@transaction.atomic
def oversight_decision_record(
    *,
    child: Child,
    user: User,
    label: str,
    panel_name: str = "",
    decided_at: datetime.datetime,
    significant: bool = False,
    decision: str,
    rationale: str = "",
    actions: str = "",
    today: datetime.date | None = None,
    event_type: str | None = None,
) -> OversightDecision:
    """Record a management decision outside formal supervision on the child's file (004 §7, 002): the
    decision (`oversight_decision`, dated when made), recorded today (`oversight_recorded`), and its
    event: "Management Oversight by [panel]" or "Management Oversight". Used by the OOC oversight holder
    decision too (001 §6.3, label OVERSIGHT_HOLDER)."""
    today = today or timezone.localdate()
    if not selectors.can_manage_oversight(user=user, child=child):
        raise ValidationError(
            "Only a team manager, advanced practitioner or the service manager can record a management decision."
        )
    panel_name = _checked_panel_name(label, panel_name)
    decided_at = _checked_when(decided_at, today)
    if not decision.strip():
        raise ValidationError("Enter the decision and case direction.")
    item = OversightDecision(
        child=child,
        label=label,
        panel_name=panel_name,
        manager=user,
        decided_at=decided_at,
        significant=significant,
        decision=decision.strip(),
        rationale=rationale.strip(),
        actions=actions.strip(),
        recorded_on=today,
    )
    item.full_clean()
    item.save()
    if event_type is None:
        event_type = LABEL_EVENT_TYPES.get(label, EventType.MANAGEMENT_OVERSIGHT)
    first = _first_line(item.decision)
    event = event_create(
        child=child,
        author=user,
        event_type=event_type,
        occurred_on=timezone.localdate(decided_at),
        summary=f"{item.heading}: {first}" if first else item.heading,
        details=_decision_details(item, user),
        source=f"oversight:{item.pk}",
    )
    item.event = event
    item.save(update_fields=["event"])
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=item,
        child=child,
        description=f"Recorded {item.heading} (decided {timezone.localtime(decided_at):%d/%m/%Y %H:%M})",
    )
    child_obligations_refresh_on_commit(child=child)
    return item
