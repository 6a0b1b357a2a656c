"""Internal transfers between locality teams (003 §11): the child's Transfers tab, the proposal, the
decision, escalation, MAPPA endorsement, allocation, the three-way meeting and withdrawal; and the
Transfers home page.

Thin views: the child first (`child_get_for_user`, 404 outside the user's scope), then the transfer (404 if
not the child's), then the permission (the same 404 for anyone who may not act), a form and a service
call. Every GET is audited against the child; every POST is audited by its service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.selectors.allocation import workload_for_workers
from core.audit import child_view_audit, list_view_audit
from core.views import audit_get, service_errors

from ..forms.internal import AllocateForm, DecideForm, MappaForm, MeetingForm, ProposeForm, ReasonForm
from ..selectors import internal as selectors
from ..selectors.external import external_panel_context
from ..services import internal as services
from .common import bound, child_context

PAGE_SIZE = 20


def _child_and_transfer(request, pk, tpk):
    """The child (404 outside the user's scope) and one of its internal transfers (404 if not the child's)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    return child, selectors.transfer_get_for_child(child=child, pk=tpk)


def _for(request, pk, tpk, allowed):
    """As _child_and_transfer, for those `allowed(user, transfer, child)` names; 404 for anyone else."""
    child, transfer = _child_and_transfer(request, pk, tpk)
    if not allowed(request.user, transfer, child):
        raise Http404("No transfer found")
    return child, transfer


def _form_page(
    request, child, transfer, form, *, title: str, intro: str = "", template="transfers/internal_form.html"
):
    """Render one of the transfer's step forms."""
    return render(
        request, template, child_context(child, transfer=transfer, form=form, title=title, intro=intro)
    )


# ---------------------------------------------------------------------------------------------------
# Transfers home and the child's tab


def _page(request, qs, param: str, today):
    """One paginated home page list, each row with its days waiting."""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get(param))
    for transfer in page.object_list:
        transfer.waiting = selectors.days_waiting(transfer, today)
    return page


def transfers_home(request):
    """The Transfers home page: incoming transfers to allocate and meet, outgoing ones waiting, escalations
    for the service manager, and the user's own children in transfer (003 §11.4-§11.7)."""
    user = request.user
    if not user.is_authenticated or user.role == "administrator":
        raise Http404("No transfers")
    today = timezone.localdate()
    context = {
        "today": today,
        "incoming": _page(request, selectors.incoming_for_user(user=user), "in_page", today),
        "outgoing": _page(request, selectors.outgoing_for_user(user=user), "out_page", today),
        "escalations": _page(request, selectors.escalations_for_user(user=user), "esc_page", today),
        "mine": _page(request, selectors.mine_for_user(user=user), "my_page", today),
        "is_manager": user.is_manager,
        "is_sm": user.role == "service_manager",
    }
    list_view_audit(user=request.user, page="transfers", path=request.path)  # issue 18
    return render(request, "transfers/home.html", context)


def child_transfers(request, pk):
    """The child's Transfers tab: internal transfers, the transfer and caretaking obligations, and the
    transfers in/out panel (003 §11-§12)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="transfers", path=request.path)
    transfers = selectors.transfers_for_child(child=child)
    active = next((t for t in transfers if t.is_active), None)
    context = child_context(
        child,
        transfers=transfers,
        active=active,
        obligations=selectors.transfer_obligations(child=child),
        can_propose=active is None and selectors.can_propose(user=request.user, child=child),
    )
    context.update(external_panel_context(child=child, user=request.user) or {})
    return render(request, "transfers/child_transfers.html", context)


# ---------------------------------------------------------------------------------------------------
# Propose and view


def internal_transfer_propose(request, pk):
    """Propose moving the child's case to another locality team (003 §11.2-§11.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_propose(user=request.user, child=child):
        raise Http404("You cannot propose a transfer for this child")
    audit_get(request, child, "internal transfer proposal form")
    form = ProposeForm(bound(request), teams=selectors.locality_teams_for(child=child))
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.internal_transfer_propose(
                child=child, user=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"Transfer to {transfer.to_team} proposed: it needs the manager's endorsement"
            )
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return render(request, "transfers/internal_propose.html", child_context(child, form=form))


