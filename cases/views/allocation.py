"""Allocation pages (003 §2-§6): who holds the case, the co-allocation prompt, history, allocate and end."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from core.audit import child_view_audit
from core.views import audit_get, service_errors

from .. import allocation as policy
from .. import selectors
from ..forms.allocation import (
    AllocationChoiceForm,
    AllocationRationaleForm,
    CoAllocationEndForm,
    rationale_field_name,
)
from ..selectors import allocation as allocation_selectors
from ..services import allocation as allocation_services
from .core import PAGE_SIZE


def _child_for_allocator(request, pk):
    """The child, if the user may see it and allocate it (TM/AP of its team, service manager); else 404."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    if not allocation_selectors.can_allocate(user=request.user, child=child):
        raise Http404("Not found")
    return child


def child_allocation(request, pk):
    """Who holds the case and co-works it, the 003 §5.1 co-allocation prompt, and the allocation history."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="allocation", path=request.path)
    co_workers = list(child.co_workers.select_related("team").order_by("last_name", "first_name"))
    co_allocations = allocation_selectors.current_co_allocations(child=child)
    current = allocation_selectors.current_case_manager_allocation(child=child)
    history = Paginator(allocation_selectors.allocation_history(child=child), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/allocation/child_allocation.html",
        {
            "child": child,
            "current": current,
            "co_workers": [(w, co_allocations.get(w.pk)) for w in co_workers],
            "prompt": policy.co_allocation_prompt(child, co_workers),
            "has_co_workers": bool(co_workers),
            "page": history,
            "can_allocate": allocation_selectors.can_allocate(user=request.user, child=child),
            "tab": "allocation",
        },
    )


def _check_rows(checks, form):
    """Each check with its tag and, when it needs one, its bound rationale field."""
    rows = []
    for check in checks:
        field = form[rationale_field_name(check["code"])] if check["needs_rationale"] else None
        rows.append({**check, "status": policy.check_status(check), "field": field})
    return rows


def child_allocate(request, pk):
    """Allocate or reallocate: choose (step 1), see the policy checks and give rationales (step 2), confirm."""
    child = _child_for_allocator(request, pk)
    candidates = allocation_selectors.allocation_candidates(child=child)
    workloads = allocation_selectors.workload_for_workers(workers=list(candidates))
    co_worker_ids = list(child.co_workers.values_list("pk", flat=True))
    action = request.POST.get("action") if request.method == "POST" else None
    choice = AllocationChoiceForm(
        request.POST if action in ("check", "confirm") else None,
        child=child,
        candidates=candidates,
        workloads=workloads,
        co_worker_ids=co_worker_ids,
    )
    context = {
        "child": child,
        "choice": choice,
        "form": choice,
        "workloads": [(w, workloads[w.pk]) for w in candidates],
        "tab": "allocation",
    }
    audit_get(request, child, "allocation form")
    if not choice.is_bound or not choice.is_valid():
        return render(request, "cases/allocation/allocate_choose.html", context)

    data = choice.cleaned_data
    checks = allocation_selectors.allocation_checks_for(
        child=child, worker=data["worker"], role=data["role"], primary_worker=data["primary_worker"]
    )
    form = AllocationRationaleForm(request.POST if action == "confirm" else None, checks=checks)
    if action == "confirm" and form.is_valid():
        try:
            allocation = allocation_services.case_allocate(
                child=child,
                worker=data["worker"],
                role=data["role"],
                started_on=data["started_on"],
                allocated_by=request.user,
                reason=data["reason"],
                rationales=form.rationales(),
                primary_worker=data["primary_worker"],
            )
        except ValidationError as exc:
            # Something changed between the page and the confirmation: say what, save nothing.
            service_errors(form, exc)
        else:
            _allocated_message(request, allocation, seen=choice.seen_case_manager_id())
            return redirect("child_allocation", pk=child.pk)
    context.update(
        {
            "form": form,
            "rows": _check_rows(checks, form),
            "blocked": any(c["blocking"] for c in checks),
            "data": data,
        }
    )
    return render(request, "cases/allocation/allocate_checks.html", context)


def _allocated_message(request, allocation, *, seen: int | None) -> None:
    """What the allocation did, truthfully (issue 16): a reallocation names who it replaced, and when that
    was not the case manager this page showed (another manager allocated in between), says so as a
    warning naming who did."""
    worker, before = allocation.worker, allocation.replaced_worker
    if allocation.role != policy.CASE_MANAGER:
        messages.success(request, f"{worker} allocated as co-allocated worker")
    elif before is None and seen is None:
        messages.success(request, f"{worker} allocated as case manager")
    elif before is not None and before.pk == seen:
        messages.success(request, f"Reallocated from {before} to {worker} as case manager")
    else:
        by = allocation.replaced.allocated_by if allocation.replaced is not None else "Someone"
        what = f"Reallocated from {before} to {worker}" if before else f"{worker} allocated"
        messages.warning(
            request,
            f"{what} as case manager. {by} had allocated {before or 'the case'} after you opened this "
            "page: check with them that this is what you both meant. The timeline shows both allocations.",
        )


def co_allocation_end(request, pk, worker_pk):
    """End a co-allocation, agreed at a CMM or in supervision (003 §5.4)."""
    child = _child_for_allocator(request, pk)
    try:
        worker = child.co_workers.get(pk=worker_pk)
    except (child.co_workers.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not a co-worker of this child") from None
    audit_get(request, child, "end co-allocation form")
    form = CoAllocationEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation_services.co_allocation_end(
                child=child, worker=worker, ended_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Co-allocation with {worker} ended")
            return redirect("child_allocation", pk=child.pk)
    return render(
        request,
        "cases/allocation/co_allocation_end.html",
        {"child": child, "worker": worker, "form": form, "tab": "allocation"},
    )


urlpatterns = [
    path("children/<int:pk>/allocation/", child_allocation, name="child_allocation"),
    path("children/<int:pk>/allocation/new/", child_allocate, name="child_allocate"),
    path(
        "children/<int:pk>/allocation/co-workers/<int:worker_pk>/end/",
        co_allocation_end,
        name="co_allocation_end",
    ),
]
