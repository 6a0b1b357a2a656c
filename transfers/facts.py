"""Transfer records become facts (timescales.md "Facts"): the only place that knows the mapping.

003 §11.4 `transfer_agreed` (endorsed) and `reallocated` (receiving team allocated), §11.7
`three_way_meeting_held`; App. A `transfer_in_documents_received` and `transfer_in_requirements_confirmed`;
App. B `caretaking_started` and `caretaking_reviewed`; §12.6 `transfer_out_needed` and
`transfer_out_requested`; §12.8 the host YJS's contacts count as `contact`.
"""

from .models import CaretakingAgreement, HostContact, InternalTransfer, TransferIn, TransferOut


def _fact(fact_type: str, day, **extra) -> dict:
    """One fact of this type on this day."""
    return {"type": fact_type, "date": day.isoformat(), **extra}


def transfer_facts(*, child) -> list[dict]:
    """The child's transfers, caretaking and host contacts as facts."""
    facts = []
    for endorsed_on, allocated_on, meeting_on, status in InternalTransfer.objects.filter(
        child=child
    ).values_list("endorsed_on", "allocated_on", "meeting_on", "status"):
        if status in (InternalTransfer.Status.WITHDRAWN, InternalTransfer.Status.DECLINED):
            continue  # a withdrawn or declined transfer asks nothing more of anyone
        if endorsed_on:
            facts.append(_fact("transfer_agreed", endorsed_on))
        if allocated_on:
            facts.append(_fact("reallocated", allocated_on))
        if meeting_on and status == InternalTransfer.Status.COMPLETED:
            facts.append(_fact("three_way_meeting_held", meeting_on))
    # A rejected transfer in needs no supervision requirements confirmed (003 §12.4).
    for received_on, confirmed_on in (
        TransferIn.objects.filter(child=child)
        .exclude(status=TransferIn.Status.REJECTED)
        .values_list("received_on", "requirements_confirmed_on")
    ):
        facts.append(_fact("transfer_in_documents_received", received_on))
        if confirmed_on:
            facts.append(_fact("transfer_in_requirements_confirmed", confirmed_on))
    for starts_on, reviewed_on, review_dates, ended_on, review_on in CaretakingAgreement.objects.filter(
        child=child
    ).values_list("starts_on", "reviewed_on", "review_dates", "ended_on", "review_on"):
        if ended_on and not reviewed_on and ended_on <= review_on:
            continue  # caretaking ended before its review fell due: nothing is asked of it any more
        facts.append(_fact("caretaking_started", starts_on))
        # Every review (revision 2: the review recurs every three months until caretaking ends).
        for day in sorted({*(review_dates or []), *([reviewed_on.isoformat()] if reviewed_on else [])}):
            facts.append({"type": "caretaking_reviewed", "date": day})
        if ended_on:
            facts.append(_fact("caretaking_ended", ended_on))
    for known_on, requested_on, status in TransferOut.objects.filter(child=child).values_list(
        "move_known_on", "requested_on", "status"
    ):
        if status == TransferOut.Status.WITHDRAWN and not requested_on:
            continue  # the move did not happen before the request was due: no request is owed
        facts.append(_fact("transfer_out_needed", known_on))
        if requested_on:
            facts.append(_fact("transfer_out_requested", requested_on))
    for day, kind in HostContact.objects.filter(child=child).values_list("date", "kind"):
        facts.append(_fact("contact", day, kind=kind))
    return facts
