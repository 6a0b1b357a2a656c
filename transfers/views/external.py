"""Transfers into and out of the service, caretaking and host contacts (003 §12.1-§12.11, App. A-B).

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

from cases import selectors as case_selectors
from core.views import audit_get

from ..forms.external import (
    CaretakingEndForm,
    CaretakingForm,
    CaretakingReviewForm,
    HostContactForm,
    RequirementsForm,
    TransferInDecisionForm,
    TransferInForm,
    TransferOutForm,
    TransferOutUpdateForm,
)
from ..models import CaretakingAgreement, TransferIn, TransferOut
from ..selectors import external as selectors
from ..services import external as services

PAGE_SIZE = 20


def _child_context(child, **extra) -> dict:
    """What every page of the child's Transfers tab shares."""
    return {"child": child, "tab": "transfers", "nav": "caseload", **extra}


def _bound(request):
    """The POST data on a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------------------------------------------
# Transfers in (003 §12.4-§12.5, App. A)


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
    return render(
        request,
        "transfers/transfer_in_list.html",
        {
            "nav": "transfers",
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
    form = TransferInForm(_bound(request), teams=teams, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            transfer_in = services.transfer_in_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(
                request,
                f"Transfer in summary recorded: {transfer_in.child.full_name} ({transfer_in.child.case_number}) "
                "is open in your team. The team manager or advanced practitioner reviews it next.",
            )
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_form.html",
        {"nav": "transfers", "form": form, "documents": TransferIn.DOCUMENTS},
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
            "nav": "transfers",
            "transfer_in": transfer_in,
            "child": child,
            "documents": selectors.document_rows(transfer_in),
            "confirm_due": selectors.transfer_in_confirm_due(transfer_in),
            "can_decide": can_decide
            and transfer_in.status in (TransferIn.Status.RECEIVED, TransferIn.Status.STAYED),
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
    if transfer_in.status not in (TransferIn.Status.RECEIVED, TransferIn.Status.STAYED):
        return redirect("transfer_in_detail", ipk=transfer_in.pk)
    audit_get(request, transfer_in.child, f"decide transfer in {transfer_in.pk}")
    form = TransferInDecisionForm(_bound(request))
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
            form.service_errors(exc)
        else:
            messages.success(request, f"Decision recorded: {transfer_in.get_status_display()}")
            if transfer_in.status == TransferIn.Status.ACCEPTED and transfer_in.child_id:
                return redirect("caretaking_new", pk=transfer_in.child_id)
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_decide.html",
        {"nav": "transfers", "transfer_in": transfer_in, "form": form},
    )


def transfer_in_requirements(request, ipk):
    """App. A: the supervision requirements agreed with and communicated to the home YJS (meets
    transfer_in.confirm, due 2 working days after the documents were received)."""
    transfer_in = selectors.transfer_in_get_for_user(user=request.user, pk=ipk)
    if not selectors.can_confirm_requirements(user=request.user, transfer_in=transfer_in):
        raise Http404("You cannot confirm the supervision requirements")
    audit_get(request, transfer_in.child, f"supervision requirements for transfer in {transfer_in.pk}")
    form = RequirementsForm(
        _bound(request),
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
            form.service_errors(exc)
        else:
            messages.success(request, "Supervision requirements recorded")
            return redirect("transfer_in_detail", ipk=transfer_in.pk)
    return render(
        request,
        "transfers/transfer_in_requirements.html",
        {
            "nav": "transfers",
            "transfer_in": transfer_in,
            "form": form,
            "confirm_due": selectors.transfer_in_confirm_due(transfer_in),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Caretaking agreements (003 §12.1-§12.2, §12.5, §12.7, App. B)


def _levels_hint(child) -> str:
    """The child's RoSH and SaW for the contact frequency hint (003 §12.5)."""
    rosh = child.get_rosh_display() if child.rosh else "not rated"
    saw = child.get_saw_display() if child.saw else "not rated"
    return f"RoSH {rosh}, SaW {saw}"


