"""Writes for moves out of the area: the request to the host area, its checklist, the host's answer
and the parenting order that moves with the child's (003 §12.6-§12.11)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Programme
from cases.services import child_obligations_refresh_on_commit
from cases.services.programmes import programme_close
from core.audit import audit_record
from core.models import AuditEntry
from core.services import future_error, locked, version_advance

from ...models import TransferOut
from ...selectors import external as selectors
from ..common import child_record_close, transfer_event

Status = TransferOut.Status
PARENTING_CODES = [c for c, _label in TransferOut.PARENTING_DOCUMENTS]

# The §12.6 checklist dates and the host's answer, as their refusals name them.
DATE_NOUNS = {
    "assetplus_updated_on": "The date AssetPlus was updated",
    "yot_request_on": "The date the 'YOT to YOT Transfer' request was completed",
    "requested_on": "The date the request was sent",
    "outcome_on": "The date of the host area's answer",
}

# What a move needs before it may take each status (003 §12.6-§12.11): the request sent to the host
# area, the host area's dated answer, the responsibilities agreed in writing (§12.7), and a parenting
# order moving with the child's order with its documents (§12.9-§12.11).
REQUEST, OUTCOME, RESPONSIBILITIES, PARENTING = "request", "outcome", "responsibilities", "parenting"
STATUS_NEEDS: dict[str, set[str]] = {
    Status.NEEDED: set(),
    Status.REQUESTED: {REQUEST},
    Status.CARETAKEN: {REQUEST, OUTCOME, RESPONSIBILITIES},
    Status.TRANSFERRED: {REQUEST, OUTCOME, PARENTING},
    Status.DECLINED: {REQUEST, OUTCOME},
    Status.WITHDRAWN: set(),
}
# An unknown status is refused; like every status but needed and withdrawn, it asks for the request too.
UNKNOWN_NEEDS = {REQUEST}

# What the child's timeline says when the move reaches an end or the host's answer.
OUTCOME_SUMMARIES: dict[str, str] = {
    Status.CARETAKEN: "{host_area} caretaking: we keep the case",
    Status.TRANSFERRED: "Transferred to {host_area}: record closed",
    Status.DECLINED: "{host_area} declined the request",
    Status.WITHDRAWN: "Move to {host_area} withdrawn",
}


def _check_out_dates(*, move_known_on: datetime.date | None, errors: dict, **dates) -> None:
    """Each checklist date (named as in DATE_NOUNS) is not in the future and not before the move was
    known."""
    for key, day in dates.items():
        noun = DATE_NOUNS[key]
        if message := future_error(day, noun):
            errors[key] = message
        elif day and move_known_on and day < move_known_on:
            errors[key] = f"{noun} must be on or after the move was known, {move_known_on:%-d %B %Y}"


def _parenting_errors(*, parenting_order: bool, simultaneous: bool, documents) -> dict:
    """003 §12.9-§12.11: before a transfer with a parenting order, the orders move together and every
    document of §12.11 has been provided."""
    if not parenting_order:
        return {}
    errors = {}
    if not simultaneous:
        errors["parenting_simultaneous"] = (
            "A parent is subject to a Parenting Order: confirm it transfers with the child's order (003 §12.9)"
        )
    missing = [label for code, label in TransferOut.PARENTING_DOCUMENTS if code not in documents]
    if missing:
        errors["parenting_documents"] = "Provide every parenting order document first (003 §12.11): " + (
            "; ".join(missing)
        )
    return errors


def _parenting(*, child, parenting_order: bool, parenting_simultaneous: bool, parenting_documents) -> dict:
    """The parenting order fields as stored: an open parenting order on the child's record marks it to
    move with the child's order (003 §12.9); without one, nothing of it is kept."""
    parenting_order = bool(parenting_order) or selectors.has_open_parenting_order(child=child)
    return {
        "parenting_order": parenting_order,
        "parenting_simultaneous": bool(parenting_simultaneous) and parenting_order,
        "parenting_documents": [c for c in PARENTING_CODES if c in parenting_documents]
        if parenting_order
        else [],
    }


def _request_event(*, transfer_out: TransferOut, user) -> None:
    """The request sent to the host area, on the child's timeline."""
    transfer_event(
        child=transfer_out.child,
        user=user,
        day=transfer_out.requested_on,
        summary=f"{transfer_out.get_kind_display()} requested from {transfer_out.host_area}",
        source=f"transfer_out:{transfer_out.pk}",
    )


def _move_record(*, transfer_out: TransferOut, user) -> None:
    """The new move in the audit log and on the child's timeline, with the request if it was sent."""
    kind = transfer_out.get_kind_display().lower()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=transfer_out,
        child=transfer_out.child,
        description=f"Move out of the area to {transfer_out.host_area} known on "
        f"{transfer_out.move_known_on:%d/%m/%Y} ({kind})",
    )
    transfer_event(
        child=transfer_out.child,
        user=user,
        day=transfer_out.move_known_on,
        summary=f"Moving to {transfer_out.host_area}: {kind} to be requested",
        details=transfer_out.new_address,
        source=f"transfer_out:{transfer_out.pk}",
    )
    if transfer_out.requested_on:
        _request_event(transfer_out=transfer_out, user=user)


