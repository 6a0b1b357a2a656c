"""Leave pages (003 §7): planned leave with named cover, unplanned leave and the manager's follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from core.audit import list_view_audit
from core.views import service_errors

from .. import selectors
from ..forms.leave import (
    CasesReviewedForm,
    CoverForm,
    PlannedLeaveForm,
    ReallocationConsideredForm,
    ReturnForm,
    UnplannedLeaveForm,
)
from ..models import Leave, Role
from ..policy import timescale_lazy
from ..selectors import allocation as allocation_selectors
from ..services import leave as leave_services
from .core import PAGE_SIZE


def _is_leave_manager(user) -> bool:
    """Team managers, advanced practitioners and the service manager manage their staff's leave."""
    return user.is_manager or user.role == Role.SERVICE_MANAGER


def leave_list(request):
    """My leave, or (managers) the team's, newest first, paginated."""
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        raise Http404("Not found")
    manager = _is_leave_manager(user)
    scope = request.GET.get("scope") or ("team" if manager else "mine")
    if scope not in ("mine", "team") or (scope == "team" and not manager):
        scope = "mine"
    leave = allocation_selectors.leave_list_for_user(user=user, scope=scope)
    page = Paginator(leave, PAGE_SIZE).get_page(request.GET.get("page"))
    list_view_audit(user=request.user, page="leave and cover", path=request.path)  # issue 18
    return render(
        request,
        "cases/leave/leave_list.html",
        {
            "page": page,
            "scope": scope,
            "manager": manager,
            "querystring": f"scope={scope}",
        },
    )


def leave_planned_new(request):
    """Record planned leave: dates (step 1), then cover and arrangements for each case held (003 §7.1)."""
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        raise Http404("Not found")
    action = request.POST.get("action") if request.method == "POST" else None
    workers = allocation_selectors.leave_workers_for_user(user=user).order_by("last_name", "first_name", "pk")
    step1 = PlannedLeaveForm(
        request.POST if action in ("continue", "save") else None, workers=workers, initial={"worker": user.pk}
    )
    context: dict[str, Any] = {"form": step1, "step1": step1}
    if not step1.is_bound or not step1.is_valid():
        return render(request, "cases/leave/planned_dates.html", context)
    data = step1.cleaned_data
    worker = data["worker"]
    # Only the cases the recording user may see (a worker may hold a child outside the manager's team).
    children = list(
        allocation_selectors.cases_held_by(worker=worker).filter(
            pk__in=selectors.children_for_user(user=user)
        )
    )
    cover = CoverForm(
        request.POST if action == "save" else None,
        children=children,
        candidates=allocation_selectors.cover_candidates(worker=worker),
    )
    if action == "save" and cover.is_valid():
        try:
            leave = leave_services.planned_leave_record(
                worker=worker,
                start_date=data["start_date"],
                end_date=data["end_date"],
                notes=data["notes"],
                recorded_by=user,
                covers=cover.covers(),
            )
        except ValidationError as exc:
            service_errors(cover, exc, by_field=True)
        else:
            messages.success(
                request, f"Planned leave recorded for {worker}, with cover for {len(children)} cases"
            )
            return redirect("leave_detail", pk=leave.pk)
    warnings = allocation_selectors.obligations_due_during(
        worker=worker, start=data["start_date"], end=data["end_date"]
    )
    context.update({"form": cover, "cover": cover, "data": data, "children": children, "warnings": warnings})
    return render(request, "cases/leave/planned_cover.html", context)


