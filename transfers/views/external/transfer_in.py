"""Transfers into the service: the list, the Transfer In Summary (App. A), the TM/AP's decision and the
supervision requirements (003 §12.4-§12.5).

Thin views: the record first, through its access check (404 outside the user's scope), then who may
write (the same 404 for anyone else), a form, a service call. Every GET of a page showing a child is
audited against the child; every POST is audited by the service it calls.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.models import HIGH_LEVELS
from core.audit import list_view_audit
from core.views import audit_get, service_errors

from ...forms.external.transfer_in import TransferInForm
from ...forms.external.transfer_in_decision import RequirementsForm, TransferInDecisionForm
from ...models import TransferIn
from ...selectors import external as selectors
from ...services.external import transfer_in as services
from ..common import bound

PAGE_SIZE = 20


def transfer_in_list(request):
    """Transfers into the service for the user's team (the service manager: all), by status."""
    if not request.user.is_authenticated:
        raise Http404("No transfers")
    status = request.GET.get("status", "")
    if status not in TransferIn.Status.values:
        status = ""
    page = Paginator(selectors.transfers_in_for_user(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    list_view_audit(user=request.user, page="transfers in", path=request.path)  # issue 18
    return render(
        request,
        "transfers/transfer_in_list.html",
        {
            "page": page,
            "status": status,
            "statuses": TransferIn.Status.choices,
            "querystring": f"status={status}" if status else "",
            "can_record": selectors.can_record_transfer_in(user=request.user),
        },
    )


def transfer_in_new(request):
    """Record a Transfer In Summary (App. A) with its document checklist; the child's record opens in
    the receiving team."""
    teams = selectors.receiving_teams_for(user=request.user)
    if not teams.exists():
        raise Http404("You cannot record a transfer in")
    form = TransferInForm(bound(request), teams=teams, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            transfer_in = services.transfer_in_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            child = transfer_in.child
            # Guaranteed: transfer_in_create opens the child's record and links it in the same transaction.
            assert child is not None
            messages.success(
                request,
                f"Transfer in summary recorded: {child.full_name} ({child.case_number}) "
                "is open in your team. The team manager or advanced practitioner reviews it next.",
            )
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_form.html",
        {"form": form, "documents": TransferIn.DOCUMENTS},
    )


def transfer_in_detail(request, ipk):
    """The Transfer In Summary laid out as App. A, with the checklist, the decision and the requirements."""
    transfer_in = selectors.transfer_in_get_for_user(user=request.user, pk=ipk)
    audit_get(request, transfer_in.child, f"transfer in summary {transfer_in.pk}")
    child = transfer_in.child
    agreement = (
        getattr(transfer_in, "agreement", None) if transfer_in.status == TransferIn.Status.ACCEPTED else None
    )
    can_decide = selectors.can_decide_transfer_in(user=request.user, transfer_in=transfer_in)
    return render(
        request,
        "transfers/transfer_in_detail.html",
        {
            "transfer_in": transfer_in,
            "child": child,
            "documents": selectors.document_rows(transfer_in),
            "confirm_due": selectors.transfer_in_confirm_due(transfer_in),
            # 003 §4.1: High or Very High RoSH or SaW at allocation goes to a Band B senior case manager.
            "band_b": transfer_in.rosh in HIGH_LEVELS or transfer_in.saw in HIGH_LEVELS,
            "can_decide": can_decide and transfer_in.awaits_decision,
            "can_requirements": selectors.can_confirm_requirements(
                user=request.user, transfer_in=transfer_in
            ),
            "agreement": agreement,
            "can_caretaking": bool(
                child
                and transfer_in.status == TransferIn.Status.ACCEPTED
                and agreement is None
                and selectors.can_manage_caretaking(user=request.user, child=child)
            ),
            "today": timezone.localdate(),
        },
    )


def transfer_in_decide(request, ipk):
    """The TM/AP accepts on a caretaking basis, stays or rejects (003 §12.4-§12.5); acceptance leads to
    the Caretaking Agreement."""
    transfer_in = selectors.transfer_in_get_for_user(user=request.user, pk=ipk)
    if not selectors.can_decide_transfer_in(user=request.user, transfer_in=transfer_in):
        raise Http404("You cannot decide this transfer")
    if not transfer_in.awaits_decision:
        return redirect("transfer_in_detail", ipk=transfer_in.pk)
    audit_get(request, transfer_in.child, f"decide transfer in {transfer_in.pk}")
    form = TransferInDecisionForm(bound(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer_in = services.transfer_in_decide(
                transfer_in=transfer_in,
                user=request.user,
                decision=data["decision"],
                reasons=data.get("reasons", ""),
                communicated_on=data.get("communicated_on"),
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Decision recorded: {transfer_in.get_status_display()}")
            if transfer_in.status == TransferIn.Status.ACCEPTED and transfer_in.child_id:
                return redirect("caretaking_new", pk=transfer_in.child_id)
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_decide.html",
        {"transfer_in": transfer_in, "form": form},
    )


def transfer_in_requirements(request, ipk):
    """App. A: the supervision requirements agreed with and communicated to the home YJS (meets
    transfer_in.confirm, due 2 working days after the documents were received)."""
    transfer_in = selectors.transfer_in_get_for_user(user=request.user, pk=ipk)
    if not selectors.can_confirm_requirements(user=request.user, transfer_in=transfer_in):
        raise Http404("You cannot confirm the supervision requirements")
    audit_get(request, transfer_in.child, f"supervision requirements for transfer in {transfer_in.pk}")
    form = RequirementsForm(
        bound(request),
        initial={
            "requirements": transfer_in.requirements,
            "confirmed_on": transfer_in.requirements_confirmed_on or timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_in_requirements_confirm(
                transfer_in=transfer_in,
                user=request.user,
                requirements=form.cleaned_data["requirements"],
                confirmed_on=form.cleaned_data["confirmed_on"],
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, "Supervision requirements recorded")
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_requirements.html",
        {
            "transfer_in": transfer_in,
            "form": form,
            "confirm_due": selectors.transfer_in_confirm_due(transfer_in),
        },
    )
