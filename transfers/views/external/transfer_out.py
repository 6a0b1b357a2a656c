"""Moves out of the area: the request to the host area, its progress and the host's answer
(003 §12.6-§12.11).

Thin views: the child first, through its access check (404 outside the user's scope), then who may
write (the same 404 for anyone else), a form, a service call. Every GET is audited against the child;
every POST is audited by the service it calls.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from core.views import audit_get, service_errors

from ...forms.external.transfer_out import TransferOutForm, TransferOutUpdateForm
from ...selectors import external as selectors
from ...services.external import transfer_out as services
from ..common import bound, child_context


def transfer_out_new(request, pk):
    """Record a move out of the area and the request to the host area (003 §12.6, §12.9-§12.11)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_transfer_out(user=request.user, child=child) or not child.is_open:
        raise Http404("You cannot record a move out for this child")
    current = selectors.active_transfer_out(child=child)
    if current is not None:
        messages.info(request, "This child already has a move out of the area in progress")
        return redirect("transfer_out_detail", pk=child.pk, opk=current.pk)
    audit_get(request, child, "move out of the area form")
    open_po = selectors.has_open_parenting_order(child=child)
    form = TransferOutForm(
        bound(request),
        open_parenting_order=open_po,
        initial={"move_known_on": timezone.localdate(), "parenting_order": open_po},
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer_out = services.transfer_out_create(
                child=child, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Move to {transfer_out.host_area} recorded")
            return redirect("transfer_out_detail", pk=child.pk, opk=transfer_out.pk)
    return render(request, "transfers/transfer_out_form.html", child_context(child, form=form))


def transfer_out_detail(request, pk, opk):
    """A move out of the area with its checklist, parenting order documents and host contacts."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    transfer_out = selectors.transfer_out_get(child=child, pk=opk)
    audit_get(request, child, f"move out of the area {transfer_out.pk}")
    return render(
        request,
        "transfers/transfer_out_detail.html",
        child_context(
            child,
            transfer_out=transfer_out,
            checklist=selectors.checklist_rows(transfer_out),
            parenting=selectors.parenting_document_rows(transfer_out),
            request_due=selectors.transfer_out_request_due(transfer_out),
            host_contacts=list(
                transfer_out.host_contacts.select_related("recorded_by").order_by("-date", "-pk")
            ),
            can_update=transfer_out.is_active
            and selectors.can_manage_transfer_out(user=request.user, child=child),
            can_host=transfer_out.host_provides_contact
            and selectors.can_record_host_contact(user=request.user, child=child),
        ),
    )


def transfer_out_update(request, pk, opk):
    """The request sent, the host's answer (caretaken, transferred, declined), the responsibilities
    agreed in writing (§12.7) and the parenting order's documents (§12.11)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    transfer_out = selectors.transfer_out_get(child=child, pk=opk)
    if not selectors.can_manage_transfer_out(user=request.user, child=child):
        raise Http404("You cannot update this move out")
    if not transfer_out.is_active:
        raise Http404("This move out is finished")
    audit_get(request, child, f"update move out of the area {transfer_out.pk}")
    open_po = selectors.has_open_parenting_order(child=child)
    form = TransferOutUpdateForm(
        bound(request),
        transfer_out=transfer_out,
        statuses=transfer_out.next_statuses(),
        open_parenting_order=open_po,
        initial={
            "status": transfer_out.status,
            "assetplus_updated_on": transfer_out.assetplus_updated_on,
            "yot_request_on": transfer_out.yot_request_on,
            "requested_on": transfer_out.requested_on,
            "host_contact": transfer_out.host_contact,
            "outcome_on": transfer_out.outcome_on,
            "responsibilities": transfer_out.responsibilities,
            "outcome_notes": transfer_out.outcome_notes,
            "parenting_order": transfer_out.parenting_order or open_po,
            "parenting_simultaneous": transfer_out.parenting_simultaneous,
            "parenting_documents": transfer_out.parenting_documents,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer_out = services.transfer_out_update(
                transfer_out=transfer_out, user=request.user, version=form.version, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(
                request, f"Move to {transfer_out.host_area}: {transfer_out.get_status_display()}"
            )
            return redirect("transfer_out_detail", pk=child.pk, opk=transfer_out.pk)
    return render(
        request,
        "transfers/transfer_out_update.html",
        child_context(child, transfer_out=transfer_out, form=form),
    )
