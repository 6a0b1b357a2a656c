"""Writes for internal transfers between locality teams (003 §11).

A case manager (or a TM/AP of the child's team) proposes a transfer with the §11.2 considerations and the
§11.3 home visit and review assessment; the current case manager's manager endorses or declines, and a
disagreement between the locality managers escalates to the service manager (§11.4); a child managed at
MAPPA level 2 or 3 needs the MAPPA meeting's endorsement first (§11.5). The receiving TM/AP allocates
(`reallocated`, due 2 working days after `transfer_agreed`); the three-way meeting (due 5 working days
after) is the formal transfer date: only then do `Child.team` and `Child.case_manager` change (§11.7-§11.8).

Every write is audited against the child, writes a TRANSFER event (with a `source`, so the record's facts
count, transfers/facts.py) and queues the child's obligations to be recomputed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import allocation as allocation_policy
from cases.models import Child, Event, EventType, Team, User
from cases.selectors.allocation import allocation_checks_for
from cases.services.allocation import case_allocate
from cases.services.core import child_obligations_refresh_on_commit, event_create
from core.audit import audit_record
from core.models import AuditEntry

from ..models import InternalTransfer
from ..selectors import internal as selectors

Status = InternalTransfer.Status
CONSIDERATIONS = [
    # (field, heading on the file): 003 §11.2.
    ("time_left", "Time left on the order or intervention"),
    ("saw_effect", "Effect on the child's needs and safety and wellbeing"),
    ("rosh_effect", "Effect on the management of RoSH"),
    ("continuity", "Continuity and stability"),
    ("detriment", "Would a change of worker be detrimental to progress?"),
    ("child_views", "The child's thoughts and feelings about a change of worker"),
]


def _name(user: User | None) -> str:
    """A person's name for the file."""
    return (user.get_full_name() or user.username) if user is not None else "not allocated"


def _source(transfer: InternalTransfer, step: str) -> str:
    """The event source naming the record and the step (max 40 characters)."""
    return f"itransfer:{transfer.pk}:{step}"[:40]


def _note(
    *, transfer: InternalTransfer, user, day: datetime.date, step: str, summary: str, details=""
) -> None:
    """The TRANSFER event on the child's timeline for this step (its facts come from the record)."""
    event_create(
        child=transfer.child,
        author=user,
        event_type=EventType.TRANSFER,
        occurred_on=day,
        summary=summary,
        details=details,
        source=_source(transfer, step),
    )


def _audit(*, user, transfer: InternalTransfer, action, description: str) -> None:
    """Audit a change to the transfer against the child."""
    audit_record(user=user, action=action, obj=transfer, child=transfer.child, description=description)


def _save(transfer: InternalTransfer) -> None:
    """Validate and save, then queue the obligations refresh (the record states the facts)."""
    transfer.full_clean()
    transfer.save()
    child_obligations_refresh_on_commit(child=transfer.child)


def _locked(transfer: InternalTransfer) -> InternalTransfer:
    """The transfer re-read under a row lock, so two people cannot act on the same step at once."""
    fresh = (
        InternalTransfer.objects.select_for_update(of=("self",))
        .select_related("child", "child__case_manager", "from_team", "to_team", "to_case_manager")
        .get(pk=transfer.pk)
    )
    return fresh


def _refuse(message: str):
    """A policy refusal."""
    raise ValidationError(message)


def _require(condition: bool, message: str) -> None:
    """Refuse unless the condition holds."""
    if not condition:
        _refuse(message)


def _not_future(day: datetime.date | None, noun: str) -> None:
    """Records say what has happened."""
    if day and day > timezone.localdate():
        _refuse(f"{noun} must be today or in the past")


# ---------------------------------------------------------------------------------------------------
# Propose (003 §11.2-§11.3)


