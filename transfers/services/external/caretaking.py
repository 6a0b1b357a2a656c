"""Writes for caretaking agreements: the agreement, its reviews and its end (003 §12.1-§12.2, §12.5,
§12.7, App. B)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.allocation import CASE_MANAGER
from cases.policy import timescale_words
from cases.services import child_obligations_refresh_on_commit
from cases.services.allocation import case_allocate
from core.audit import audit_record
from core.models import AuditEntry
from core.services import future_error, locked

from ...models import CaretakingAgreement, TransferIn
from ...selectors import external as selectors
from ..common import child_record_close, transfer_event

# How caretaking ended (003 §12.1) and the status it gives.
END_OUTCOMES = {
    "full_transfer": CaretakingAgreement.Status.FULL_TRANSFER,
    "returned": CaretakingAgreement.Status.RETURNED,
    "ended": CaretakingAgreement.Status.ENDED,
}


def review_errors(*, starts_on: datetime.date, review_on: datetime.date | None, noun: str) -> str | None:
    """App. B / 003 §12.1: a review after the start and no later than three calendar months on."""
    if review_on is None:
        return None
    latest = selectors.review_latest(starts_on)
    if review_on <= starts_on:
        return f"{noun} must be after {starts_on:%-d %B %Y}"
    if review_on > latest:
        months = timescale_words("caretaking.review_latest")
        return f"{noun} must be no later than {months} on: {latest:%-d %B %Y} at the latest (003 §12.1)"
    return None


def _allocate(*, child, worker, user, started_on) -> list[str]:
    """Make our case manager the child's through the allocation service (003 §2); its refusals (a
    blocking check, or a check needing a rationale) are returned for the Allocation tab instead."""
    if child.case_manager_id == worker.pk:
        return []
    try:
        with transaction.atomic():
            case_allocate(
                child=child,
                worker=worker,
                role=CASE_MANAGER,
                started_on=started_on,
                allocated_by=user,
                reason="Case manager named in the caretaking agreement (003 App. B)",
            )
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _manager_required(*, user, child, verb: str) -> None:
    """Only the TM/AP of the child's team (or the service manager) acts on caretaking (003 §12.5)."""
    if not selectors.can_manage_caretaking(user=user, child=child):
        raise ValidationError(
            f"Only the team manager or advanced practitioner of the child's team {verb} caretaking"
        )


def _agreement_errors(
    *,
    child,
    transfer_in: TransferIn | None,
    case_manager,
    starts_on: datetime.date,
    contact_frequency: str,
    review_on: datetime.date,
    host_signed_on: datetime.date | None,
    home_signed_on: datetime.date | None,
    our_responsibilities,
    home_responsibilities,
) -> dict[str, str]:
    """App. B's checks: caretaking follows the documents; a case manager who can hold the case; the
    contact frequency (003 §12.5); the review within three months (§12.1); signatures that happened;
    responsibilities from the lists (§12.7)."""
    errors = {}
    if transfer_in is not None:
        if transfer_in.child_id != child.pk or transfer_in.status != TransferIn.Status.ACCEPTED:
            raise ValidationError("The transfer in must be this child's, accepted on a caretaking basis")
        if starts_on < transfer_in.received_on:
            errors["starts_on"] = (
                f"Caretaking starts on or after the documents were received, {transfer_in.received_on:%-d %B %Y}"
            )
    if not selectors.case_manager_candidates(child=child).filter(pk=case_manager.pk).exists():
        errors["case_manager"] = "Choose a case manager who can hold cases in the child's team"
    if not (contact_frequency or "").strip():
        errors["contact_frequency"] = "Enter the contact frequency agreed with the home YJS (003 §12.5)"
    if message := review_errors(starts_on=starts_on, review_on=review_on, noun="Date of review"):
        errors["review_on"] = message
    if message := future_error(host_signed_on, "The host YJS's signature date"):
        errors["host_signed_on"] = message
    if message := future_error(home_signed_on, "The home YJS's signature date"):
        errors["home_signed_on"] = message
    ours = dict(CaretakingAgreement.OUR_RESPONSIBILITIES)
    home = dict(CaretakingAgreement.HOME_RESPONSIBILITIES)
    if any(c not in ours for c in our_responsibilities) or any(c not in home for c in home_responsibilities):
        errors["our_responsibilities"] = "Choose responsibilities from the list"
    return errors


