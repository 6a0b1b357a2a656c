"""Writes for transfers into and out of the service, caretaking agreements and host contacts
(003 §12.1-§12.11, App. A-B).

Every write is audited against the child and writes a TRANSFER event on the child's timeline; the
records state the facts (transfers/facts.py), so each write queues the child's obligations refresh on
commit (transfer_in.confirm, caretaking.review, transfer_out.request and the host's contacts).
Policy refusals are ValidationErrors the views put in the error summary.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.allocation import CASE_MANAGER
from cases.models import Child, EventType, Programme
from cases.services import child_obligations_refresh_on_commit, event_create
from cases.services.allocation import case_allocate
from cases.services.programmes import programme_close
from core.audit import audit_record
from core.models import AuditEntry

from ..models import CaretakingAgreement, HostContact, TransferIn, TransferOut
from ..selectors import external as selectors

YES, NO, NA = TransferIn.YesNoNa.YES, TransferIn.YesNoNa.NO, TransferIn.YesNoNa.NA
NA_ALLOWED = {code: na for code, _label, na in TransferIn.DOCUMENTS}
DOCUMENT_LABELS = {code: label for code, label, _na in TransferIn.DOCUMENTS}
PARENTING_CODES = [c for c, _label in TransferOut.PARENTING_DOCUMENTS]

# Fields of the Transfer In Summary (App. A) a caller may set through transfer_in_create.
SUMMARY_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "home_yjs",
    "home_case_id",
    "proposed_address",
    "living_with",
    "living_with_relationship",
    "parental_responsibility_name",
    "parental_responsibility_address",
    "social_worker",
    "csc_advised",
    "home_case_manager",
    "order_type",
    "order_start",
    "order_length",
    "iom",
    "high_risk",
    "high_risk_details",
    "mappa_category",
    "mappa_level",
    "home_mappa_agreed",
    "mappa_coordinator_alerted",
    "safeguarding",
    "safeguarding_details",
    "child_protection_plan",
    "child_protection_details",
    "looked_after",
    "offence_details",
    "order_summary",
)


def _not_future(day: datetime.date | None, noun: str, errors: dict, key: str) -> None:
    """Records say what has happened: a date after today is refused."""
    if day and day > timezone.localdate():
        errors[key] = f"{noun} must be today or in the past"


def _event(*, child, user, day, summary, details="", source="") -> None:
    """A TRANSFER case note on the child's timeline (its facts come from the record, not the note)."""
    event_create(
        child=child,
        author=user,
        event_type=EventType.TRANSFER,
        occurred_on=day,
        summary=summary,
        details=details,
        source=source,
    )


# ---------------------------------------------------------------------------------------------------
# Transfers in (003 §12.4-§12.5, App. A)


def documents_errors(documents: dict, missing_reasons: str = "") -> dict[str, str]:
    """App. A checklist: every document answered; N/A only where the form allows it; a "No" needs a
    reason (its own, or the overall reasons for missing paperwork). {code: message}."""
    errors = {}
    overall = bool((missing_reasons or "").strip())
    for code, label, na_allowed in TransferIn.DOCUMENTS:
        entry = documents.get(code) or {}
        answer = entry.get("answer", "")
        if answer not in (YES, NO, NA):
            errors[code] = f"Say whether “{label}” is attached"
        elif answer == NA and not na_allowed:
            errors[code] = f"“{label}” cannot be marked N/A: say Yes or No"
        elif answer == NO and not (entry.get("reason") or "").strip() and not overall:
            errors[code] = f"Give the reason “{label}” is missing"
    return errors


def _clean_documents(documents: dict) -> dict:
    """Only the App. A codes, each as {"answer", "reason"} (a reason only where something is missing)."""
    cleaned = {}
    for code in NA_ALLOWED:
        entry = documents.get(code) or {}
        answer = entry.get("answer", "")
        reason = (entry.get("reason") or "").strip() if answer == NO else ""
        cleaned[code] = {"answer": answer, "reason": reason}
    return cleaned


def _case_number(transfer_in: TransferIn) -> str:
    """A unique case number for a child transferred in: "TI" and the summary's number."""
    base = f"TI{transfer_in.pk:06d}"
    number, n = base, 1
    while Child.objects.filter(case_number=number).exists():
        n += 1
        number = f"{base}-{n}"
    return number


