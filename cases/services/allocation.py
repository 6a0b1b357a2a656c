"""Writes for allocation and co-allocation (003 §2-§6): checks recomputed and rationales enforced here."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from .. import allocation as policy
from ..models import Allocation, Child, EventType, Role
from ..selectors import allocation as allocation_selectors
from .core import event_create

# The checks and rationales about a student's primary worker (003 §6.1) carry this prefix.
PRIMARY_PREFIX = "primary_worker."


def _details(*, reason: str, checks: list[dict]) -> str:
    """The allocation event's text: the reason, then every exception or record with its rationale."""
    lines = []
    if reason:
        lines.append(f"Reason: {reason}")
    for check in checks:
        if check["ok"] and not check["rationale"]:
            continue
        label = "Exception" if not check["ok"] else "Recorded"
        lines.append(f"{label} – {check['title']} ({check['basis']}): {check['message']}")
        if check["rationale"]:
            lines.append(f"Rationale: {check['rationale']}")
    return "\n".join(lines)


def _create(*, child, worker, role, started_on, allocated_by, reason, checks) -> Allocation:
    """One Allocation row, validated."""
    allocation = Allocation(
        child=child,
        worker=worker,
        role=role,
        started_on=started_on,
        allocated_by=allocated_by,
        reason=reason,
        checks=checks,
    )
    allocation.full_clean()
    allocation.save()
    return allocation


def _end(allocation: Allocation, ended_on: datetime.date) -> None:
    """Close an open Allocation on a date (never before it started)."""
    allocation.ended_on = max(ended_on, allocation.started_on)
    allocation.full_clean()
    allocation.save(update_fields=["ended_on"])


def _refuse_impossible(
    *,
    child: Child,
    worker,
    role: str,
    started_on: datetime.date,
    primary_worker,
    co_worker_ids: set[int],
    current,
) -> None:
    """Refuse an allocation that cannot be: someone already on the case, a student or the case manager as
    primary worker, or a start before the current allocation's."""
    if role == policy.CASE_MANAGER and child.case_manager_id == worker.pk:
        raise ValidationError({"worker": f"{worker} is already the case manager"})
    if role == policy.CO_WORKER and (child.case_manager_id == worker.pk or worker.pk in co_worker_ids):
        raise ValidationError({"worker": f"{worker} already holds or co-works this case"})
    if primary_worker is not None and (
        primary_worker.pk == worker.pk or role != policy.CASE_MANAGER or primary_worker.role == Role.STUDENT
    ):
        raise ValidationError(
            {"primary_worker": "Choose a primary worker who is not a student or the case manager"}
        )
    if role == policy.CASE_MANAGER and current is not None and started_on < current.started_on:
        raise ValidationError(
            {
                "started_on": f"Start date must be on or after {current.started_on:%-d %B %Y}, when the current "
                "allocation started"
            }
        )


def _make_room(*, child: Child, worker, current, co_worker_ids: set[int], started_on: datetime.date) -> None:
    """A new case manager: the current one's allocation ends, and so does the new one's co-allocation."""
    if current is not None:
        _end(current, started_on)
    if worker.pk in co_worker_ids:
        # Becoming the case manager ends their co-allocation: one person, one role on a case.
        for co in child.allocations.filter(
            worker=worker, role=Allocation.Role.CO_WORKER, ended_on__isnull=True
        ):
            _end(co, started_on)
        child.co_workers.remove(worker)


def _record(
    *,
    child: Child,
    worker,
    role: str,
    started_on: datetime.date,
    allocated_by,
    reason: str,
    stored: list[dict],
) -> Allocation:
    """The Allocation row, the child's case manager or co-workers, the audit entry and the ALLOCATION event."""
    allocation = _create(
        child=child,
        worker=worker,
        role=role,
        started_on=started_on,
        allocated_by=allocated_by,
        reason=reason,
        checks=stored,
    )
    previous = child.case_manager
    if role == policy.CASE_MANAGER:
        child.case_manager = worker
        child.save(update_fields=["case_manager"])
        summary = f"Allocated to {worker} as case manager"
        if previous is not None:
            summary = f"Reallocated from {previous} to {worker} as case manager"
    else:
        child.co_workers.add(worker)
        summary = f"Co-allocated to {worker}"
    audit_record(
        user=allocated_by,
        action=AuditEntry.Action.CREATE,
        obj=allocation,
        child=child,
        description=f"{summary} from {started_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=allocated_by,
        event_type=EventType.ALLOCATION,
        occurred_on=started_on,
        summary=summary,
        details=_details(reason=reason, checks=stored),
        source=f"allocation:{allocation.pk}",
    )
    return allocation


def _co_allocate_primary(
    *,
    child: Child,
    primary_worker,
    started_on: datetime.date,
    allocated_by,
    reason: str,
    checks: list[dict],
    rationales: dict[str, str],
) -> None:
    """Co-allocate a student's primary worker (003 §6.1) with their own checks, audit entry and event."""
    primary_checks = [
        {
            **c,
            "code": c["code"].removeprefix(PRIMARY_PREFIX),
            "title": c["title"].removeprefix("Primary worker: "),
        }
        for c in checks
        if c["code"].startswith(PRIMARY_PREFIX)
    ]
    primary_rationales = {
        k.removeprefix(PRIMARY_PREFIX): v for k, v in rationales.items() if k.startswith(PRIMARY_PREFIX)
    }
    primary_stored = policy.checks_for_storage(primary_checks, primary_rationales)
    co = _create(
        child=child,
        worker=primary_worker,
        role=policy.CO_WORKER,
        started_on=started_on,
        allocated_by=allocated_by,
        reason=f"Primary worker for a case held by a student (003 §6.1). {reason}".strip(),
        checks=primary_stored,
    )
    child.co_workers.add(primary_worker)
    audit_record(
        user=allocated_by,
        action=AuditEntry.Action.CREATE,
        obj=co,
        child=child,
        description=f"Co-allocated to {primary_worker} as primary worker from {started_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=allocated_by,
        event_type=EventType.ALLOCATION,
        occurred_on=started_on,
        summary=f"Co-allocated to {primary_worker} as primary worker for the student",
        details=_details(reason=co.reason, checks=primary_stored),
        source=f"allocation:{co.pk}",
    )