def _agreement_record(*, agreement: CaretakingAgreement, user) -> None:
    """The new agreement in the audit log and on the child's timeline, saying when a looked-after child's
    case management stays with the home YOT (003 §12.2)."""
    child, starts_on, review_on = agreement.child, agreement.starts_on, agreement.review_on
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=agreement,
        child=child,
        description=f"Caretaking agreement with {agreement.home_yjs} from {starts_on:%d/%m/%Y}, "
        f"review by {review_on:%d/%m/%Y}",
    )
    details = f"Our case manager: {agreement.case_manager}. Home YJS officer: {agreement.home_officer}. " + (
        f"Contact: {agreement.contact_frequency}. Review by {review_on:%-d %B %Y}."
    )
    if selectors.is_looked_after(child=child, agreement=agreement):
        details += " Looked after: case management responsibility stays with the home YOT (003 §12.2)."
    transfer_event(
        child=child,
        user=user,
        day=starts_on,
        summary=f"Caretaking agreement with {agreement.home_yjs} from {starts_on:%-d %b %Y}",
        details=details,
        source=f"caretaking:{agreement.pk}",
    )


@transaction.atomic
def caretaking_create(
    *,
    child,
    user,
    case_manager,
    home_yjs: str,
    home_officer: str,
    starts_on: datetime.date,
    contact_frequency: str,
    review_on: datetime.date | None = None,
    transfer_in: TransferIn | None = None,
    our_responsibilities=(),
    our_other: str = "",
    home_responsibilities=(),
    home_other: str = "",
    host_signed_name: str = "",
    host_signed_role: str = "",
    host_signed_on: datetime.date | None = None,
    home_signed_name: str = "",
    home_signed_role: str = "",
    home_signed_on: datetime.date | None = None,
) -> tuple[CaretakingAgreement, list[str]]:
    """Record the Caretaking Agreement (App. B); returns it and any allocation problems to resolve on
    the Allocation tab (our case manager becomes the child's through case_allocate when the checks pass).

    The review is no later than three calendar months after the start (003 §12.1); blank means the
    latest allowed working day. The caretaking.review obligation runs from the start.
    """
    child = locked(child, "case_manager", "team")
    _manager_required(user=user, child=child, verb="agrees")
    if CaretakingAgreement.objects.filter(child=child, status=CaretakingAgreement.Status.ACTIVE).exists():
        raise ValidationError("This child already has a caretaking agreement in force")
    review_on = review_on or selectors.review_default(starts_on)
    errors = _agreement_errors(
        child=child,
        transfer_in=transfer_in,
        case_manager=case_manager,
        starts_on=starts_on,
        contact_frequency=contact_frequency,
        review_on=review_on,
        host_signed_on=host_signed_on,
        home_signed_on=home_signed_on,
        our_responsibilities=our_responsibilities,
        home_responsibilities=home_responsibilities,
    )
    if errors:
        raise ValidationError(errors)
    agreement = CaretakingAgreement(
        child=child,
        transfer_in=transfer_in,
        case_manager=case_manager,
        home_yjs=home_yjs.strip(),
        home_officer=home_officer.strip(),
        starts_on=starts_on,
        our_responsibilities=[
            c for c, _label in CaretakingAgreement.OUR_RESPONSIBILITIES if c in our_responsibilities
        ],
        our_other=our_other.strip(),
        home_responsibilities=[
            c for c, _label in CaretakingAgreement.HOME_RESPONSIBILITIES if c in home_responsibilities
        ],
        home_other=home_other.strip(),
        contact_frequency=contact_frequency.strip(),
        review_on=review_on,
        host_signed_name=host_signed_name.strip(),
        host_signed_role=host_signed_role.strip(),
        host_signed_on=host_signed_on,
        home_signed_name=home_signed_name.strip(),
        home_signed_role=home_signed_role.strip(),
        home_signed_on=home_signed_on,
        created_by=user,
    )
    agreement.full_clean()
    agreement.save()
    _agreement_record(agreement=agreement, user=user)
    problems = _allocate(
        child=child, worker=case_manager, user=user, started_on=min(starts_on, timezone.localdate())
    )
    child_obligations_refresh_on_commit(child=child)
    return agreement, problems


