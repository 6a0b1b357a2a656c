"""Reads for transfers into and out of the service, caretaking agreements and host contacts
(003 §12, App. A-B).

One predicate decides both the Transfer In list and its pages (architecture.md): a transfer in is seen by
the receiving team (and the service manager), and by anyone who may see the child it created. Who may
write is decided here too; anyone else who may see the record gets the same 404 as an outsider.
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases import policy
from cases.models import Obligation, Programme, Role, Team
from cases.selectors import children_for_user
from cases.selectors.allocation import allocation_candidates, can_allocate

from ..models import CaretakingAgreement, HostContact, TransferIn, TransferOut

RECORDER_ROLES = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.BUSINESS_SUPPORT}
DECIDER_ROLES = {Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER}
PANEL_HOST_CONTACTS = 10


# ---------------------------------------------------------------------------------------------------
# Transfers in (003 §12.4-§12.5, App. A)


def _transfer_in_scope_q(user) -> Q | None:
    """The transfers in a user may see, as a filter; None means all (the service manager)."""
    if not user.is_authenticated or not user.is_active or user.role == Role.ADMINISTRATOR:
        return Q(pk__in=[])
    if user.role == Role.SERVICE_MANAGER:
        return None
    q = Q(child_id__in=children_for_user(user=user).values("pk"))
    if user.team_id:
        q |= Q(team_id=user.team_id, child__isnull=True)
    return q


def transfers_in_for_user(*, user, status: str = "") -> QuerySet[TransferIn]:
    """The transfers in the user may see, latest received first, optionally of one status."""
    qs = TransferIn.objects.select_related("team", "child", "decided_by")
    q = _transfer_in_scope_q(user)
    if q is not None:
        qs = qs.filter(q)
    if status in TransferIn.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-received_on", "-pk")


def transfer_in_get_for_user(*, user, pk) -> TransferIn:
    """One transfer in the user may see; 404 otherwise (existence is not disclosed)."""
    try:
        return transfers_in_for_user(user=user).select_related("recorded_by").get(pk=pk)
    except (TransferIn.DoesNotExist, ValueError, TypeError):
        raise Http404("No transfer in found") from None


def receiving_teams_for(*, user) -> QuerySet[Team]:
    """The locality teams the user may record a Transfer In Summary for (none: they may not)."""
    teams = Team.objects.filter(kind=Team.Kind.LOCALITY).order_by("name")
    if user.role == Role.SERVICE_MANAGER:
        return teams
    if user.role in RECORDER_ROLES and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def can_record_transfer_in(*, user) -> bool:
    """TM/AP or business support of a locality team, or the service manager (003 §12.4)."""
    return receiving_teams_for(user=user).exists()


def can_decide_transfer_in(*, user, transfer_in: TransferIn) -> bool:
    """The TM/AP of the receiving team (or the service manager) reviews the request (003 §12.4)."""
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role in DECIDER_ROLES and user.team_id == transfer_in.team_id


def can_confirm_requirements(*, user, transfer_in: TransferIn) -> bool:
    """The TM/AP, or our case manager, tells the home YJS the supervision requirements (App. A)."""
    if transfer_in.status == TransferIn.Status.REJECTED:
        return False
    if can_decide_transfer_in(user=user, transfer_in=transfer_in):
        return True
    child = transfer_in.child  # None without a query when no child is linked
    return child is not None and child.case_manager_id == user.pk


def document_rows(transfer_in: TransferIn) -> list[dict]:
    """The App. A checklist as rows: label, answer (Yes/No/N/A/Not answered) and reason."""
    labels = dict(TransferIn.YesNoNa.choices)
    rows = []
    for code, label, na_allowed in TransferIn.DOCUMENTS:
        entry = (transfer_in.documents or {}).get(code) or {}
        answer = entry.get("answer", "")
        rows.append(
            {
                "code": code,
                "label": label,
                "na_allowed": na_allowed,
                "answer": answer,
                "answer_label": labels.get(answer, "Not answered"),
                "reason": entry.get("reason", ""),
            }
        )
    return rows


def _stored_due(child_id, code: str) -> datetime.date | None:
    """The latest due date the rules module stored for this child and code (the only deadline source)."""
    if child_id is None:
        return None
    return (
        Obligation.objects.filter(child_id=child_id, code=code)
        .order_by("-due")
        .values_list("due", flat=True)
        .first()
    )


def transfer_in_confirm_due(transfer_in: TransferIn) -> datetime.date | None:
    """App. A: the home YJS hears the supervision requirements within 2 working days of receipt
    (`transfer_in.confirm`, as the rules module stored it)."""
    return _stored_due(transfer_in.child_id, "transfer_in.confirm")


# ---------------------------------------------------------------------------------------------------
# Caretaking agreements (003 §12.1-§12.2, §12.5, §12.7, App. B)


def can_manage_caretaking(*, user, child) -> bool:
    """The TM/AP of the child's team (or the service manager) agrees caretaking (003 §12.5, §12.7)."""
    return can_allocate(user=user, child=child)