def caretaking_new(request, pk):
    """Record the Caretaking Agreement (App. B) for a child accepted on a caretaking basis."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_caretaking(user=request.user, child=child):
        raise Http404("You cannot record a caretaking agreement for this child")
    current = selectors.active_agreement(child=child)
    if current is not None:
        messages.info(request, "This child already has a caretaking agreement in force")
        return redirect("caretaking_detail", pk=child.pk, apk=current.pk)
    audit_get(request, child, "caretaking agreement form")
    transfer_in = selectors.accepted_transfer_in(child=child)
    today = timezone.localdate()
    starts_on = today
    if transfer_in is not None and transfer_in.decided_on:
        starts_on = transfer_in.decided_on
    looked_after = child.looked_after or bool(transfer_in and transfer_in.looked_after)
    form = CaretakingForm(
        _bound(request),
        workers=selectors.case_manager_candidates(child=child),
        levels_hint=_levels_hint(child),
        initial={
            "case_manager": child.case_manager_id,
            "home_yjs": transfer_in.home_yjs if transfer_in else "",
            "starts_on": starts_on,
            "review_on": selectors.review_default(starts_on),
            "our_responsibilities": [c for c, _ in CaretakingAgreement.OUR_RESPONSIBILITIES],
            "home_responsibilities": [c for c, _ in CaretakingAgreement.HOME_RESPONSIBILITIES],
            "host_signed_name": request.user.get_full_name(),
            "host_signed_role": request.user.get_role_display(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement, problems = services.caretaking_create(
                child=child, user=request.user, transfer_in=transfer_in, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(request, "Caretaking agreement recorded")
            if problems:
                messages.warning(
                    request,
                    f"{agreement.case_manager} was not made the case manager: allocate them from the Allocation "
                    "tab, where the checks can be answered. " + " ".join(problems),
                )
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request,
        "transfers/caretaking_form.html",
        _child_context(child, form=form, transfer_in=transfer_in, looked_after=looked_after),
    )


def caretaking_detail(request, pk, apk):
    """The Caretaking Agreement (App. B), the §12.2 looked-after notice, and the §12.1 full-transfer
    presumption once the child has lived here three months."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    agreement = selectors.agreement_get(child=child, pk=apk)
    audit_get(request, child, f"caretaking agreement {agreement.pk}")
    looked_after = selectors.is_looked_after(child=child, agreement=agreement)
    can_manage = selectors.can_manage_caretaking(user=request.user, child=child)
    return render(
        request,
        "transfers/caretaking_detail.html",
        _child_context(
            child,
            agreement=agreement,
            responsibilities=selectors.responsibility_labels(agreement),
            looked_after=looked_after,
            presumption=selectors.presumption_applies(agreement=agreement, looked_after=looked_after),
            three_months_on=selectors.review_latest(agreement.starts_on),
            can_manage=can_manage and agreement.status == CaretakingAgreement.Status.ACTIVE,
        ),
    )