def internal_transfer_detail(request, pk, tpk):
    """The transfer: its considerations, steps, who is responsible now, and the actions the user may take."""
    child, transfer = _child_and_transfer(request, pk, tpk)
    audit_get(request, child, f"internal transfer {transfer.pk}")
    needs_mappa = transfer.is_active and selectors.mappa_needs_endorsement(child=child)
    return render(
        request,
        "transfers/internal_detail.html",
        child_context(
            child,
            transfer=transfer,
            can=selectors.actions_for(user=request.user, transfer=transfer, child=child),
            needs_mappa=needs_mappa,
            considerations=[(label, getattr(transfer, name)) for name, label in services.CONSIDERATIONS],
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Decide, escalate, MAPPA (003 §11.3-§11.5)


def internal_transfer_decide(request, pk, tpk):
    """Endorse or decline: the manager, or the service manager once escalated (003 §11.4)."""
    child, transfer = _for(
        request, pk, tpk, lambda u, t, c: selectors.can_decide(user=u, transfer=t, child=c)
    )
    audit_get(request, child, f"decide internal transfer {transfer.pk}")
    form = DecideForm(bound(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.internal_transfer_decide(
                transfer=transfer,
                user=request.user,
                endorse=data["decision"] == "endorse",
                notes=data.get("notes", ""),
                home_visit_on=data.get("home_visit_on"),
                review_assessment_on=data.get("review_assessment_on"),
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Decision recorded")
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return render(
        request,
        "transfers/internal_decide.html",
        child_context(
            child,
            transfer=transfer,
            form=form,
            title="Endorse or decline the transfer",
            needs_mappa=selectors.mappa_needs_endorsement(child=child),
            considerations=[(label, getattr(transfer, name)) for name, label in services.CONSIDERATIONS],
        ),
    )


def internal_transfer_escalation(request, pk, tpk):
    """The locality managers disagree: escalate to the service manager (003 §11.4)."""
    child, transfer = _for(request, pk, tpk, lambda u, t, c: selectors.can_escalate(user=u, transfer=t))
    audit_get(request, child, f"escalate internal transfer {transfer.pk}")
    form = ReasonForm(
        bound(request),
        label="Why can the locality managers not agree the transfer?",
        hint="The service manager will endorse or decline it (003 §11.4)",
        submit="Escalate to the service manager",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.internal_transfer_escalate(
                transfer=transfer, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Transfer escalated to the service manager")
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return _form_page(request, child, transfer, form, title="Escalate the transfer to the service manager")


def internal_transfer_mappa(request, pk, tpk):
    """Record the MAPPA meeting's endorsement of the transfer (003 §11.5)."""
    child, transfer = _for(
        request, pk, tpk, lambda u, t, c: selectors.can_record_mappa(user=u, transfer=t, child=c)
    )
    audit_get(request, child, f"MAPPA endorsement of internal transfer {transfer.pk}")
    form = MappaForm(bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.internal_transfer_mappa_endorse(
                transfer=transfer,
                user=request.user,
                endorsed_on=form.cleaned_data["endorsed_on"],
                notes=form.cleaned_data.get("notes", ""),
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "MAPPA meeting's endorsement recorded")
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return _form_page(
        request,
        child,
        transfer,
        form,
        title="Record the MAPPA meeting's endorsement",
        intro="A child managed under MAPPA at level 2 or 3 is transferred only once the relevant MAPPA meeting "
        "has considered and endorsed it (003 §11.5).",
    )


# ---------------------------------------------------------------------------------------------------
# Allocate, meet, withdraw (003 §11.4, §11.7)


def internal_transfer_allocate(request, pk, tpk):
    """The receiving team allocates a case manager within 2 working days of endorsement (003 §11.4)."""
    child, transfer = _for(request, pk, tpk, lambda u, t, c: selectors.can_allocate(user=u, transfer=t))
    audit_get(request, child, f"allocate internal transfer {transfer.pk}")
    candidates = selectors.receiving_candidates(transfer=transfer)
    workloads = workload_for_workers(workers=list(candidates))
    form = AllocateForm(bound(request), candidates=candidates, workloads=workloads)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.internal_transfer_allocate(
                transfer=transfer,
                user=request.user,
                worker=data["worker"],
                reason=data.get("reason", ""),
                rationale=data.get("rationale", ""),
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Allocated to {data['worker']}: {transfer.from_team} stays responsible until the three-way meeting",
            )
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return _form_page(
        request,
        child,
        transfer,
        form,
        title=f"Allocate a case manager in {transfer.to_team}",
        intro=f"{transfer.from_team} and the current case manager remain responsible until the three-way meeting, "
        "which should be held within 5 working days of this allocation (003 §11.7).",
    )


def internal_transfer_meeting(request, pk, tpk):
    """Record the three-way meeting: the formal date of transfer if the child attended (003 §11.7)."""
    child, transfer = _for(
        request, pk, tpk, lambda u, t, c: selectors.can_record_meeting(user=u, transfer=t, child=c)
    )
    audit_get(request, child, f"three-way meeting of internal transfer {transfer.pk}")
    form = MeetingForm(bound(request), enforcement_pending=transfer.enforcement_pending)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.internal_transfer_meeting(transfer=transfer, user=request.user, **kwargs)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if kwargs["child_attended"]:
                messages.success(request, f"Transferred: {transfer.to_team} is now responsible")
            else:
                messages.success(
                    request, f"Recorded: the case has not transferred; {transfer.from_team} stays responsible"
                )
            return redirect("internal_transfer_detail", pk=child.pk, tpk=transfer.pk)
    return render(
        request,
        "transfers/internal_meeting.html",
        child_context(child, transfer=transfer, form=form, title="Record the three-way meeting"),
    )


def internal_transfer_withdraw(request, pk, tpk):
    """Withdraw an active transfer with the reason."""
    child, transfer = _for(request, pk, tpk, lambda u, t, c: selectors.can_withdraw(user=u, transfer=t))
    audit_get(request, child, f"withdraw internal transfer {transfer.pk}")
    form = ReasonForm(
        bound(request),
        label="Why is the transfer withdrawn?",
        submit="Withdraw the transfer",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.internal_transfer_withdraw(
                transfer=transfer, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "Transfer withdrawn")
            return redirect("child_transfers", pk=child.pk)
    return _form_page(request, child, transfer, form, title="Withdraw the transfer")