@transaction.atomic
def internal_transfer_propose(
    *,
    child: Child,
    user: User,
    to_team: Team,
    new_address: str,
    move_term: str,
    time_left: str = "",
    saw_effect: str,
    rosh_effect: str,
    continuity: str = "",
    detriment: str = "",
    child_views: str,
    home_visit_on: datetime.date | None = None,
    review_assessment_on: datetime.date | None = None,
    enforcement_pending: bool = False,
    enforcement_notes: str = "",
    proposed_on: datetime.date | None = None,
) -> InternalTransfer:
    """Propose moving the child's case to another locality team with the §11.2 considerations."""
    child = (
        Child.objects.select_for_update(of=("self",)).select_related("team", "case_manager").get(pk=child.pk)
    )
    _require(selectors.can_propose(user=user, child=child), "You cannot propose a transfer for this child")
    _require(
        to_team.kind == Team.Kind.LOCALITY and to_team.pk != child.team_id,
        "Choose another locality team to transfer to",
    )
    _require(
        not InternalTransfer.objects.filter(child=child, status__in=InternalTransfer.ACTIVE).exists(),
        "This child already has a transfer in progress: withdraw it or complete it first",
    )
    missing = [
        label
        for value, label in (
            (child_views, "the child's thoughts and feelings about a change of worker"),
            (saw_effect, "the effect on the child's needs and safety and wellbeing"),
            (rosh_effect, "the effect on the management of RoSH"),
            (new_address, "the new address"),
        )
        if not (value or "").strip()
    ]
    if missing:
        _refuse("Record " + ", ".join(missing) + " (003 §11.2)")
    _not_future(home_visit_on, "Date of the home visit")
    _not_future(review_assessment_on, "Date of the review assessment")
    today = proposed_on or timezone.localdate()
    transfer = InternalTransfer(
        child=child,
        from_team=child.team,
        to_team=to_team,
        from_case_manager=child.case_manager,
        proposed_by=user,
        proposed_on=today,
        new_address=new_address.strip(),
        move_term=move_term,
        time_left=time_left,
        saw_effect=saw_effect,
        rosh_effect=rosh_effect,
        continuity=continuity,
        detriment=detriment,
        child_views=child_views,
        home_visit_on=home_visit_on,
        review_assessment_on=review_assessment_on,
        enforcement_pending=enforcement_pending,
        enforcement_notes=enforcement_notes,
    )
    _save(transfer)
    details = [f"Is the move short or long term? {transfer.get_move_term_display()}"]
    details += [
        f"{heading}: {getattr(transfer, name)}" for name, heading in CONSIDERATIONS if getattr(transfer, name)
    ]
    if enforcement_pending:
        details.append(f"Enforcement action pending (003 §11.7): {enforcement_notes or 'yes'}")
    _audit(
        user=user,
        transfer=transfer,
        action=AuditEntry.Action.CREATE,
        description=f"Proposed an internal transfer to {to_team}",
    )
    _note(
        transfer=transfer,
        user=user,
        day=today,
        step="proposed",
        summary=f"Internal transfer proposed to {to_team}",
        details="\n".join(details),
    )
    return transfer


# ---------------------------------------------------------------------------------------------------
# Decide, escalate, MAPPA (003 §11.3-§11.5)