def _agreement_for_write(request, pk, apk):
    """The child, and its caretaking agreement in force, for those who manage caretaking; 404 otherwise."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    agreement = selectors.agreement_get(child=child, pk=apk)
    if not selectors.can_manage_caretaking(user=request.user, child=child):
        raise Http404("You cannot change this caretaking agreement")
    if agreement.status != CaretakingAgreement.Status.ACTIVE:
        raise Http404("This caretaking agreement has ended")
    return child, agreement


def caretaking_review(request, pk, apk):
    """Record a review of the agreement and the next review date (no later than three months on)."""
    child, agreement = _agreement_for_write(request, pk, apk)
    audit_get(request, child, f"review caretaking agreement {agreement.pk}")
    today = timezone.localdate()
    form = CaretakingReviewForm(
        _bound(request),
        starts_on=agreement.starts_on,
        initial={"reviewed_on": today, "next_review_on": selectors.review_default(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.caretaking_review(
                agreement=agreement,
                user=request.user,
                reviewed_on=data["reviewed_on"],
                notes=data["notes"],
                next_review_on=data.get("next_review_on"),
            )
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(request, "Caretaking review recorded")
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request, "transfers/caretaking_review.html", _child_context(child, agreement=agreement, form=form)
    )


def caretaking_end(request, pk, apk):
    """End caretaking: full transfer (the §12.1 presumption), returned home, or the order ended."""
    child, agreement = _agreement_for_write(request, pk, apk)
    audit_get(request, child, f"end caretaking agreement {agreement.pk}")
    looked_after = selectors.is_looked_after(child=child, agreement=agreement)
    initial = {"ended_on": timezone.localdate()}
    if request.GET.get("outcome") == "full_transfer" and not looked_after:
        initial["outcome"] = "full_transfer"
    form = CaretakingEndForm(_bound(request), looked_after=looked_after, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.caretaking_end(
                agreement=agreement,
                user=request.user,
                outcome=data["outcome"],
                ended_on=data["ended_on"],
                notes=data.get("notes", ""),
            )
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(request, f"Caretaking ended: {agreement.get_status_display()}")
            return redirect("caretaking_detail", pk=child.pk, apk=agreement.pk)
    return render(
        request,
        "transfers/caretaking_end.html",
        _child_context(child, agreement=agreement, form=form, looked_after=looked_after),
    )


# ---------------------------------------------------------------------------------------------------
# Host contacts (003 §12.8)


def host_contact_new(request, pk):
    """Log a contact the host YJS reports while we keep the case (003 §12.8)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    transfer_out = selectors.host_transfer_out(child=child)
    if transfer_out is None or not selectors.can_record_host_contact(user=request.user, child=child):
        raise Http404("You cannot record a host contact for this child")
    audit_get(request, child, "host contact form")
    form = HostContactForm(_bound(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.host_contact_create(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(request, "Host contact logged")
            return redirect("child_transfers", pk=child.pk)
    return render(
        request,
        "transfers/host_contact_form.html",
        _child_context(child, form=form, transfer_out=transfer_out),
    )


# ---------------------------------------------------------------------------------------------------
# Transfers out (003 §12.6-§12.11)


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
        _bound(request),
        open_parenting_order=open_po,
        initial={"move_known_on": timezone.localdate(), "parenting_order": open_po},
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer_out = services.transfer_out_create(
                child=child, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(request, f"Move to {transfer_out.host_area} recorded")
            return redirect("transfer_out_detail", pk=child.pk, opk=transfer_out.pk)
    return render(request, "transfers/transfer_out_form.html", _child_context(child, form=form))


def transfer_out_detail(request, pk, opk):
    """A move out of the area with its checklist, parenting order documents and host contacts."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    transfer_out = selectors.transfer_out_get(child=child, pk=opk)
    audit_get(request, child, f"move out of the area {transfer_out.pk}")
    active = transfer_out.status in selectors.ACTIVE_OUT_STATUSES
    return render(
        request,
        "transfers/transfer_out_detail.html",
        _child_context(
            child,
            transfer_out=transfer_out,
            checklist=selectors.checklist_rows(transfer_out),
            parenting=selectors.parenting_document_rows(transfer_out),
            request_due=selectors.transfer_out_request_due(transfer_out),
            host_contacts=list(
                transfer_out.host_contacts.select_related("recorded_by").order_by("-date", "-pk")
            ),
            can_update=active and selectors.can_manage_transfer_out(user=request.user, child=child),
            can_host=transfer_out.status in selectors.HOST_CONTACT_STATUSES
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
    statuses = services.OUT_NEXT.get(transfer_out.status)
    if statuses is None:
        raise Http404("This move out is finished")
    audit_get(request, child, f"update move out of the area {transfer_out.pk}")
    ordered = [s for s in TransferOut.Status.values if s in statuses]
    open_po = selectors.has_open_parenting_order(child=child)
    form = TransferOutUpdateForm(
        _bound(request),
        statuses=ordered,
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
                transfer_out=transfer_out, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.service_errors(exc)
        else:
            messages.success(
                request, f"Move to {transfer_out.host_area}: {transfer_out.get_status_display()}"
            )
            return redirect("transfer_out_detail", pk=child.pk, opk=transfer_out.pk)
    return render(
        request,
        "transfers/transfer_out_update.html",
        _child_context(child, transfer_out=transfer_out, form=form),
    )