def leave_unplanned_new(request):
    """Record a team member's unplanned leave (managers only, 003 §7.2); others get 404."""
    user = request.user
    if not _is_leave_manager(user):
        raise Http404("Not found")
    workers = allocation_selectors.leave_workers_for_user(user=user).order_by("last_name", "first_name", "pk")
    form = UnplannedLeaveForm(request.POST if request.method == "POST" else None, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            leave = leave_services.unplanned_leave_record(recorded_by=user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, f"Unplanned leave recorded for {leave.worker}")
            return redirect("leave_detail", pk=leave.pk)
    return render(request, "cases/leave/unplanned_form.html", {"form": form})


def leave_detail(request, pk):
    """A leave record: cover for each case, or (unplanned) the manager's two tasks and their due dates."""
    leave = allocation_selectors.leave_get_for_user(user=request.user, pk=pk)
    covers = leave.covers.select_related("child", "cover_worker").order_by(
        "child__last_name", "child__first_name"
    )
    can_manage = allocation_selectors.can_manage_leave(user=request.user, worker=leave.worker)
    return render(
        request,
        "cases/leave/leave_detail.html",
        {
            "leave": leave,
            "covers": covers,
            "tasks": allocation_selectors.leave_tasks(leave=leave),
            "can_manage": can_manage,
        },
    )


def _managed_unplanned(request, pk) -> Leave:
    """Unplanned leave the user manages (TM/AP of the worker's team, service manager); 404 otherwise."""
    leave = allocation_selectors.leave_get_for_user(user=request.user, pk=pk)
    if not leave.is_followed_up or not allocation_selectors.can_manage_leave(
        user=request.user, worker=leave.worker
    ):
        raise Http404("Not found")
    return leave


def _leave_action(request, pk, *, form_class, service, title, success, template_note=""):
    """Shared shape of the three follow-up pages: a small form, a service call, back to the leave."""
    leave = _managed_unplanned(request, pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(leave=leave, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc, by_field=True)
        else:
            messages.success(request, success)
            return redirect("leave_detail", pk=leave.pk)
    return render(
        request,
        "cases/leave/leave_action.html",
        {"leave": leave, "form": form, "title": title, "note": template_note},
    )


def leave_cases_reviewed(request, pk):
    """Record the first-week review of the absent worker's cases (003 §7.2)."""
    return _leave_action(
        request,
        pk,
        form_class=CasesReviewedForm,
        service=leave_services.leave_cases_reviewed,
        title="Cases reviewed",
        success="Case review recorded",
        template_note="During the first week of absence the manager reviews the cases and plans for planned "
        "contacts to be covered by another worker, cancelled or rearranged (003 §7.2). Where assessments or "
        "plans expire, add an entry on the child's record explaining why the timescale was not met.",
    )


def leave_reallocation(request, pk):
    """Record the two-week decision on reallocating the caseload (003 §7.2)."""
    return _leave_action(
        request,
        pk,
        form_class=ReallocationConsideredForm,
        service=leave_services.leave_reallocation_considered,
        title="Reallocation considered",
        success="Reallocation decision recorded",
        template_note=timescale_lazy(
            "After {leave.consider_reallocation} of absence, if there is no evidence of an imminent return, consider "
            "reallocating the caseload and set timescales for updating plans and assessments (003 §7.2). "
            "Cases are not closed unless the plans of work are complete and agreed with the child or family."
        ),
    )


def leave_return(request, pk):
    """Record the worker's return: the leave ends and they are no longer marked absent."""
    leave = _managed_unplanned(request, pk)
    if not leave.is_open:
        raise Http404("Return already recorded")
    return _leave_action(
        request,
        pk,
        form_class=ReturnForm,
        service=leave_services.leave_return_record,
        title="Record return",
        success=f"Return recorded for {leave.worker}",
    )


urlpatterns = [
    path("leave/", leave_list, name="leave_list"),
    path("leave/planned/new/", leave_planned_new, name="leave_planned_new"),
    path("leave/unplanned/new/", leave_unplanned_new, name="leave_unplanned_new"),
    path("leave/<int:pk>/", leave_detail, name="leave_detail"),
    path("leave/<int:pk>/cases-reviewed/", leave_cases_reviewed, name="leave_cases_reviewed"),
    path("leave/<int:pk>/reallocation/", leave_reallocation, name="leave_reallocation"),
    path("leave/<int:pk>/return/", leave_return, name="leave_return"),
]
