"""Writes for leave and cover (003 §7): planned leave with named cover, unplanned leave and its follow-ups."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry

from ..models import Child, EventType, Leave, LeaveCover, User
from ..selectors import allocation as allocation_selectors
from .core import event_create, worker_obligations_refresh_on_commit


def _no_overlap(*, worker, start: datetime.date, end: datetime.date | None) -> None:
    """Refuse leave that overlaps leave already recorded for the worker."""
    existing = allocation_selectors.overlapping_leave(worker=worker, start=start, end=end)
    if existing is not None:
        until = f" to {existing.end_date:%-d %B %Y}" if existing.end_date else " with no return recorded"
        raise ValidationError(
            {"start_date": f"{worker} already has leave recorded from {existing.start_date:%-d %B %Y}{until}"}
        )


@transaction.atomic
def planned_leave_record(
    *,
    worker: User,
    start_date: datetime.date,
    end_date: datetime.date,
    recorded_by: User,
    covers: list[tuple[Child, User, str]],
    notes: str = "",
) -> Leave:
    """Record planned leave with a named cover worker and the arrangements for each case (003 §7.1).

    `covers` is (child, cover worker, arrangements) for each case the worker holds. Each case gets a
    LEAVE_COVER event (source "leave:<pk>") naming who leads on it and what is expected meanwhile.
    """
    if end_date < start_date:
        raise ValidationError({"end_date": "The last day of leave must be on or after the first day"})
    _no_overlap(worker=worker, start=start_date, end=end_date)
    leave = Leave(
        worker=worker,
        kind=Leave.Kind.PLANNED,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        recorded_by=recorded_by,
    )
    leave.full_clean()
    leave.save()
    audit_record(
        user=recorded_by,
        action=AuditEntry.Action.CREATE,
        obj=leave,
        description=f"Recorded planned leave for {worker} from {start_date:%d/%m/%Y} to {end_date:%d/%m/%Y}",
    )
    for child, cover_worker, arrangements in covers:
        if cover_worker.pk == worker.pk:
            raise ValidationError({"cover_worker": "Choose someone other than the worker on leave to cover"})
        cover = LeaveCover(leave=leave, child=child, cover_worker=cover_worker, arrangements=arrangements)
        cover.full_clean()
        cover.save()
        audit_record(
            user=recorded_by,
            action=AuditEntry.Action.CREATE,
            obj=cover,
            child=child,
            description=f"{cover_worker} to cover during {worker}'s leave",
        )
        event_create(
            child=child,
            author=recorded_by,
            event_type=EventType.LEAVE_COVER,
            occurred_on=timezone.localdate(),
            summary=f"{cover_worker} leads on this case while {worker} is on leave "
            f"({start_date:%-d %b %Y} to {end_date:%-d %b %Y})",
            details=f"Cover worker: {cover_worker}\nAnticipated interventions and arrangements: {arrangements}",
            source=f"leave:{leave.pk}",
        )
    return leave


@transaction.atomic
def unplanned_leave_record(
    *, worker: User, start_date: datetime.date, recorded_by: User, notes: str = ""
) -> Leave:
    """Record unplanned leave (e.g. sickness): the worker is marked absent and the manager's two
    follow-ups become the worker's obligations (003 §7.2)."""
    _no_overlap(worker=worker, start=start_date, end=None)
    leave = Leave(
        worker=worker, kind=Leave.Kind.UNPLANNED, start_date=start_date, notes=notes, recorded_by=recorded_by
    )
    leave.full_clean()
    leave.save()
    worker.is_absent = True
    worker.save(update_fields=["is_absent"])
    audit_record(
        user=recorded_by,
        action=AuditEntry.Action.CREATE,
        obj=leave,
        description=f"Recorded unplanned leave for {worker} from {start_date:%d/%m/%Y}",
    )
    worker_obligations_refresh_on_commit(worker=worker)
    return leave


def _on_or_after_start(leave: Leave, value: datetime.date, field: str, what: str) -> None:
    """A follow-up date cannot be before the leave started."""
    if value < leave.start_date:
        raise ValidationError(
            {field: f"{what} must be on or after {leave.start_date:%-d %B %Y}, when the leave started"}
        )


@transaction.atomic
def leave_cases_reviewed(*, leave: Leave, reviewed_on: datetime.date, user: User) -> Leave:
    """The manager reviewed the absent worker's cases and planned contacts (003 §7.2, first week)."""
    _on_or_after_start(leave, reviewed_on, "reviewed_on", "The date of the review")
    leave.cases_reviewed_on = reviewed_on
    leave.full_clean()
    leave.save(update_fields=["cases_reviewed_on"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=leave,
        description=f"Cases of {leave.worker} reviewed on {reviewed_on:%d/%m/%Y}",
    )
    worker_obligations_refresh_on_commit(worker=leave.worker)
    return leave


@transaction.atomic
def leave_reallocation_considered(
    *, leave: Leave, considered_on: datetime.date, decision: str, user: User
) -> Leave:
    """The manager considered reallocating the caseload after two weeks (003 §7.2)."""
    _on_or_after_start(leave, considered_on, "considered_on", "The date reallocation was considered")
    leave.reallocation_considered_on = considered_on
    leave.reallocation_decision = decision
    leave.full_clean()
    leave.save(update_fields=["reallocation_considered_on", "reallocation_decision"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=leave,
        description=f"Reallocation of {leave.worker}'s cases considered on {considered_on:%d/%m/%Y}",
    )
    worker_obligations_refresh_on_commit(worker=leave.worker)
    return leave


@transaction.atomic
def leave_return_record(*, leave: Leave, returned_on: datetime.date, user: User) -> Leave:
    """The worker is back: the leave ends the day before they returned and they are no longer absent."""
    _on_or_after_start(leave, returned_on, "returned_on", "The date of return")
    leave.end_date = max(leave.start_date, returned_on - datetime.timedelta(days=1))
    leave.full_clean()
    leave.save(update_fields=["end_date"])
    worker = leave.worker
    still_away = Leave.objects.filter(worker=worker, end_date__isnull=True).exclude(pk=leave.pk).exists()
    if not still_away:
        worker.is_absent = False
        worker.save(update_fields=["is_absent"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=leave,
        description=f"{worker} returned on {returned_on:%d/%m/%Y}",
    )
    worker_obligations_refresh_on_commit(worker=worker)
    return leave
