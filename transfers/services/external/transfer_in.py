"""Writes for transfers into the service: the Transfer In Summary, the TM/AP's decision and the
supervision requirements (003 §12.4-§12.5, App. A)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child
from cases.services import child_obligations_refresh_on_commit
from cases.services.core import work_waiting_on_commit
from core.audit import audit_record
from core.models import AuditEntry
from core.services import future_error, locked

from ...models import TransferIn
from ...selectors import external as selectors
from ..common import child_record_close, transfer_event
from .transfer_in_checks import (
    DOCUMENT_LABELS,
    SUMMARY_FIELDS,
    clean_documents,
    documents_errors,
    levels_errors,
    mappa_errors,
)

YES, NO, NA = TransferIn.YesNoNa.YES, TransferIn.YesNoNa.NO, TransferIn.YesNoNa.NA

DECISIONS = {
    "accept": TransferIn.Status.ACCEPTED,
    "stay": TransferIn.Status.STAYED,
    "reject": TransferIn.Status.REJECTED,
}


def _case_number(transfer_in: TransferIn) -> str:
    """A unique case number for a child transferred in: "TI" and the summary's number."""
    base = f"TI{transfer_in.pk:06d}"
    number, n = base, 1
    while Child.objects.filter(case_number=number).exists():
        n += 1
        number = f"{base}-{n}"
    return number


def _not_before_receipt(day: datetime.date | None, noun: str, transfer_in: TransferIn) -> str | None:
    """A date after today, or before the documents were received, is refused (None: the date stands)."""
    if message := future_error(day, noun):
        return message
    if day and day < transfer_in.received_on:
        return f"{noun} must be on or after the documents were received, {transfer_in.received_on:%-d %B %Y}"
    return None


def _child_open(*, transfer_in: TransferIn) -> Child:
    """Open the child's record in the receiving team, from the summary, without a case manager."""
    child = Child(
        first_name=transfer_in.first_name,
        last_name=transfer_in.last_name,
        date_of_birth=transfer_in.date_of_birth,
        team=transfer_in.team,
        case_number=_case_number(transfer_in),
        looked_after=transfer_in.looked_after,
        # The home YJS's levels (asked for a high or very high risk of harm): the 003 §4.1 check at
        # allocation reads them, and the child's history states them as `risk_rated`.
        rosh=transfer_in.rosh,
        saw=transfer_in.saw,
        lor=transfer_in.lor,
        is_open=True,
    )
    child.full_clean()
    child.save()
    transfer_in.child = child
    transfer_in.save(update_fields=["child"])
    return child