@transaction.atomic
def transfer_out_create(
    *,
    child,
    user,
    kind: str,
    host_area: str,
    move_known_on: datetime.date,
    host_contact: str = "",
    new_address: str = "",
    assetplus_updated_on: datetime.date | None = None,
    yot_request_on: datetime.date | None = None,
    requested_on: datetime.date | None = None,
    parenting_order: bool = False,
    parenting_simultaneous: bool = False,
    parenting_documents=(),
) -> TransferOut:
    """Record a move out of the area (003 §12.6): the request for transfer or caretaking is due to the
    host area within one working day of the move being known (transfer_out.request). An open parenting
    order on the child's record marks the parenting order to move with it (003 §12.9)."""
    child = locked(child)
    if not selectors.can_manage_transfer_out(user=user, child=child):
        raise ValidationError("Only the case manager or the team's manager records a move out of the area")
    if not child.is_open:
        raise ValidationError("The child's record is closed")
    if TransferOut.objects.filter(child=child, status__in=TransferOut.ACTIVE).exists():
        raise ValidationError("This child already has a move out of the area in progress")
    errors = {}
    if message := future_error(move_known_on, "The date the move was known"):
        errors["move_known_on"] = message
    _check_out_dates(
        move_known_on=move_known_on,
        errors=errors,
        assetplus_updated_on=assetplus_updated_on,
        yot_request_on=yot_request_on,
        requested_on=requested_on,
    )
    if any(c not in PARENTING_CODES for c in parenting_documents):
        errors["parenting_documents"] = "Choose documents from the list"
    if errors:
        raise ValidationError(errors)
    transfer_out = TransferOut(
        child=child,
        status=Status.REQUESTED if requested_on else Status.NEEDED,
        kind=kind,
        host_area=host_area.strip(),
        host_contact=(host_contact or "").strip(),
        move_known_on=move_known_on,
        new_address=(new_address or "").strip(),
        assetplus_updated_on=assetplus_updated_on,
        yot_request_on=yot_request_on,
        requested_on=requested_on,
        requested_by=user,
        **_parenting(
            child=child,
            parenting_order=parenting_order,
            parenting_simultaneous=parenting_simultaneous,
            parenting_documents=parenting_documents,
        ),
    )
    transfer_out.full_clean()
    transfer_out.save()
    _move_record(transfer_out=transfer_out, user=user)
    child_obligations_refresh_on_commit(child=child)
    return transfer_out


# ---------------------------------------------------------------------------------------------------
# Progress on a move out: the checks, the update, and what it sets off


def _status_error(transfer_out: TransferOut, status: str) -> str | None:
    """The refusal of a status this move may not take from its own (TransferOut.TRANSITIONS)."""
    if transfer_out.can_move_to(status):
        return None
    wanted = Status(status).label if status in Status.values else status
    return f"A move that is “{transfer_out.get_status_display()}” cannot become “{wanted}”"


def _needs_errors(
    *,
    status: str,
    requested_on: datetime.date | None,
    outcome_on: datetime.date | None,
    responsibilities: str,
    parenting_documents,
    parenting: dict,
    errors: dict,
) -> None:
    """What the status asks for (STATUS_NEEDS), each refusal added unless a date's own refusal stands;
    and parenting documents from the list (a wrong choice is refused before what is missing)."""
    needs = STATUS_NEEDS.get(status, UNKNOWN_NEEDS)
    if REQUEST in needs and not requested_on:
        errors.setdefault("requested_on", "Enter the date the request was sent to the host area (003 §12.6)")
    if OUTCOME in needs:
        if not outcome_on:
            errors.setdefault("outcome_on", "Enter the date of the host area's answer")
        elif requested_on and outcome_on < requested_on:
            errors.setdefault(
                "outcome_on", "The date of the host area's answer must be on or after the request"
            )
    if RESPONSIBILITIES in needs and not responsibilities:
        errors["responsibilities"] = (
            "Record which area does what, agreed in writing with the host area (003 §12.7)"
        )
    if any(c not in PARENTING_CODES for c in parenting_documents):
        errors["parenting_documents"] = "Choose documents from the list"
    if PARENTING in needs and "parenting_documents" not in errors:
        errors.update(
            _parenting_errors(
                parenting_order=parenting["parenting_order"],
                simultaneous=parenting["parenting_simultaneous"],
                documents=parenting["parenting_documents"],
            )
        )


def _close_on_transfer(*, child, user, day: datetime.date) -> list[str]:
    """The child's open programmes close as TRANSFERRED (through programme_close) and the record
    closes. Returns the programmes closed."""
    closed = []
    for programme in Programme.objects.filter(child=child, end_date__isnull=True).order_by(
        "start_date", "pk"
    ):
        try:
            programme_close(
                programme=programme,
                user=user,
                end_date=max(day, programme.start_date),
                closure_reason=Programme.ClosureReason.TRANSFERRED,
                closure_notes="Transferred out of the area (003 §12.6)",
            )
        except ValueError as exc:  # ValidationError from the closure gate is also a ValueError
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ValidationError(
                [f"{programme.get_kind_display()} cannot be closed: {m}" for m in messages]
            ) from None
        closed.append(programme.get_kind_display())
    child_record_close(child=child, user=user, why="transferred out of the area")
    return closed