def agreement_get(*, child, pk) -> CaretakingAgreement:
    """One of the child's caretaking agreements (the child already passed its access check); 404 otherwise."""
    try:
        return (
            CaretakingAgreement.objects.select_related("case_manager", "transfer_in", "created_by")
            .filter(child=child)
            .get(pk=pk)
        )
    except (CaretakingAgreement.DoesNotExist, ValueError, TypeError):
        raise Http404("No caretaking agreement found") from None


def active_agreement(*, child) -> CaretakingAgreement | None:
    """The child's current caretaking agreement, if any."""
    return (
        CaretakingAgreement.objects.select_related("case_manager", "transfer_in")
        .filter(child=child, status=CaretakingAgreement.Status.ACTIVE)
        .first()
    )


def accepted_transfer_in(*, child) -> TransferIn | None:
    """The child's accepted transfer in still waiting for its caretaking agreement (App. B)."""
    return (
        TransferIn.objects.filter(child=child, status=TransferIn.Status.ACCEPTED, agreement__isnull=True)
        .order_by("-received_on", "-pk")
        .first()
    )


def is_looked_after(*, child, agreement: CaretakingAgreement | None = None) -> bool:
    """003 §12.2: looked after by their local authority (our record, or the App. A answer)."""
    if child.looked_after:
        return True
    transfer_in = agreement.transfer_in if agreement is not None else None
    return bool(transfer_in and transfer_in.looked_after)


def review_latest(starts_on: datetime.date) -> datetime.date:
    """App. B, 003 §12.1: the latest review date, three calendar months on (31 Jan -> 30 Apr)."""
    return policy.due_after("caretaking.review_latest", starts_on)


def review_default(starts_on: datetime.date) -> datetime.date:
    """The latest allowed review date moved back to a working day."""
    return policy.calendar().on_or_before(policy.due_after("caretaking.review_latest", starts_on))


def presumption_applies(
    *, agreement: CaretakingAgreement, looked_after: bool, today: datetime.date | None = None
) -> bool:
    """003 §12.1: three months' residence (from the caretaking start) presumes full transfer, unless the
    child is looked after (§12.2) or the agreement has ended."""
    today = today or timezone.localdate()
    return (
        agreement.status == CaretakingAgreement.Status.ACTIVE
        and not looked_after
        and today >= policy.due_after("caretaking.full_transfer_presumption", agreement.starts_on)
    )


def responsibility_labels(agreement: CaretakingAgreement) -> dict:
    """The ticked App. B responsibilities as their labels, for each area."""
    ours = dict(CaretakingAgreement.OUR_RESPONSIBILITIES)
    home = dict(CaretakingAgreement.HOME_RESPONSIBILITIES)
    return {
        "ours": [ours[c] for c in agreement.our_responsibilities or [] if c in ours],
        "home": [home[c] for c in agreement.home_responsibilities or [] if c in home],
    }


def case_manager_candidates(*, child) -> QuerySet:
    """Workers of the child's team who can hold the case (003 §2)."""
    return allocation_candidates(child=child)


# ---------------------------------------------------------------------------------------------------
# Transfers out and host contacts (003 §12.6-§12.11)


def can_manage_transfer_out(*, user, child) -> bool:
    """The case manager, or the TM/AP of the child's team (or the service manager) (003 §12.6)."""
    return child.case_manager_id == user.pk or can_allocate(user=user, child=child)


def transfer_out_get(*, child, pk) -> TransferOut:
    """One of the child's transfers out; 404 otherwise."""
    try:
        return TransferOut.objects.select_related("requested_by").filter(child=child).get(pk=pk)
    except (TransferOut.DoesNotExist, ValueError, TypeError):
        raise Http404("No transfer out found") from None


def active_transfer_out(*, child) -> TransferOut | None:
    """The child's open move out of the area (needed, requested or caretaken), if any."""
    return TransferOut.objects.filter(child=child, status__in=TransferOut.ACTIVE).first()


def host_transfer_out(*, child) -> TransferOut | None:
    """The transfer out under which a host area provides contact while we keep the case (003 §12.8)."""
    return TransferOut.objects.filter(child=child, status__in=TransferOut.HOST_CONTACT).first()