@transaction.atomic
def transfer_in_create(
    *, user, team, received_on: datetime.date, documents: dict, missing_reasons: str = "", **summary
) -> TransferIn:
    """Record a Transfer In Summary (App. A) for the receiving team, and open the child's record there.

    The child is opened in the receiving team without a case manager (allocation follows acceptance,
    003 §12.5); the transfer_in.confirm obligation (App. A: 2 working days) runs from `received_on`.
    """
    unknown = set(summary) - set(SUMMARY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown Transfer In Summary fields: {sorted(unknown)}")
    if not selectors.receiving_teams_for(user=user).filter(pk=team.pk).exists():
        raise ValidationError("You cannot record a transfer in for this team")
    errors = {}
    if message := future_error(received_on, "Date all the documents were received"):
        errors["received_on"] = message
    doc_errors = documents_errors(documents, missing_reasons, looked_after=bool(summary.get("looked_after")))
    errors.update({f"doc_{code}": message for code, message in doc_errors.items()})
    errors.update(
        levels_errors(
            high_risk=summary.get("high_risk"),
            rosh=summary.get("rosh") or "",
            saw=summary.get("saw") or "",
            lor=summary.get("lor") or "",
        )
    )
    errors.update(
        mappa_errors(
            category=summary.get("mappa_category"),
            level=summary.get("mappa_level"),
            home_agreed=summary.get("home_mappa_agreed") or NA,
            alerted=summary.get("mappa_coordinator_alerted") or NA,
        )
    )
    if errors:
        raise ValidationError(errors)
    transfer_in = TransferIn(
        team=team,
        received_on=received_on,
        documents=clean_documents(documents),
        missing_reasons=(missing_reasons or "").strip(),
        recorded_by=user,
        **summary,
    )
    transfer_in.full_clean()
    transfer_in.save()
    child = _child_open(transfer_in=transfer_in)
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=transfer_in,
        child=child,
        description=f"Recorded the Transfer In Summary from {transfer_in.home_yjs} (received "
        f"{received_on:%d/%m/%Y}) and opened the child's record in {team}",
    )
    missing = [DOCUMENT_LABELS[c] for c, e in transfer_in.documents.items() if e["answer"] == NO]
    transfer_event(
        child=child,
        user=user,
        day=received_on,
        summary=f"Transfer in summary received from {transfer_in.home_yjs}",
        details=(
            f"Home YJS case ID {transfer_in.home_case_id}. Order: {transfer_in.order_type}."
            + (f"\nMissing documents: {', '.join(missing)}." if missing else "\nAll documents received.")
        ),
        source=f"transfer_in:{transfer_in.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    work_waiting_on_commit(child=child)  # the receiving team's review waits from now (003 §12.4)
    return transfer_in


def _decision_errors(
    *, transfer_in: TransferIn, decision: str, reasons: str, communicated_on: datetime.date | None
) -> dict[str, str]:
    """003 §12.4: a stay or rejection needs its reasons and the date they were communicated to the home
    YJS, so the requesting YJS can address them and re-request; that date is a real, past one."""
    errors = {}
    if decision != "accept":
        if not reasons:
            errors["reasons"] = (
                "Give the reasons for the stay or rejection, so the home YJS can address them (003 §12.4)"
            )
        if communicated_on is None:
            errors["communicated_on"] = "Enter the date the reasons were communicated to the home YJS"
    if message := _not_before_receipt(communicated_on, "The date the reasons were communicated", transfer_in):
        errors["communicated_on"] = message
    return errors


# What the child's timeline says of each decision.
DECISION_SUMMARIES = {
    TransferIn.Status.ACCEPTED: "Transfer in from {home_yjs} accepted on a caretaking basis",
    TransferIn.Status.STAYED: "Transfer in from {home_yjs} stayed",
    TransferIn.Status.REJECTED: "Transfer in from {home_yjs} rejected: record closed",
}


@transaction.atomic
def transfer_in_decide(
    *,
    transfer_in: TransferIn,
    user,
    decision: str,
    reasons: str = "",
    communicated_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> TransferIn:
    """The TM/AP's review (003 §12.4-§12.5): accept on a caretaking basis, stay, or reject.

    A stay or rejection needs its reasons and the date they were communicated to the home YJS, so the
    requesting YJS can address them and re-request. A rejection closes the child's record.
    """
    transfer_in = locked(transfer_in)
    if not selectors.can_decide_transfer_in(user=user, transfer_in=transfer_in):
        raise ValidationError("Only the receiving team's manager or advanced practitioner decides")
    if not transfer_in.awaits_decision:
        raise ValidationError(f"This transfer has already been decided: {transfer_in.get_status_display()}")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, stay or reject"})
    decided_on = decided_on or timezone.localdate()
    reasons = (reasons or "").strip()
    errors = _decision_errors(
        transfer_in=transfer_in, decision=decision, reasons=reasons, communicated_on=communicated_on
    )
    if errors:
        raise ValidationError(errors)
    transfer_in.status = DECISIONS[decision]
    transfer_in.decided_by = user
    transfer_in.decided_on = decided_on
    transfer_in.decision_reasons = reasons
    transfer_in.communicated_on = communicated_on
    transfer_in.full_clean()
    transfer_in.save(
        update_fields=["status", "decided_by", "decided_on", "decision_reasons", "communicated_on"]
    )
    child = transfer_in.child
    if child is None:
        return transfer_in
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=transfer_in,
        child=child,
        description=f"Transfer in from {transfer_in.home_yjs}: {transfer_in.get_status_display()}",
    )
    if transfer_in.status == TransferIn.Status.REJECTED:
        child_record_close(child=child, user=user, why="transfer in rejected")
    details = reasons
    if communicated_on:
        details = f"{reasons}\nCommunicated to the home YJS on {communicated_on:%-d %B %Y}.".strip()
    transfer_event(
        child=child,
        user=user,
        day=decided_on,
        summary=DECISION_SUMMARIES[transfer_in.status].format(home_yjs=transfer_in.home_yjs),
        details=details,
        source=f"transfer_in:{transfer_in.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return transfer_in


@transaction.atomic
def transfer_in_requirements_confirm(
    *, transfer_in: TransferIn, user, requirements: str, confirmed_on: datetime.date
) -> TransferIn:
    """App. A: the supervision requirements agreed with and communicated to the home YJS, and when
    (meets transfer_in.confirm, due 2 working days after the documents were received)."""
    transfer_in = locked(transfer_in, "child")
    if not selectors.can_confirm_requirements(user=user, transfer_in=transfer_in):
        raise ValidationError("You cannot confirm the supervision requirements for this transfer")
    requirements = (requirements or "").strip()
    errors = {}
    if not requirements:
        errors["requirements"] = "Enter the supervision requirements agreed with the home YJS"
    if message := _not_before_receipt(confirmed_on, "The date the requirements were confirmed", transfer_in):
        errors["confirmed_on"] = message
    if errors:
        raise ValidationError(errors)
    transfer_in.requirements = requirements
    # The first confirmation meets App. A's two working days; re-confirming does not move it.
    transfer_in.requirements_confirmed_on = transfer_in.requirements_confirmed_on or confirmed_on
    transfer_in.full_clean()
    transfer_in.save(update_fields=["requirements", "requirements_confirmed_on"])
    child = transfer_in.child
    if child is None:
        return transfer_in
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=transfer_in,
        child=child,
        description=f"Confirmed the supervision requirements to {transfer_in.home_yjs} on "
        f"{confirmed_on:%d/%m/%Y}",
    )
    transfer_event(
        child=child,
        user=user,
        day=confirmed_on,
        summary=f"Supervision requirements confirmed to {transfer_in.home_yjs}",
        details=requirements,
        source=f"transfer_in:{transfer_in.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return transfer_in