def _outcome_record(*, transfer_out: TransferOut, user) -> None:
    """The host's answer or the withdrawal on the child's timeline; a transfer first closes the child's
    programmes and record (003 §12.6), a caretaking answer carries the agreed responsibilities (§12.7)."""
    child, status = transfer_out.child, transfer_out.status
    day = transfer_out.outcome_on or timezone.localdate()
    details = transfer_out.outcome_notes
    if status == Status.TRANSFERRED:
        closed = _close_on_transfer(child=child, user=user, day=day)
        details = (details + "\n" if details else "") + (
            f"Programmes closed as transferred: {', '.join(closed)}." if closed else "No open programmes."
        )
    if status == Status.CARETAKEN and transfer_out.responsibilities:
        details = f"{details}\nResponsibilities: {transfer_out.responsibilities}".strip()
    transfer_event(
        child=child,
        user=user,
        day=day,
        summary=OUTCOME_SUMMARIES[status].format(host_area=transfer_out.host_area),
        details=details,
        source=f"transfer_out:{transfer_out.pk}",
    )


def _progress_record(*, transfer_out: TransferOut, user, before: str, had_request) -> None:
    """The update in the audit log; on the child's timeline, a request newly sent, and the host's answer
    or the withdrawal when the status has just reached it."""
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=transfer_out,
        child=transfer_out.child,
        description=f"Updated the move to {transfer_out.host_area}: {transfer_out.get_status_display()}",
    )
    if transfer_out.requested_on and not had_request:
        _request_event(transfer_out=transfer_out, user=user)
    if transfer_out.status != before and transfer_out.status in OUTCOME_SUMMARIES:
        _outcome_record(transfer_out=transfer_out, user=user)


@transaction.atomic
def transfer_out_update(
    *,
    transfer_out: TransferOut,
    user,
    status: str,
    assetplus_updated_on: datetime.date | None = None,
    yot_request_on: datetime.date | None = None,
    requested_on: datetime.date | None = None,
    host_contact: str = "",
    responsibilities: str = "",
    outcome_on: datetime.date | None = None,
    outcome_notes: str = "",
    parenting_order: bool = False,
    parenting_simultaneous: bool = False,
    parenting_documents=(),
    version: int | None = None,
) -> TransferOut:
    """Record progress on a move out: the checklist (003 §12.6), the host's outcome (caretaken,
    transferred, declined), the responsibilities agreed in writing (§12.7), and the parenting order's
    transfer (§12.9-§12.11). TRANSFERRED closes the child's open programmes and record.

    The case manager and the team's managers may all update it: a change from a form loaded at another
    `version` is refused (StaleVersion, ADR 0009)."""
    transfer_out = locked(transfer_out, "child")
    child = transfer_out.child
    if not selectors.can_manage_transfer_out(user=user, child=child):
        raise ValidationError("Only the case manager or the team's manager updates a move out of the area")
    if not transfer_out.is_active:
        raise ValidationError(f"This move out is finished: {transfer_out.get_status_display()}")
    version_advance(transfer_out, version)
    responsibilities = (responsibilities or "").strip()
    # A parenting order once recorded on the move stays with it (003 §12.9).
    parenting = _parenting(
        child=child,
        parenting_order=parenting_order or transfer_out.parenting_order,
        parenting_simultaneous=parenting_simultaneous,
        parenting_documents=parenting_documents,
    )
    errors = {}
    if message := _status_error(transfer_out, status):
        errors["status"] = message
    _check_out_dates(
        move_known_on=transfer_out.move_known_on,
        errors=errors,
        assetplus_updated_on=assetplus_updated_on,
        yot_request_on=yot_request_on,
        requested_on=requested_on,
        outcome_on=outcome_on,
    )
    _needs_errors(
        status=status,
        requested_on=requested_on,
        outcome_on=outcome_on,
        responsibilities=responsibilities,
        parenting_documents=parenting_documents,
        parenting=parenting,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    before, had_request = transfer_out.status, transfer_out.requested_on
    # Sending the request moves a needed move on, whichever status was chosen.
    transfer_out.status = Status.REQUESTED if (status == Status.NEEDED and requested_on) else status
    transfer_out.assetplus_updated_on = assetplus_updated_on
    transfer_out.yot_request_on = yot_request_on
    transfer_out.requested_on = requested_on
    transfer_out.host_contact = (host_contact or "").strip()
    transfer_out.responsibilities = responsibilities
    transfer_out.outcome_on = outcome_on
    transfer_out.outcome_notes = (outcome_notes or "").strip()
    for field, value in parenting.items():
        setattr(transfer_out, field, value)
    transfer_out.full_clean()
    transfer_out.save()
    _progress_record(transfer_out=transfer_out, user=user, before=before, had_request=had_request)
    child_obligations_refresh_on_commit(child=child)
    return transfer_out
