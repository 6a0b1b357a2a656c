"""Writes for the cases app: every change to a child's record is audited in the same transaction."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry

from ..facts import child_facts, worker_facts
from ..models import HIGH_LEVELS, Child, Event, FactSnapshot, Obligation, User
from ..rules import compute, explain
from ..signals import child_significant_change, work_waiting
from . import rollup


@transaction.atomic
def event_create(*, child: Child, author, event_type, occurred_on, summary, details="", source="") -> Event:
    """Add a case note to a child's record.

    `source` ("assessment:12") marks an event the product writes for a structured record: it shows the
    record on the timeline, and its facts come from the record (cases/facts.py), not from the event.
    """
    event = Event(
        child=child,
        author=author,
        event_type=event_type,
        occurred_on=occurred_on,
        summary=summary[:200],
        details=details,
        source=source,
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
    child_obligations_refresh_on_commit(child=child)
    return event


@transaction.atomic
def child_levels_set(*, child: Child, levels: dict, user, reason: str, agreed_at=None) -> dict:
    """Make agreed RoSH/SaW/LoR levels the child's (blank levels leave theirs alone), audited.

    The child's history keeps each change, which is the `risk_rated` fact (cases/facts.py); `agreed_at`
    dates that history when the levels were agreed earlier than now (at a meeting). Returns the changes.
    """
    changed = {name: value for name, value in levels.items() if value and getattr(child, name) != value}
    if not changed:
        return changed
    child = Child.objects.select_for_update().get(pk=child.pk)
    before = {name: getattr(child, name) for name in changed}  # for the OOC oversight prompt below
    for name, value in changed.items():
        setattr(child, name, value)
    child.full_clean()
    if agreed_at is not None:
        child._history_date = agreed_at
    child.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=child,
        child=child,
        description=f"Levels changed {reason}: "
        + ", ".join(f"{name} {value}" for name, value in changed.items()),
    )
    # 001 §6.3, 000 §3.6: RoSH, SaW or LoR rising to High (or Very High) on an OOC / My Future case
    # prompts the locality TM to decide with the AP who holds oversight (supervision listens).
    if any(
        changed.get(n) in HIGH_LEVELS and before.get(n) not in HIGH_LEVELS for n in ("rosh", "saw", "lor")
    ):
        child_significant_change.send(
            sender=Child, child=child, reason="risk levels rose to High", user=user, today=None
        )
    return changed


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
        description=f"Corrected event {current.pk} as {new.pk} (the reason is kept with the correction)",
    )
    child_obligations_refresh_on_commit(child=current.child)
    return new


def obligation_due(item: dict) -> tuple[datetime.date | None, datetime.datetime | None]:
    """An obligation's `due` from the rules module as (its London date, the datetime of an hour rule)."""
    due = item["due"]
    if due and "T" in due:
        due_at = datetime.datetime.fromisoformat(due)
        return timezone.localtime(due_at).date(), due_at
    return (datetime.date.fromisoformat(due) if due else None), None


def _obligation_rows(
    *, result: dict, as_of: datetime.date, facts: list[dict], child=None, worker=None
) -> list[Obligation]:
    """The rules module's output (computed with `explain`) as unsaved Obligation rows, in its order, each
    with the rules module's own words for why it is due then."""
    rows = []
    for position, item in enumerate(result["obligations"]):
        due, due_at = obligation_due(item)
        rows.append(
            Obligation(
                child=child,
                worker=worker,
                code=item["code"],
                title=item["title"],
                due=due,
                due_at=due_at,
                earliest=item["earliest"],
                status=item["status"],
                met_on=item["met_on"],
                basis=item["basis"],
                explanation=explain(item, facts)[:300],
                position=position,
                as_of=as_of,
            )
        )
    return rows


@transaction.atomic
def child_obligations_refresh(*, child_id: int, as_of: datetime.date | None = None) -> int:
    """Recompute and store a child's obligations from their facts; idempotent (replaces the set).

    Returns how many obligations the child now has. The rules module is the only place that
    computes a deadline (architecture.md); this only stores what it returns.
    """
    child = Child.objects.select_for_update().get(pk=child_id)
    as_of = as_of or timezone.localdate()
    facts = child_facts(child=child)
    result = compute(
        {"policy": settings.POLICY_PROFILE, "as_of": as_of.isoformat(), "facts": facts}, explain=True
    )
    rows = _obligation_rows(result=result, as_of=as_of, facts=facts, child=child)
    FactSnapshot.objects.update_or_create(child=child, defaults={"facts": facts})
    stored = Obligation.objects.filter(child=child)
    old = list(stored.values_list(*rollup.COUNTED))
    stored.delete()
    Obligation.objects.bulk_create(rows)
    rollup.months_stale(rollup.months_changed(old, rollup.counted(rows)))
    return len(rows)


@transaction.atomic
def worker_obligations_refresh(*, worker_id: int, as_of: datetime.date | None = None) -> int:
    """Recompute and store a worker's own obligations (003 §7.2 leave follow-ups); idempotent."""
    worker = User.objects.select_for_update().get(pk=worker_id)
    as_of = as_of or timezone.localdate()
    facts = worker_facts(worker=worker)
    result = compute(
        {"policy": settings.POLICY_PROFILE, "as_of": as_of.isoformat(), "facts": facts}, explain=True
    )
    rows = _obligation_rows(result=result, as_of=as_of, facts=facts, worker=worker)
    FactSnapshot.objects.update_or_create(worker=worker, defaults={"facts": facts})
    stored = Obligation.objects.filter(worker=worker, child__isnull=True)
    old = list(stored.values_list(*rollup.COUNTED))
    stored.delete()
    Obligation.objects.bulk_create(rows)
    rollup.months_stale(rollup.months_changed(old, rollup.counted(rows)))
    return len(rows)


def child_obligations_refresh_on_commit(*, child: Child) -> None:
    """Recompute the child's obligations as the writing transaction commits, in this process.

    No broker is involved, so What is due follows the records whether or not Redis is up, and the
    later on-commit work (PDFs, emails) is never dropped: the callback is `robust`, so a failure is
    logged by Django and a committed save is never answered with an error. The daily sweep and the weekly
    recomputation are the safety net for a refresh that failed (issue 16).
    """
    pk = child.pk
    transaction.on_commit(lambda: child_obligations_refresh(child_id=pk), robust=True)


def work_waiting_on_commit(*, child: Child | None = None) -> None:
    """Announce, once the writing transaction commits, that a step may now wait on someone (or no longer):
    core.registry waiting work. Robust: a failing receiver is logged, never an error for a saved change."""
    pk = child.pk if child is not None else None
    transaction.on_commit(lambda: work_waiting.send_robust(sender=Child, child_id=pk), robust=True)


def worker_obligations_refresh_on_commit(*, worker) -> None:
    """Recompute the worker's own obligations as the writing transaction commits, in this process."""
    pk = worker.pk
    transaction.on_commit(lambda: worker_obligations_refresh(worker_id=pk), robust=True)