@transaction.atomic
def internal_transfer_decide(
    *,
    transfer: InternalTransfer,
    user: User,
    endorse: bool,
    notes: str = "",
    home_visit_on: datetime.date | None = None,
    review_assessment_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> InternalTransfer:
    """Endorse or decline the transfer: the manager (or, once escalated, the service manager, §11.4).

    Endorsing needs the home visit and the review assessment (§11.3) and, for a child managed at MAPPA
    level 2 or 3, the MAPPA meeting's endorsement (§11.5). Dates given here are recorded first."""
    transfer = _locked(transfer)
    child = transfer.child
    _require(
        selectors.can_decide(user=user, transfer=transfer, child=child),
        "You cannot endorse or decline this transfer",
    )
    today = decided_on or timezone.localdate()
    _not_future(home_visit_on, "Date of the home visit")
    _not_future(review_assessment_on, "Date of the review assessment")
    if home_visit_on:
        transfer.home_visit_on = home_visit_on
    if review_assessment_on:
        transfer.review_assessment_on = review_assessment_on
    escalated = transfer.status == Status.ESCALATED
    if endorse:
        _require(
            transfer.home_visit_on is not None and transfer.review_assessment_on is not None,
            "Record the home visit confirming the new address and the review assessment before endorsing "
            "the transfer (003 §11.3)",
        )
        _require(
            transfer.mappa_endorsed_on is not None or not selectors.mappa_needs_endorsement(child=child),
            "The child is managed under MAPPA at level 2 or 3: record the MAPPA meeting's endorsement before "
            "endorsing the transfer (003 §11.5)",
        )
        transfer.status = Status.ENDORSED
        transfer.endorsed_by = user
        transfer.endorsed_on = today
        summary = f"Internal transfer to {transfer.to_team} endorsed"
    else:
        _require(bool((notes or "").strip()), "Enter the reasons for declining the transfer")
        transfer.status = Status.DECLINED
        transfer.closed_reason = notes
        summary = f"Internal transfer to {transfer.to_team} declined"
    if escalated:
        summary += " by the service manager"
    transfer.decision_notes = notes
    _save(transfer)
    _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
    _note(
        transfer=transfer,
        user=user,
        day=today,
        step="endorsed" if endorse else "declined",
        summary=summary,
        details=notes,
    )
    return transfer


@transaction.atomic
def internal_transfer_escalate(
    *, transfer: InternalTransfer, user: User, reason: str, escalated_on: datetime.date | None = None
) -> InternalTransfer:
    """The locality managers disagree: escalate to the service manager (003 §11.4). An endorsement the
    receiving team disputes no longer stands until the service manager decides."""
    transfer = _locked(transfer)
    _require(selectors.can_escalate(user=user, transfer=transfer), "You cannot escalate this transfer")
    _require(bool((reason or "").strip()), "Enter why the locality managers cannot agree the transfer")
    today = escalated_on or timezone.localdate()
    transfer.status = Status.ESCALATED
    transfer.escalation_reason = reason
    transfer.escalated_on = today
    transfer.endorsed_by = None
    transfer.endorsed_on = None
    _save(transfer)
    summary = f"Internal transfer to {transfer.to_team} escalated to the service manager"
    _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
    _note(transfer=transfer, user=user, day=today, step="escalated", summary=summary, details=reason)
    return transfer


@transaction.atomic
def internal_transfer_mappa_endorse(
    *, transfer: InternalTransfer, user: User, endorsed_on: datetime.date, notes: str = ""
) -> InternalTransfer:
    """Record that the MAPPA meeting considered and endorsed the transfer (003 §11.5)."""
    transfer = _locked(transfer)
    _require(
        selectors.can_record_mappa(user=user, transfer=transfer, child=transfer.child),
        "You cannot record the MAPPA meeting's endorsement for this transfer",
    )
    _not_future(endorsed_on, "Date of the MAPPA meeting")
    _require(
        endorsed_on >= transfer.proposed_on - datetime.timedelta(days=90),
        "The MAPPA meeting must have considered this transfer: enter a date near the proposal",
    )
    transfer.mappa_endorsed_on = endorsed_on
    _save(transfer)
    summary = f"MAPPA meeting endorsed the internal transfer to {transfer.to_team}"
    _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
    _note(transfer=transfer, user=user, day=endorsed_on, step="mappa", summary=summary, details=notes)
    return transfer


# ---------------------------------------------------------------------------------------------------
# Allocate (003 §11.4)


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
    transfer = _locked(transfer)
    _require(selectors.can_allocate(user=user, transfer=transfer), "You cannot allocate this transfer")
    _require(
        selectors.receiving_candidates(transfer=transfer).filter(pk=worker.pk).exists(),
        f"Choose a case manager of {transfer.to_team}",
    )
    today = allocated_on or timezone.localdate()
    _not_future(today, "Date of allocation")
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
    _save(transfer)
    lines = [f"Reason: {reason}"] if reason else []
    for check in exceptions:
        lines.append(f"{check['title']} ({check['basis']}): {check['message']}")
    if exceptions:
        lines.append(f"Rationale: {rationale}")
    lines.append(
        f"{transfer.from_team} and {_name(transfer.child.case_manager)} remain responsible until the "
        "three-way meeting (003 §11.7)."
    )
    summary = f"Internal transfer allocated to {_name(worker)} in {transfer.to_team}"
    _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
    _note(
        transfer=transfer, user=user, day=today, step="allocated", summary=summary, details="\n".join(lines)
    )
    return transfer


def _allocation_rationale(transfer: InternalTransfer) -> str:
    """The rationale the receiving TM/AP gave at allocation, as written to the file (empty if none)."""
    details = (
        Event.objects.filter(child=transfer.child, source=_source(transfer, "allocated"), is_current=True)
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
    transfer = _locked(transfer)
    child = transfer.child
    _require(
        selectors.can_record_meeting(user=user, transfer=transfer, child=child),
        "You cannot record the three-way meeting for this transfer",
    )
    _not_future(held_on, "Date of the three-way meeting")
    _require(
        held_on >= transfer.allocated_on,
        f"Date of the three-way meeting must be on or after {transfer.allocated_on:%-d %B %Y}, when the case "
        "was allocated",
    )
    if not child_attended:
        entry = (
            f"{held_on:%-d %B %Y}: the child did not attend; the case has not transferred. {notes}".strip()
        )
        transfer.meeting_notes = f"{transfer.meeting_notes}\n{entry}".strip()
        _save(transfer)
        summary = (
            f"Three-way meeting not held with the child: the case has not transferred to {transfer.to_team}"
        )
        _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
        _note(
            transfer=transfer,
            user=user,
            day=held_on,
            step=f"absent:{held_on:%Y%m%d}",
            summary=summary,
            details=(
                f"{notes}\n{transfer.from_team} and {_name(child.case_manager)} remain responsible until a "
                "formal three-way meeting has taken place (003 §11.7)."
            ).strip(),
        )
        return transfer
    if transfer.enforcement_pending:
        _require(
            enforcement_confirmed and bool((enforcement_notes or "").strip()),
            "Enforcement action was pending: confirm it is completed, or record why the transfer goes ahead "
            "before it is (003 §11.7)",
        )
        transfer.enforcement_pending = False
        transfer.enforcement_notes = f"{transfer.enforcement_notes}\nAt transfer: {enforcement_notes}".strip()
    previous_team, previous_cm = child.team, child.case_manager
    worker = transfer.to_case_manager
    # The allocation service records the Allocation (ending the old one) with its checks; the receiving
    # TM/AP gave any rationale when they allocated (003 §11.4), so it is carried here.
    checks = allocation_checks(transfer=transfer, worker=worker)
    given = _allocation_rationale(transfer)
    who = _name(transfer.allocated_by)
    rationales = {
        c["code"]: (
            f"{given} (given by {who} when allocating the internal transfer on {transfer.allocated_on:%-d %B %Y})"
            if given
            else f"Allocated by {who} for the internal transfer on {transfer.allocated_on:%-d %B %Y} (003 §11.4)"
        )
        for c in checks
        if c["needs_rationale"]
    }
    try:
        case_allocate(
            child=child,
            worker=worker,
            role=allocation_policy.CASE_MANAGER,
            started_on=held_on,
            allocated_by=transfer.allocated_by or user,
            reason=f"Internal transfer from {previous_team} to {transfer.to_team} at the three-way meeting "
            "(003 §11.7)",
            rationales=rationales,
        )
    except ValidationError as exc:
        raise ValidationError(list(exc.messages)) from None
    child = Child.objects.select_for_update(of=("self",)).get(pk=child.pk)
    child.team = transfer.to_team
    child.full_clean()
    child.save(update_fields=["team"])
    transfer.child = child
    transfer.status = Status.COMPLETED
    transfer.meeting_on = held_on
    transfer.meeting_notes = f"{transfer.meeting_notes}\n{notes}".strip()
    _save(transfer)
    summary = f"Transferred to {transfer.to_team} at the three-way meeting"
    _audit(
        user=user,
        transfer=transfer,
        action=AuditEntry.Action.UPDATE,
        description=f"{summary}: responsibility moved from {previous_team} ({_name(previous_cm)}) to "
        f"{transfer.to_team} ({_name(worker)})",
    )
    _note(
        transfer=transfer,
        user=user,
        day=held_on,
        step="completed",
        summary=summary,
        details=(
            f"The three-way meeting between {_name(previous_cm)}, the child and {_name(worker)} is the formal "
            f"date of transfer (003 §11.7). {transfer.to_team} and {_name(worker)} are responsible from "
            f"{held_on:%-d %B %Y} (003 §11.8).\n{notes}"
        ).strip(),
    )
    return transfer


# ---------------------------------------------------------------------------------------------------
# Withdraw


def _clear_steps(transfer: InternalTransfer) -> str:
    """Forget the endorsement and allocation dates of a transfer that will not happen, so their facts stop
    asking for an allocation or a meeting; what they were is kept as text (and on the timeline)."""
    parts = []
    if transfer.endorsed_on:
        parts.append(f"Endorsed on {transfer.endorsed_on:%-d %B %Y} by {_name(transfer.endorsed_by)}.")
    if transfer.allocated_on:
        parts.append(f"Allocated on {transfer.allocated_on:%-d %B %Y} to {_name(transfer.to_case_manager)}.")
    transfer.endorsed_on = None
    transfer.allocated_on = None
    return " ".join(parts)


@transaction.atomic
def internal_transfer_withdraw(
    *, transfer: InternalTransfer, user: User, reason: str, withdrawn_on: datetime.date | None = None
) -> InternalTransfer:
    """Withdraw an active transfer with the reason; the original team stays responsible."""
    transfer = _locked(transfer)
    _require(selectors.can_withdraw(user=user, transfer=transfer), "You cannot withdraw this transfer")
    _require(bool((reason or "").strip()), "Enter the reason for withdrawing the transfer")
    today = withdrawn_on or timezone.localdate()
    history = _clear_steps(transfer)
    transfer.status = Status.WITHDRAWN
    transfer.closed_reason = f"{reason}\n{history}".strip()
    _save(transfer)
    summary = f"Internal transfer to {transfer.to_team} withdrawn"
    _audit(user=user, transfer=transfer, action=AuditEntry.Action.UPDATE, description=summary)
    _note(transfer=transfer, user=user, day=today, step="withdrawn", summary=summary, details=reason)
    return transfer