def can_record_host_contact(*, user, child) -> bool:
    """Our case manager or a co-worker, or the TM/AP of the team, logs the host's contacts (003 §12.8)."""
    if can_allocate(user=user, child=child) or child.case_manager_id == user.pk:
        return True
    return child.co_workers.filter(pk=user.pk).exists()


def has_open_parenting_order(*, child) -> bool:
    """003 §12.9: a parent's parenting order recorded on the child, still open."""
    return Programme.objects.filter(
        child=child, kind=Programme.Kind.PARENTING_ORDER, end_date__isnull=True
    ).exists()


def parenting_document_rows(transfer_out: TransferOut) -> list[dict]:
    """The §12.11 documents with whether each has been provided."""
    done = set(transfer_out.parenting_documents or [])
    return [{"code": c, "label": label, "done": c in done} for c, label in TransferOut.PARENTING_DOCUMENTS]


def checklist_rows(transfer_out: TransferOut) -> list[dict]:
    """The §12.6 checklist: label and the date each step was done (None: not yet)."""
    return [
        {"label": "AssetPlus fully updated", "on": transfer_out.assetplus_updated_on},
        {"label": "'YOT to YOT Transfer' request completed on AssetPlus", "on": transfer_out.yot_request_on},
        {"label": "Request sent to the host area", "on": transfer_out.requested_on},
    ]


def transfer_out_request_due(transfer_out: TransferOut) -> datetime.date | None:
    """003 §12.6: the request goes within one working day (`transfer_out.request`, as stored)."""
    return _stored_due(transfer_out.child_id, "transfer_out.request")


# ---------------------------------------------------------------------------------------------------
# The child's Transfers tab


def _has_agreement(transfer_in: TransferIn, agreements: list[CaretakingAgreement]) -> bool:
    """Whether one of the loaded agreements came from this transfer in (no extra query)."""
    return any(a.transfer_in_id == transfer_in.pk for a in agreements)


def external_panel_context(*, child, user) -> dict:
    """What templates/transfers/_external_panel.html needs: transfers in, caretaking, host contacts and
    transfers out for the child, with the buttons this user may use (a fixed number of queries)."""
    today = timezone.localdate()
    transfers_in = list(
        TransferIn.objects.filter(child=child).select_related("decided_by").order_by("-received_on", "-pk")
    )
    agreements = list(
        CaretakingAgreement.objects.filter(child=child)
        .select_related("case_manager", "transfer_in")
        .order_by("-starts_on", "-pk")
    )
    current = next((a for a in agreements if a.in_force), None)
    looked_after = is_looked_after(child=child, agreement=current) or any(
        t.looked_after for t in transfers_in
    )
    transfers_out = list(TransferOut.objects.filter(child=child).order_by("-move_known_on", "-pk"))
    active_out = next((t for t in transfers_out if t.is_active), None)
    host_out = next((t for t in transfers_out if t.host_provides_contact), None)
    contacts = list(
        HostContact.objects.filter(child=child).order_by("-date", "-pk")[: PANEL_HOST_CONTACTS + 1]
    )
    can_caretaking = can_manage_caretaking(user=user, child=child)
    can_out = can_manage_transfer_out(user=user, child=child)
    can_host = host_out is not None and can_record_host_contact(user=user, child=child)
    out_rows = [
        {
            "record": t,
            "checklist": checklist_rows(t),
            "parenting": parenting_document_rows(t) if t.parenting_order else [],
            "active": t.is_active,
            "due": transfer_out_request_due(t) if t.requested_on is None and t.is_active else None,
        }
        for t in transfers_out
    ]
    return {
        "ext_transfers_in": transfers_in,
        "ext_agreements": agreements,
        "ext_agreement": current,
        "ext_looked_after": looked_after,
        "ext_presumption": bool(
            current and presumption_applies(agreement=current, looked_after=looked_after, today=today)
        ),
        "ext_transfers_out": out_rows,
        "ext_host_out": host_out,
        "ext_host_contacts": contacts[:PANEL_HOST_CONTACTS],
        "ext_more_host_contacts": len(contacts) > PANEL_HOST_CONTACTS,
        # App. B follows acceptance: the button shows for an accepted transfer in without its agreement.
        "ext_can_caretaking": can_caretaking
        and current is None
        and any(
            t.status == TransferIn.Status.ACCEPTED and not _has_agreement(t, agreements) for t in transfers_in
        ),
        "ext_can_manage_caretaking": can_caretaking,
        "ext_can_transfer_out": can_out and active_out is None and child.is_open,
        "ext_can_update_out": can_out,
        "ext_can_host_contact": can_host,
        "ext_today": today,
    }
