"""Writes for the handover of an internal transfer: the receiving team's allocation (003 §11.4) and the
three-way meeting, the formal transfer date, when the child's team and case manager change (§11.7-§11.8).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import allocation as allocation_policy
from cases.models import Child, Event, User
from cases.selectors.allocation import allocation_checks_for
from cases.services.allocation import case_allocate
from cases.services.rollup import child_months_stale
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from ...models import InternalTransfer
from ...selectors import internal as selectors
from .common import Status, name_of, not_future, note, require, save, step_source, transfer_locked


def allocation_checks(*, transfer: InternalTransfer, worker: User) -> list[dict]:
    """The 003 §2-§6 allocation checks for the receiving team's choice of case manager."""
    return allocation_checks_for(child=transfer.child, worker=worker, role=allocation_policy.CASE_MANAGER)


@transaction.atomic
def internal_transfer_allocate(
    *,
    transfer: InternalTransfer,
    user: User,
    worker: User,
    reason: str = "",
    rationale: str = "",
    allocated_on: datetime.date | None = None,
) -> InternalTransfer:
    """The receiving team allocates a case manager (003 §11.4). Responsibility does not move yet: the
    child's team and case manager change at the three-way meeting (§11.7-§11.8).

    The 003 §2-§6 checks run now, at the decision: a blocking one refuses, and any exception needs a
    rationale, written to the file and carried to the Allocation made at the meeting."""
    transfer = transfer_locked(transfer)
    require(selectors.can_allocate(user=user, transfer=transfer), "You cannot allocate this transfer")
    require(
        selectors.receiving_candidates(transfer=transfer).filter(pk=worker.pk).exists(),
        f"Choose a case manager of {transfer.to_team}",
    )
    today = allocated_on or timezone.localdate()
    not_future(today, "Date of allocation")
    checks = allocation_checks(transfer=transfer, worker=worker)
    blocking = [c["message"] for c in checks if c["blocking"]]
    if blocking:
        raise ValidationError(blocking)
    exceptions = [c for c in checks if c["needs_rationale"]]
    if exceptions and not (rationale or "").strip():
        raise ValidationError(
            [
                "Enter the rationale for allocating to this worker: "
                + " ".join(c["message"] for c in exceptions)
            ]
        )
    transfer.to_case_manager = worker
    transfer.allocated_by = user
    transfer.allocated_on = today
    transfer.status = Status.ALLOCATED
    save(transfer)
    lines = [f"Reason: {reason}"] if reason else []
    for check in exceptions:
        lines.append(f"{check['title']} ({check['basis']}): {check['message']}")
    if exceptions:
        lines.append(f"Rationale: {rationale}")
    lines.append(
        f"{transfer.from_team} and {name_of(transfer.child.case_manager)} remain responsible until the "
        "three-way meeting (003 §11.7)."
    )
    summary = f"Internal transfer allocated to {name_of(worker)} in {transfer.to_team}"
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(transfer=transfer, user=user, day=today, step="allocated", summary=summary, details="\n".join(lines))
    return transfer


def _allocation_rationale(transfer: InternalTransfer) -> str:
    """The rationale the receiving TM/AP gave at allocation, as written to the file (empty if none)."""
    details = (
        Event.objects.filter(child=transfer.child, source=step_source(transfer, "allocated"), is_current=True)
        .values_list("details", flat=True)
        .first()
        or ""
    )
    for line in details.splitlines():
        if line.startswith("Rationale: "):
            return line.removeprefix("Rationale: ")
    return ""


# ---------------------------------------------------------------------------------------------------
# The three-way meeting (003 §11.7-§11.8)


def _meeting_without_child(
    *, transfer: InternalTransfer, user: User, held_on: datetime.date, notes: str
) -> None:
    """Without the child the case has not transferred: the original team stays responsible (§11.7)."""
    entry = f"{held_on:%-d %B %Y}: the child did not attend; the case has not transferred. {notes}".strip()
    transfer.meeting_notes = f"{transfer.meeting_notes}\n{entry}".strip()
    save(transfer)
    summary = f"Three-way meeting not held with the child: the case has not transferred to {transfer.to_team}"
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(
        transfer=transfer,
        user=user,
        day=held_on,
        step=f"absent:{held_on:%Y%m%d}",
        summary=summary,
        details=(
            f"{notes}\n{transfer.from_team} and {name_of(transfer.child.case_manager)} remain responsible "
            "until a formal three-way meeting has taken place (003 §11.7)."
        ).strip(),
    )