@transaction.atomic
def caretaking_review(
    *,
    agreement: CaretakingAgreement,
    user,
    reviewed_on: datetime.date,
    notes: str,
    next_review_on: datetime.date | None = None,
) -> CaretakingAgreement:
    """Record a review of the caretaking agreement (App. B; meets caretaking.review) and set the next
    review, again no later than three months on (003 §12.1)."""
    agreement = locked(agreement, "child")
    child = agreement.child
    _manager_required(user=user, child=child, verb="reviews")
    if not agreement.in_force:
        raise ValidationError("This caretaking agreement has ended")
    notes = (notes or "").strip()
    # The next review: the date given, or the latest allowed (three months on, a working day).
    next_review_on = next_review_on or selectors.review_default(reviewed_on)
    errors = {}
    if not notes:
        errors["notes"] = "Enter what the review found and agreed"
    if message := future_error(reviewed_on, "The date of the review"):
        errors["reviewed_on"] = message
    elif reviewed_on < agreement.starts_on:
        errors["reviewed_on"] = f"The date of the review must be on or after {agreement.starts_on:%-d %B %Y}"
    elif message := review_errors(
        starts_on=reviewed_on, review_on=next_review_on, noun="Date of the next review"
    ):
        errors["next_review_on"] = message
    if errors:
        raise ValidationError(errors)
    # Each review meets that period's `caretaking.review` (recurring, timescales revision 2): every date
    # is kept, and `reviewed_on` stays the first.
    agreement.reviewed_on = agreement.reviewed_on or reviewed_on
    agreement.review_dates = sorted({*agreement.review_dates, reviewed_on.isoformat()})
    agreement.review_on = next_review_on
    entry = f"{reviewed_on:%-d %B %Y}: {notes}"
    agreement.review_notes = f"{entry}\n\n{agreement.review_notes}".strip()
    agreement.full_clean()
    agreement.save(update_fields=["reviewed_on", "review_dates", "review_on", "review_notes"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=agreement,
        child=child,
        description=f"Reviewed the caretaking agreement on {reviewed_on:%d/%m/%Y}; next review by "
        f"{next_review_on:%d/%m/%Y}",
    )
    transfer_event(
        child=child,
        user=user,
        day=reviewed_on,
        summary="Caretaking agreement reviewed",
        details=f"{notes}\nNext review by {next_review_on:%-d %B %Y}.",
        source=f"caretaking:{agreement.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return agreement


# What the child's timeline says of each end (003 §12.1).
END_SUMMARIES = {
    CaretakingAgreement.Status.FULL_TRANSFER: "Full transfer from {home_yjs} accepted: the case is wholly ours",
    CaretakingAgreement.Status.RETURNED: "Caretaking ended: returned to {home_yjs}; record closed",
    CaretakingAgreement.Status.ENDED: "Caretaking ended: the order finished",
}


@transaction.atomic
def caretaking_end(
    *, agreement: CaretakingAgreement, user, outcome: str, ended_on: datetime.date, notes: str = ""
) -> CaretakingAgreement:
    """End caretaking (003 §12.1): full transfer accepted (the child is then wholly ours), returned to
    the home YJS (our record closes), or the order ended. A looked-after child is not transferred
    (003 §12.2: the home YOT keeps case management)."""
    agreement = locked(agreement, "child", "transfer_in")
    child = agreement.child
    _manager_required(user=user, child=child, verb="ends")
    if not agreement.in_force:
        raise ValidationError("This caretaking agreement has already ended")
    errors = {}
    if outcome not in END_OUTCOMES or not agreement.can_move_to(END_OUTCOMES[outcome]):
        errors["outcome"] = "Choose how caretaking ended"
    elif outcome == "full_transfer" and selectors.is_looked_after(child=child, agreement=agreement):
        errors["outcome"] = (
            "A looked-after child stays the case management responsibility of the home YOT (003 §12.2): "
            "full transfer does not apply"
        )
    if message := future_error(ended_on, "The date caretaking ended"):
        errors["ended_on"] = message
    elif ended_on < agreement.starts_on:
        errors["ended_on"] = f"The date caretaking ended must be on or after {agreement.starts_on:%-d %B %Y}"
    if errors:
        raise ValidationError(errors)
    agreement.status = END_OUTCOMES[outcome]
    agreement.ended_on = ended_on
    notes = (notes or "").strip()
    if notes:
        agreement.review_notes = f"Ended {ended_on:%-d %B %Y}: {notes}\n\n{agreement.review_notes}".strip()
    agreement.full_clean()
    agreement.save(update_fields=["status", "ended_on", "review_notes"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=agreement,
        child=child,
        description=f"Caretaking ended on {ended_on:%d/%m/%Y}: {agreement.get_status_display()}",
    )
    if agreement.status == CaretakingAgreement.Status.RETURNED:
        child_record_close(child=child, user=user, why=f"returned to {agreement.home_yjs}")
    transfer_event(
        child=child,
        user=user,
        day=ended_on,
        summary=END_SUMMARIES[agreement.status].format(home_yjs=agreement.home_yjs),
        details=notes,
        source=f"caretaking:{agreement.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return agreement
