"""Writes for an internal transfer before the receiving team allocates: the proposal (003 §11.2-§11.3),
the manager's decision and an escalation (§11.4), the MAPPA meeting's endorsement (§11.5); and its
withdrawal."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Child, Team, User
from core.audit import audit_record
from core.models import AuditEntry
from core.services import locked

from ...models import InternalTransfer
from ...selectors import internal as selectors
from .common import Status, name_of, not_future, note, require, save, transfer_locked

CONSIDERATIONS = [
    # (field, heading on the file): 003 §11.2.
    ("time_left", "Time left on the order or intervention"),
    ("saw_effect", "Effect on the child's needs and safety and wellbeing"),
    ("rosh_effect", "Effect on the management of RoSH"),
    ("continuity", "Continuity and stability"),
    ("detriment", "Would a change of worker be detrimental to progress?"),
    ("child_views", "The child's thoughts and feelings about a change of worker"),
]


def _proposal_record(*, transfer: InternalTransfer, user: User) -> None:
    """The proposal in the audit log, and on the child's timeline with the §11.2 considerations given
    and any enforcement action pending (§11.7)."""
    details = [f"Is the move short or long term? {transfer.get_move_term_display()}"]
    details += [
        f"{heading}: {getattr(transfer, name)}" for name, heading in CONSIDERATIONS if getattr(transfer, name)
    ]
    if transfer.enforcement_pending:
        details.append(f"Enforcement action pending (003 §11.7): {transfer.enforcement_notes or 'yes'}")
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=transfer,
        child=transfer.child,
        description=f"Proposed an internal transfer to {transfer.to_team}",
    )
    note(
        transfer=transfer,
        user=user,
        day=transfer.proposed_on,
        step="proposed",
        summary=f"Internal transfer proposed to {transfer.to_team}",
        details="\n".join(details),
    )


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
    child = locked(child, "team", "case_manager")
    require(selectors.can_propose(user=user, child=child), "You cannot propose a transfer for this child")
    require(
        to_team.kind == Team.Kind.LOCALITY and to_team.pk != child.team_id,
        "Choose another locality team to transfer to",
    )
    require(
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
    require(not missing, "Record " + ", ".join(missing) + " (003 §11.2)")
    not_future(home_visit_on, "Date of the home visit")
    not_future(review_assessment_on, "Date of the review assessment")
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
    save(transfer)
    _proposal_record(transfer=transfer, user=user)
    return transfer


def _endorse(*, transfer: InternalTransfer, user: User, day: datetime.date) -> str:
    """Endorse (§11.4) once the home visit and review assessment are recorded (§11.3) and, for a child
    managed at MAPPA level 2 or 3, the MAPPA meeting has endorsed it (§11.5). Returns the summary."""
    require(
        transfer.home_visit_on is not None and transfer.review_assessment_on is not None,
        "Record the home visit confirming the new address and the review assessment before endorsing "
        "the transfer (003 §11.3)",
    )
    require(
        transfer.mappa_endorsed_on is not None or not selectors.mappa_needs_endorsement(child=transfer.child),
        "The child is managed under MAPPA at level 2 or 3: record the MAPPA meeting's endorsement before "
        "endorsing the transfer (003 §11.5)",
    )
    transfer.status = Status.ENDORSED
    transfer.endorsed_by = user
    transfer.endorsed_on = day
    return f"Internal transfer to {transfer.to_team} endorsed"


def _decline(*, transfer: InternalTransfer, notes: str) -> str:
    """Decline with the reasons, which are kept as why the transfer closed. Returns the summary."""
    require(bool((notes or "").strip()), "Enter the reasons for declining the transfer")
    transfer.status = Status.DECLINED
    transfer.closed_reason = notes
    return f"Internal transfer to {transfer.to_team} declined"


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
    transfer = transfer_locked(transfer)
    require(
        selectors.can_decide(user=user, transfer=transfer, child=transfer.child),
        "You cannot endorse or decline this transfer",
    )
    today = decided_on or timezone.localdate()
    not_future(home_visit_on, "Date of the home visit")
    not_future(review_assessment_on, "Date of the review assessment")
    if home_visit_on:
        transfer.home_visit_on = home_visit_on
    if review_assessment_on:
        transfer.review_assessment_on = review_assessment_on
    escalated = transfer.status == Status.ESCALATED
    if endorse:
        summary = _endorse(transfer=transfer, user=user, day=today)
    else:
        summary = _decline(transfer=transfer, notes=notes)
    if escalated:
        summary += " by the service manager"
    transfer.decision_notes = notes
    save(transfer)
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(
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
    transfer = transfer_locked(transfer)
    require(selectors.can_escalate(user=user, transfer=transfer), "You cannot escalate this transfer")
    require(bool((reason or "").strip()), "Enter why the locality managers cannot agree the transfer")
    today = escalated_on or timezone.localdate()
    transfer.status = Status.ESCALATED
    transfer.escalation_reason = reason
    transfer.escalated_on = today
    transfer.endorsed_by = None
    transfer.endorsed_on = None
    save(transfer)
    summary = f"Internal transfer to {transfer.to_team} escalated to the service manager"
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(transfer=transfer, user=user, day=today, step="escalated", summary=summary, details=reason)
    return transfer


@transaction.atomic
def internal_transfer_mappa_endorse(
    *, transfer: InternalTransfer, user: User, endorsed_on: datetime.date, notes: str = ""
) -> InternalTransfer:
    """Record that the MAPPA meeting considered and endorsed the transfer (003 §11.5)."""
    transfer = transfer_locked(transfer)
    require(
        selectors.can_record_mappa(user=user, transfer=transfer, child=transfer.child),
        "You cannot record the MAPPA meeting's endorsement for this transfer",
    )
    not_future(endorsed_on, "Date of the MAPPA meeting")
    require(
        endorsed_on >= transfer.proposed_on - datetime.timedelta(days=90),
        "The MAPPA meeting must have considered this transfer: enter a date near the proposal",
    )
    transfer.mappa_endorsed_on = endorsed_on
    save(transfer)
    summary = f"MAPPA meeting endorsed the internal transfer to {transfer.to_team}"
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(transfer=transfer, user=user, day=endorsed_on, step="mappa", summary=summary, details=notes)
    return transfer


def _clear_steps(transfer: InternalTransfer) -> str:
    """Forget the endorsement and allocation dates of a transfer that will not happen, so their facts stop
    asking for an allocation or a meeting; what they were is kept as text (and on the timeline)."""
    parts = []
    if transfer.endorsed_on:
        parts.append(f"Endorsed on {transfer.endorsed_on:%-d %B %Y} by {name_of(transfer.endorsed_by)}.")
    if transfer.allocated_on:
        parts.append(
            f"Allocated on {transfer.allocated_on:%-d %B %Y} to {name_of(transfer.to_case_manager)}."
        )
    transfer.endorsed_on = None
    transfer.allocated_on = None
    return " ".join(parts)


@transaction.atomic
def internal_transfer_withdraw(
    *, transfer: InternalTransfer, user: User, reason: str, withdrawn_on: datetime.date | None = None
) -> InternalTransfer:
    """Withdraw an active transfer with the reason; the original team stays responsible."""
    transfer = transfer_locked(transfer)
    require(selectors.can_withdraw(user=user, transfer=transfer), "You cannot withdraw this transfer")
    require(bool((reason or "").strip()), "Enter the reason for withdrawing the transfer")
    today = withdrawn_on or timezone.localdate()
    history = _clear_steps(transfer)
    transfer.status = Status.WITHDRAWN
    transfer.closed_reason = f"{reason}\n{history}".strip()
    save(transfer)
    summary = f"Internal transfer to {transfer.to_team} withdrawn"
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=transfer, child=transfer.child, description=summary
    )
    note(transfer=transfer, user=user, day=today, step="withdrawn", summary=summary, details=reason)
    return transfer