@transaction.atomic
def transfer_in_create(
    *, user, team, received_on: datetime.date, documents: dict, missing_reasons: str = "", **summary
) -> TransferIn:
    """Record a Transfer In Summary (App. A) for the receiving team, and open the child's record there.

    The child is opened in the receiving team without a case manager (allocation follows acceptance,
    003 §12.5); the transfer_in.confirm obligation (App. A: 2 working days) runs from `received_on`.
    """
    errors = {}
    unknown = set(summary) - set(SUMMARY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown Transfer In Summary fields: {sorted(unknown)}")
    if not selectors.receiving_teams_for(user=user).filter(pk=team.pk).exists():
        raise ValidationError("You cannot record a transfer in for this team")
    _not_future(received_on, "Date all the documents were received", errors, "received_on")
    doc_errors = documents_errors(documents, missing_reasons)
    errors.update({f"doc_{code}": message for code, message in doc_errors.items()})
    if errors:
        raise ValidationError(errors)
    transfer_in = TransferIn(
        team=team,
        received_on=received_on,
        documents=_clean_documents(documents),
        missing_reasons=(missing_reasons or "").strip(),
        recorded_by=user,
        **summary,
    )
    transfer_in.full_clean()
    transfer_in.save()
    child = Child(
        first_name=transfer_in.first_name,
        last_name=transfer_in.last_name,
        date_of_birth=transfer_in.date_of_birth,
        team=team,
        case_number=_case_number(transfer_in),
        looked_after=transfer_in.looked_after,
        is_open=True,
    )
    child.full_clean()
    child.save()
    transfer_in.child = child
    transfer_in.save(update_fields=["child"])
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=transfer_in,
        child=child,
        description=f"Recorded the Transfer In Summary from {transfer_in.home_yjs} (received "
        f"{received_on:%d/%m/%Y}) and opened the child's record in {team}",
    )
    missing = [DOCUMENT_LABELS[c] for c, e in transfer_in.documents.items() if e["answer"] == NO]
    _event(
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
    return transfer_in


DECISIONS = {
    "accept": TransferIn.Status.ACCEPTED,
    "stay": TransferIn.Status.STAYED,
    "reject": TransferIn.Status.REJECTED,
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
    transfer_in = TransferIn.objects.select_for_update(of=("self",)).get(pk=transfer_in.pk)
    if not selectors.can_decide_transfer_in(user=user, transfer_in=transfer_in):
        raise ValidationError("Only the receiving team's manager or advanced practitioner decides")
    if transfer_in.status not in (TransferIn.Status.RECEIVED, TransferIn.Status.STAYED):
        raise ValidationError(f"This transfer has already been decided: {transfer_in.get_status_display()}")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, stay or reject"})
    decided_on = decided_on or timezone.localdate()
    reasons = (reasons or "").strip()
    errors = {}
    if decision != "accept":
        if not reasons:
            errors["reasons"] = (
                "Give the reasons for the stay or rejection, so the home YJS can address them (003 §12.4)"
            )
        if communicated_on is None:
            errors["communicated_on"] = "Enter the date the reasons were communicated to the home YJS"
    if communicated_on is not None:
        _not_future(communicated_on, "The date the reasons were communicated", errors, "communicated_on")
        if communicated_on < transfer_in.received_on and "communicated_on" not in errors:
            errors["communicated_on"] = (
                f"The date the reasons were communicated must be on or after the documents were received, "
                f"{transfer_in.received_on:%-d %B %Y}"
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
    label = transfer_in.get_status_display()
    if child is not None:
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=transfer_in,
            child=child,
            description=f"Transfer in from {transfer_in.home_yjs}: {label}",
        )
        if transfer_in.status == TransferIn.Status.REJECTED and child.is_open:
            child.is_open = False
            child.save(update_fields=["is_open"])
            audit_record(
                user=user,
                action=AuditEntry.Action.UPDATE,
                obj=child,
                child=child,
                description="Closed the child's record: transfer in rejected",
            )
        summary = {
            TransferIn.Status.ACCEPTED: f"Transfer in from {transfer_in.home_yjs} accepted on a caretaking basis",
            TransferIn.Status.STAYED: f"Transfer in from {transfer_in.home_yjs} stayed",
            TransferIn.Status.REJECTED: f"Transfer in from {transfer_in.home_yjs} rejected: record closed",
        }[transfer_in.status]
        details = reasons
        if communicated_on:
            details = f"{reasons}\nCommunicated to the home YJS on {communicated_on:%-d %B %Y}.".strip()
        _event(
            child=child,
            user=user,
            day=decided_on,
            summary=summary,
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
    transfer_in = (
        TransferIn.objects.select_for_update(of=("self",)).select_related("child").get(pk=transfer_in.pk)
    )
    if not selectors.can_confirm_requirements(user=user, transfer_in=transfer_in):
        raise ValidationError("You cannot confirm the supervision requirements for this transfer")
    requirements = (requirements or "").strip()
    errors = {}
    if not requirements:
        errors["requirements"] = "Enter the supervision requirements agreed with the home YJS"
    _not_future(confirmed_on, "The date the requirements were confirmed", errors, "confirmed_on")
    if confirmed_on and confirmed_on < transfer_in.received_on and "confirmed_on" not in errors:
        errors["confirmed_on"] = (
            f"The date the requirements were confirmed must be on or after the documents were received, "
            f"{transfer_in.received_on:%-d %B %Y}"
        )
    if errors:
        raise ValidationError(errors)
    transfer_in.requirements = requirements
    # The first confirmation meets App. A's two working days; re-confirming does not move it.
    transfer_in.requirements_confirmed_on = transfer_in.requirements_confirmed_on or confirmed_on
    transfer_in.full_clean()
    transfer_in.save(update_fields=["requirements", "requirements_confirmed_on"])
    child = transfer_in.child
    if child is not None:
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=transfer_in,
            child=child,
            description=f"Confirmed the supervision requirements to {transfer_in.home_yjs} on "
            f"{confirmed_on:%d/%m/%Y}",
        )
        _event(
            child=child,
            user=user,
            day=confirmed_on,
            summary=f"Supervision requirements confirmed to {transfer_in.home_yjs}",
            details=requirements,
            source=f"transfer_in:{transfer_in.pk}",
        )
        child_obligations_refresh_on_commit(child=child)
    return transfer_in


# ---------------------------------------------------------------------------------------------------
# Caretaking agreements (003 §12.1-§12.2, §12.5, §12.7, App. B)


def review_errors(*, starts_on: datetime.date, review_on: datetime.date | None, noun: str) -> str | None:
    """App. B / 003 §12.1: a review after the start and no later than three calendar months on."""
    if review_on is None:
        return None
    latest = selectors.review_latest(starts_on)
    if review_on <= starts_on:
        return f"{noun} must be after {starts_on:%-d %B %Y}"
    if review_on > latest:
        return f"{noun} must be no later than three months on: {latest:%-d %B %Y} at the latest (003 §12.1)"
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
    child = (
        Child.objects.select_for_update(of=("self",)).select_related("case_manager", "team").get(pk=child.pk)
    )
    if not selectors.can_manage_caretaking(user=user, child=child):
        raise ValidationError(
            "Only the team manager or advanced practitioner of the child's team agrees caretaking"
        )
    if CaretakingAgreement.objects.filter(child=child, status=CaretakingAgreement.Status.ACTIVE).exists():
        raise ValidationError("This child already has a caretaking agreement in force")
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
    review_on = review_on or selectors.review_default(starts_on)
    message = review_errors(starts_on=starts_on, review_on=review_on, noun="Date of review")
    if message:
        errors["review_on"] = message
    _not_future(host_signed_on, "The host YJS's signature date", errors, "host_signed_on")
    _not_future(home_signed_on, "The home YJS's signature date", errors, "home_signed_on")
    ours = dict(CaretakingAgreement.OUR_RESPONSIBILITIES)
    home = dict(CaretakingAgreement.HOME_RESPONSIBILITIES)
    if any(c not in ours for c in our_responsibilities) or any(c not in home for c in home_responsibilities):
        errors["our_responsibilities"] = "Choose responsibilities from the list"
    if errors:
        raise ValidationError(errors)
    agreement = CaretakingAgreement(
        child=child,
        transfer_in=transfer_in,
        case_manager=case_manager,
        home_yjs=home_yjs.strip(),
        home_officer=home_officer.strip(),
        starts_on=starts_on,
        our_responsibilities=[c for c in ours if c in our_responsibilities],
        our_other=our_other.strip(),
        home_responsibilities=[c for c in home if c in home_responsibilities],
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
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=agreement,
        child=child,
        description=f"Caretaking agreement with {agreement.home_yjs} from {starts_on:%d/%m/%Y}, "
        f"review by {review_on:%d/%m/%Y}",
    )
    looked_after = selectors.is_looked_after(child=child, agreement=agreement)
    details = f"Our case manager: {case_manager}. Home YJS officer: {agreement.home_officer}. " + (
        f"Contact: {agreement.contact_frequency}. Review by {review_on:%-d %B %Y}."
    )
    if looked_after:
        details += " Looked after: case management responsibility stays with the home YOT (003 §12.2)."
    _event(
        child=child,
        user=user,
        day=starts_on,
        summary=f"Caretaking agreement with {agreement.home_yjs} from {starts_on:%-d %b %Y}",
        details=details,
        source=f"caretaking:{agreement.pk}",
    )
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
    agreement = (
        CaretakingAgreement.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=agreement.pk)
    )
    child = agreement.child
    if not selectors.can_manage_caretaking(user=user, child=child):
        raise ValidationError(
            "Only the team manager or advanced practitioner of the child's team reviews caretaking"
        )
    if agreement.status != CaretakingAgreement.Status.ACTIVE:
        raise ValidationError("This caretaking agreement has ended")
    notes = (notes or "").strip()
    errors = {}
    if not notes:
        errors["notes"] = "Enter what the review found and agreed"
    _not_future(reviewed_on, "The date of the review", errors, "reviewed_on")
    if reviewed_on < agreement.starts_on and "reviewed_on" not in errors:
        errors["reviewed_on"] = f"The date of the review must be on or after {agreement.starts_on:%-d %B %Y}"
    if "reviewed_on" not in errors:
        next_review_on = next_review_on or selectors.review_default(reviewed_on)
        message = review_errors(
            starts_on=reviewed_on, review_on=next_review_on, noun="Date of the next review"
        )
        if message:
            errors["next_review_on"] = message
    if errors:
        raise ValidationError(errors)
    # The first review is what `caretaking.review` judges (003 §12.1); a later review must not make
    # it look late, so the first date is kept and later ones are recorded in the notes and review date.
    agreement.reviewed_on = agreement.reviewed_on or reviewed_on
    agreement.review_on = next_review_on
    entry = f"{reviewed_on:%-d %B %Y}: {notes}"
    agreement.review_notes = f"{entry}\n\n{agreement.review_notes}".strip()
    agreement.full_clean()
    agreement.save(update_fields=["reviewed_on", "review_on", "review_notes"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=agreement,
        child=child,
        description=f"Reviewed the caretaking agreement on {reviewed_on:%d/%m/%Y}; next review by "
        f"{next_review_on:%d/%m/%Y}",
    )
    _event(
        child=child,
        user=user,
        day=reviewed_on,
        summary="Caretaking agreement reviewed",
        details=f"{notes}\nNext review by {next_review_on:%-d %B %Y}.",
        source=f"caretaking:{agreement.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return agreement


END_OUTCOMES = {
    "full_transfer": CaretakingAgreement.Status.FULL_TRANSFER,
    "returned": CaretakingAgreement.Status.RETURNED,
    "ended": CaretakingAgreement.Status.ENDED,
}


@transaction.atomic
def caretaking_end(
    *, agreement: CaretakingAgreement, user, outcome: str, ended_on: datetime.date, notes: str = ""
) -> CaretakingAgreement:
    """End caretaking (003 §12.1): full transfer accepted (the child is then wholly ours), returned to
    the home YJS (our record closes), or the order ended. A looked-after child is not transferred
    (003 §12.2: the home YOT keeps case management)."""
    agreement = (
        CaretakingAgreement.objects.select_for_update(of=("self",))
        .select_related("child", "transfer_in")
        .get(pk=agreement.pk)
    )
    child = agreement.child
    if not selectors.can_manage_caretaking(user=user, child=child):
        raise ValidationError(
            "Only the team manager or advanced practitioner of the child's team ends caretaking"
        )
    if agreement.status != CaretakingAgreement.Status.ACTIVE:
        raise ValidationError("This caretaking agreement has already ended")
    errors = {}
    if outcome not in END_OUTCOMES:
        errors["outcome"] = "Choose how caretaking ended"
    elif outcome == "full_transfer" and selectors.is_looked_after(child=child, agreement=agreement):
        errors["outcome"] = (
            "A looked-after child stays the case management responsibility of the home YOT (003 §12.2): "
            "full transfer does not apply"
        )
    _not_future(ended_on, "The date caretaking ended", errors, "ended_on")
    if ended_on < agreement.starts_on and "ended_on" not in errors:
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
    summary = {
        CaretakingAgreement.Status.FULL_TRANSFER: f"Full transfer from {agreement.home_yjs} accepted: "
        "the case is wholly ours",
        CaretakingAgreement.Status.RETURNED: f"Caretaking ended: returned to {agreement.home_yjs}; record closed",
        CaretakingAgreement.Status.ENDED: "Caretaking ended: the order finished",
    }[agreement.status]
    if agreement.status == CaretakingAgreement.Status.RETURNED and child.is_open:
        child.is_open = False
        child.save(update_fields=["is_open"])
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=child,
            child=child,
            description=f"Closed the child's record: returned to {agreement.home_yjs}",
        )
    _event(
        child=child,
        user=user,
        day=ended_on,
        summary=summary,
        details=notes,
        source=f"caretaking:{agreement.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return agreement


# ---------------------------------------------------------------------------------------------------
# Host contacts (003 §12.8)


@transaction.atomic
def host_contact_create(
    *, child, user, date: datetime.date, kind: str, host_worker: str, summary: str
) -> HostContact:
    """Log a contact the host YJS reports for a child whose case we keep (003 §12.8); it counts as a
    contact for the child's contact timescales (transfers/facts.py)."""
    transfer_out = selectors.host_transfer_out(child=child)
    if transfer_out is None:
        raise ValidationError("No host area is providing contact for this child")
    if not selectors.can_record_host_contact(user=user, child=child):
        raise ValidationError("You cannot record host contacts for this child")
    errors = {}
    _not_future(date, "The date of the contact", errors, "date")
    if not (summary or "").strip():
        errors["summary"] = "Enter a summary of the contact"
    if not (host_worker or "").strip():
        errors["host_worker"] = "Enter the host YJS worker"
    if errors:
        raise ValidationError(errors)
    contact = HostContact(
        child=child,
        transfer_out=transfer_out,
        date=date,
        kind=kind,
        host_worker=host_worker.strip(),
        summary=summary.strip(),
        recorded_by=user,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=contact,
        child=child,
        description=f"Logged a {contact.get_kind_display().lower()} contact by {transfer_out.host_area} "
        f"on {date:%d/%m/%Y}",
    )
    _event(
        child=child,
        user=user,
        day=date,
        summary=f"Host contact ({contact.get_kind_display().lower()}) by {transfer_out.host_area}",
        details=f"{contact.host_worker}: {contact.summary}",
        source=f"host_contact:{contact.pk}",
    )
    child_obligations_refresh_on_commit(child=child)
    return contact


# ---------------------------------------------------------------------------------------------------
# Transfers out (003 §12.6-§12.11)


def _check_out_dates(*, move_known_on, dates: dict, errors: dict) -> None:
    """Each checklist date is not in the future and not before the move was known."""
    for key, (day, noun) in dates.items():
        _not_future(day, noun, errors, key)
        if day and move_known_on and day < move_known_on and key not in errors:
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
    child = Child.objects.select_for_update(of=("self",)).get(pk=child.pk)
    if not selectors.can_manage_transfer_out(user=user, child=child):
        raise ValidationError("Only the case manager or the team's manager records a move out of the area")
    if not child.is_open:
        raise ValidationError("The child's record is closed")
    if TransferOut.objects.filter(child=child, status__in=selectors.ACTIVE_OUT_STATUSES).exists():
        raise ValidationError("This child already has a move out of the area in progress")
    errors = {}
    _not_future(move_known_on, "The date the move was known", errors, "move_known_on")
    _check_out_dates(
        move_known_on=move_known_on,
        dates={
            "assetplus_updated_on": (assetplus_updated_on, "The date AssetPlus was updated"),
            "yot_request_on": (yot_request_on, "The date the 'YOT to YOT Transfer' request was completed"),
            "requested_on": (requested_on, "The date the request was sent"),
        },
        errors=errors,
    )
    if any(c not in PARENTING_CODES for c in parenting_documents):
        errors["parenting_documents"] = "Choose documents from the list"
    if errors:
        raise ValidationError(errors)
    parenting_order = bool(parenting_order) or selectors.has_open_parenting_order(child=child)
    transfer_out = TransferOut(
        child=child,
        status=TransferOut.Status.REQUESTED if requested_on else TransferOut.Status.NEEDED,
        kind=kind,
        host_area=host_area.strip(),
        host_contact=(host_contact or "").strip(),
        move_known_on=move_known_on,
        new_address=(new_address or "").strip(),
        assetplus_updated_on=assetplus_updated_on,
        yot_request_on=yot_request_on,
        requested_on=requested_on,
        parenting_order=parenting_order,
        parenting_simultaneous=bool(parenting_simultaneous) and parenting_order,
        parenting_documents=[c for c in PARENTING_CODES if c in parenting_documents]
        if parenting_order
        else [],
        requested_by=user,
    )
    transfer_out.full_clean()
    transfer_out.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=transfer_out,
        child=child,
        description=f"Move out of the area to {transfer_out.host_area} known on {move_known_on:%d/%m/%Y} "
        f"({transfer_out.get_kind_display().lower()})",
    )
    _event(
        child=child,
        user=user,
        day=move_known_on,
        summary=f"Moving to {transfer_out.host_area}: {transfer_out.get_kind_display().lower()} to be requested",
        details=transfer_out.new_address,
        source=f"transfer_out:{transfer_out.pk}",
    )
    if requested_on:
        _event(
            child=child,
            user=user,
            day=requested_on,
            summary=f"{transfer_out.get_kind_display()} requested from {transfer_out.host_area}",
            source=f"transfer_out:{transfer_out.pk}",
        )
    child_obligations_refresh_on_commit(child=child)
    return transfer_out


# The statuses an update may move to from each (003 §12.6-§12.7): a caretaken case may still transfer.
OUT_NEXT = {
    TransferOut.Status.NEEDED: {
        TransferOut.Status.NEEDED,
        TransferOut.Status.REQUESTED,
        TransferOut.Status.CARETAKEN,
        TransferOut.Status.TRANSFERRED,
        TransferOut.Status.DECLINED,
        TransferOut.Status.WITHDRAWN,
    },
    TransferOut.Status.REQUESTED: {
        TransferOut.Status.REQUESTED,
        TransferOut.Status.CARETAKEN,
        TransferOut.Status.TRANSFERRED,
        TransferOut.Status.DECLINED,
        TransferOut.Status.WITHDRAWN,
    },
    TransferOut.Status.CARETAKEN: {
        TransferOut.Status.CARETAKEN,
        TransferOut.Status.TRANSFERRED,
        TransferOut.Status.WITHDRAWN,
    },
}
OUTCOME_STATUSES = (TransferOut.Status.CARETAKEN, TransferOut.Status.TRANSFERRED, TransferOut.Status.DECLINED)


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
    if child.is_open:
        child.is_open = False
        child.save(update_fields=["is_open"])
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=child,
            child=child,
            description="Closed the child's record: transferred out of the area",
        )
    return closed


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
) -> TransferOut:
    """Record progress on a move out: the checklist (003 §12.6), the host's outcome (caretaken,
    transferred, declined), the responsibilities agreed in writing (§12.7), and the parenting order's
    transfer (§12.9-§12.11). TRANSFERRED closes the child's open programmes and record."""
    transfer_out = (
        TransferOut.objects.select_for_update(of=("self",)).select_related("child").get(pk=transfer_out.pk)
    )
    child = transfer_out.child
    if not selectors.can_manage_transfer_out(user=user, child=child):
        raise ValidationError("Only the case manager or the team's manager updates a move out of the area")
    allowed = OUT_NEXT.get(transfer_out.status)
    if allowed is None:
        raise ValidationError(f"This move out is finished: {transfer_out.get_status_display()}")
    errors = {}
    if status not in allowed:
        errors["status"] = (
            f"A move that is “{transfer_out.get_status_display()}” cannot become "
            f"“{TransferOut.Status(status).label if status in TransferOut.Status.values else status}”"
        )
    _check_out_dates(
        move_known_on=transfer_out.move_known_on,
        dates={
            "assetplus_updated_on": (assetplus_updated_on, "The date AssetPlus was updated"),
            "yot_request_on": (yot_request_on, "The date the 'YOT to YOT Transfer' request was completed"),
            "requested_on": (requested_on, "The date the request was sent"),
            "outcome_on": (outcome_on, "The date of the host area's answer"),
        },
        errors=errors,
    )
    responsibilities = (responsibilities or "").strip()
    if status != TransferOut.Status.NEEDED and status != TransferOut.Status.WITHDRAWN and not requested_on:
        errors.setdefault("requested_on", "Enter the date the request was sent to the host area (003 §12.6)")
    if status in OUTCOME_STATUSES:
        if not outcome_on:
            errors.setdefault("outcome_on", "Enter the date of the host area's answer")
        elif requested_on and outcome_on < requested_on:
            errors.setdefault(
                "outcome_on", "The date of the host area's answer must be on or after the request"
            )
    if status == TransferOut.Status.CARETAKEN and not responsibilities:
        errors["responsibilities"] = (
            "Record which area does what, agreed in writing with the host area (003 §12.7)"
        )
    if any(c not in PARENTING_CODES for c in parenting_documents):
        errors["parenting_documents"] = "Choose documents from the list"
    parenting_order = (
        bool(parenting_order)
        or transfer_out.parenting_order
        or selectors.has_open_parenting_order(child=child)
    )
    documents = [c for c in PARENTING_CODES if c in parenting_documents] if parenting_order else []
    if status == TransferOut.Status.TRANSFERRED and "parenting_documents" not in errors:
        errors.update(
            _parenting_errors(
                parenting_order=parenting_order, simultaneous=parenting_simultaneous, documents=documents
            )
        )
    if errors:
        raise ValidationError(errors)
    before = transfer_out.status
    had_request = transfer_out.requested_on
    transfer_out.status = (
        TransferOut.Status.REQUESTED if (status == TransferOut.Status.NEEDED and requested_on) else status
    )
    transfer_out.assetplus_updated_on = assetplus_updated_on
    transfer_out.yot_request_on = yot_request_on
    transfer_out.requested_on = requested_on
    transfer_out.host_contact = (host_contact or "").strip()
    transfer_out.responsibilities = responsibilities
    transfer_out.outcome_on = outcome_on
    transfer_out.outcome_notes = (outcome_notes or "").strip()
    transfer_out.parenting_order = parenting_order
    transfer_out.parenting_simultaneous = bool(parenting_simultaneous) and parenting_order
    transfer_out.parenting_documents = documents
    transfer_out.full_clean()
    transfer_out.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=transfer_out,
        child=child,
        description=f"Updated the move to {transfer_out.host_area}: {transfer_out.get_status_display()}",
    )
    source = f"transfer_out:{transfer_out.pk}"
    if requested_on and not had_request:
        _event(
            child=child,
            user=user,
            day=requested_on,
            summary=f"{transfer_out.get_kind_display()} requested from {transfer_out.host_area}",
            source=source,
        )
    if transfer_out.status != before and transfer_out.status in (
        *OUTCOME_STATUSES,
        TransferOut.Status.WITHDRAWN,
    ):
        day = outcome_on or timezone.localdate()
        details = transfer_out.outcome_notes
        if transfer_out.status == TransferOut.Status.TRANSFERRED:
            closed = _close_on_transfer(child=child, user=user, day=day)
            details = (details + "\n" if details else "") + (
                f"Programmes closed as transferred: {', '.join(closed)}." if closed else "No open programmes."
            )
        summary = {
            TransferOut.Status.CARETAKEN: f"{transfer_out.host_area} caretaking: we keep the case",
            TransferOut.Status.TRANSFERRED: f"Transferred to {transfer_out.host_area}: record closed",
            TransferOut.Status.DECLINED: f"{transfer_out.host_area} declined the request",
            TransferOut.Status.WITHDRAWN: f"Move to {transfer_out.host_area} withdrawn",
        }[transfer_out.status]
        if transfer_out.status == TransferOut.Status.CARETAKEN and responsibilities:
            details = f"{details}\nResponsibilities: {responsibilities}".strip()
        _event(child=child, user=user, day=day, summary=summary, details=details, source=source)
    child_obligations_refresh_on_commit(child=child)
    return transfer_out