@transaction.atomic
def case_allocate(
    *,
    child: Child,
    worker,
    role: str,
    started_on: datetime.date,
    allocated_by,
    reason: str = "",
    rationales: dict[str, str] | None = None,
    primary_worker=None,
) -> Allocation:
    """Allocate (or reallocate) a child's case manager, or add a co-allocated worker (003 §2-§6).

    The policy checks are recomputed here; a blocking check or a missing rationale raises
    ValidationError ({check code: message}) and nothing is saved. The previous case manager's
    allocation ends on the start date; the checks and rationales are stored on the Allocation and
    written, with the reason, to an ALLOCATION event. A student's primary worker (003 §6.1) given as
    `primary_worker` is co-allocated in the same transaction. The allocation returned carries the
    case manager it replaced (`replaced_worker`) and the allocation it ended (`replaced`), or None.
    """
    rationales = {k: (v or "").strip() for k, v in (rationales or {}).items()}
    # Issue 16: the child's row is locked before the current allocation is read, so two managers
    # allocating at once take turns: the second sees (and ends) the first's allocation, and its
    # timeline entry says "Reallocated from <first> to <second>". The partial unique constraint
    # (one open case manager allocation) backs this up in the database.
    # The lock first, then the case manager as it is now (core.services.locked).
    child = locked(child, "case_manager")
    if role not in (policy.CASE_MANAGER, policy.CO_WORKER):
        raise ValidationError({"role": "Choose case manager or co-allocated worker"})
    co_worker_ids = set(child.co_workers.values_list("pk", flat=True))
    current = allocation_selectors.current_case_manager_allocation(child=child)
    _refuse_impossible(
        child=child,
        worker=worker,
        role=role,
        started_on=started_on,
        primary_worker=primary_worker,
        co_worker_ids=co_worker_ids,
        current=current,
    )

    checks = allocation_selectors.allocation_checks_for(
        child=child, worker=worker, role=role, primary_worker=primary_worker
    )
    errors = {c["code"]: c["message"] for c in checks if c["blocking"]}
    errors.update(policy.missing_rationales(checks, rationales))
    if errors:
        raise ValidationError(errors)

    replaced_worker = child.case_manager if role == policy.CASE_MANAGER else None
    main_checks = [c for c in checks if not c["code"].startswith(PRIMARY_PREFIX)]
    stored = policy.checks_for_storage(main_checks, rationales)
    if role == policy.CASE_MANAGER:
        _make_room(
            child=child, worker=worker, current=current, co_worker_ids=co_worker_ids, started_on=started_on
        )
    allocation = _record(
        child=child,
        worker=worker,
        role=role,
        started_on=started_on,
        allocated_by=allocated_by,
        reason=reason,
        stored=stored,
    )
    allocation.replaced_worker = replaced_worker
    allocation.replaced = current if role == policy.CASE_MANAGER else None
    if primary_worker is not None and primary_worker.pk not in co_worker_ids:
        _co_allocate_primary(
            child=child,
            primary_worker=primary_worker,
            started_on=started_on,
            allocated_by=allocated_by,
            reason=reason,
            checks=checks,
            rationales=rationales,
        )
    # event_create has queued the obligations refresh for when this commits.
    return allocation


@transaction.atomic
def co_allocation_end(
    *, child: Child, worker, ended_on: datetime.date, ended_by, agreed_at: str, reason: str
) -> list[Allocation]:
    """End a worker's co-allocation, as agreed at a CMM or in supervision (003 §5.4); returns the rows ended.

    Removes them from the child's co-workers, closes their open co-worker Allocations and writes an
    ALLOCATION event with where it was agreed and why.
    """
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not child.co_workers.filter(pk=worker.pk).exists():
        raise ValidationError({"worker": f"{worker} is not co-allocated to this case"})
    ended = list(
        child.allocations.filter(worker=worker, role=Allocation.Role.CO_WORKER, ended_on__isnull=True)
    )
    for allocation in ended:
        if ended_on < allocation.started_on:
            raise ValidationError(
                {
                    "ended_on": f"Date must be on or after {allocation.started_on:%-d %B %Y}, when the co-allocation started"
                }
            )
        _end(allocation, ended_on)
    child.co_workers.remove(worker)
    summary = f"Co-allocation with {worker} ended"
    details = f"Agreed {agreed_at} (003 §5.4).\nReason: {reason}"
    audit_record(
        user=ended_by,
        action=AuditEntry.Action.UPDATE,
        obj=ended[0] if ended else child,
        child=child,
        description=f"{summary} on {ended_on:%d/%m/%Y}",
    )
    event_create(
        child=child,
        author=ended_by,
        event_type=EventType.ALLOCATION,
        occurred_on=ended_on,
        summary=summary,
        details=details,
        source=f"allocation:{ended[0].pk}" if ended else "allocation:end",
    )
    # event_create has queued the obligations refresh for when this commits.
    return ended