def _enforcement_settle(*, transfer: InternalTransfer, confirmed: bool, notes: str) -> None:
    """Enforcement action pending should be completed before transfer (§11.7): confirmed, with what was
    done or why the transfer goes ahead first."""
    if not transfer.enforcement_pending:
        return
    require(
        confirmed and bool((notes or "").strip()),
        "Enforcement action was pending: confirm it is completed, or record why the transfer goes ahead "
        "before it is (003 §11.7)",
    )
    transfer.enforcement_pending = False
    transfer.enforcement_notes = f"{transfer.enforcement_notes}\nAt transfer: {notes}".strip()


def _allocation(transfer: InternalTransfer) -> tuple[User, datetime.date]:
    """The case manager and date the receiving team allocated: an allocated transfer has both, as
    `internal_transfer_allocate` sets them with the status (refused, not a crash, if a row lacks them)."""
    if transfer.to_case_manager is None or transfer.allocated_on is None:
        raise ValidationError("This transfer has not been allocated to a case manager")
    return transfer.to_case_manager, transfer.allocated_on


def _responsibility_move(
    *, transfer: InternalTransfer, user: User, worker: User, held_on: datetime.date
) -> Child:
    """The new case manager (`worker`) through the allocation service (an Allocation row, the old one
    ended, with its checks), then the child's team; returns the child as saved."""
    child = transfer.child
    # The receiving TM/AP gave any rationale when they allocated (003 §11.4), so it is carried here.
    given = _allocation_rationale(transfer)
    who = name_of(transfer.allocated_by)
    on = f"{transfer.allocated_on:%-d %B %Y}"
    rationales = {
        c["code"]: (
            f"{given} (given by {who} when allocating the internal transfer on {on})"
            if given
            else f"Allocated by {who} for the internal transfer on {on} (003 §11.4)"
        )
        for c in allocation_checks(transfer=transfer, worker=worker)
        if c["needs_rationale"]
    }
    try:
        case_allocate(
            child=child,
            worker=worker,
            role=allocation_policy.CASE_MANAGER,
            started_on=held_on,
            allocated_by=transfer.allocated_by or user,
            reason=f"Internal transfer from {child.team} to {transfer.to_team} at the three-way meeting "
            "(003 §11.7)",
            rationales=rationales,
        )
    except ValidationError as exc:
        raise ValidationError(list(exc.messages)) from None
    child = locked(child)
    child.team = transfer.to_team
    child.full_clean()
    child.save(update_fields=["team"])
    # The child's obligations now count to the new team: their months are recounted (ADR 0020).
    child_months_stale(child_id=child.pk)
    return child


@transaction.atomic
def internal_transfer_meeting(
    *,
    transfer: InternalTransfer,
    user: User,
    held_on: datetime.date,
    child_attended: bool,
    notes: str = "",
    enforcement_confirmed: bool = False,
    enforcement_notes: str = "",
) -> InternalTransfer:
    """Record the three-way meeting. With the child there it is the formal transfer date: the child's team
    and case manager change now, through the allocation service (an Allocation row, the old one ended).
    Without the child the case has not transferred and the original team stays responsible (§11.7)."""
    transfer = transfer_locked(transfer)
    child = transfer.child
    require(
        selectors.can_record_meeting(user=user, transfer=transfer, child=child),
        "You cannot record the three-way meeting for this transfer",
    )
    not_future(held_on, "Date of the three-way meeting")
    worker, allocated_on = _allocation(transfer)
    require(
        held_on >= allocated_on,
        f"Date of the three-way meeting must be on or after {allocated_on:%-d %B %Y}, when the case "
        "was allocated",
    )
    if not child_attended:
        _meeting_without_child(transfer=transfer, user=user, held_on=held_on, notes=notes)
        return transfer
    _enforcement_settle(transfer=transfer, confirmed=enforcement_confirmed, notes=enforcement_notes)
    previous_team, previous_cm = child.team, child.case_manager
    transfer.child = _responsibility_move(transfer=transfer, user=user, worker=worker, held_on=held_on)
    transfer.status = Status.COMPLETED
    transfer.meeting_on = held_on
    transfer.meeting_notes = f"{transfer.meeting_notes}\n{notes}".strip()
    save(transfer)
    summary = f"Transferred to {transfer.to_team} at the three-way meeting"
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=transfer,
        child=transfer.child,
        description=f"{summary}: responsibility moved from {previous_team} ({name_of(previous_cm)}) to "
        f"{transfer.to_team} ({name_of(worker)})",
    )
    note(
        transfer=transfer,
        user=user,
        day=held_on,
        step="completed",
        summary=summary,
        details=(
            f"The three-way meeting between {name_of(previous_cm)}, the child and {name_of(worker)} is the "
            f"formal date of transfer (003 §11.7). {transfer.to_team} and {name_of(worker)} are responsible "
            f"from {held_on:%-d %B %Y} (003 §11.8).\n{notes}"
        ).strip(),
    )
    return transfer
