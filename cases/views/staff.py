"""Staff access (issue 18): ask for a change to someone's role, team, line manager or sign-in, and
approve or reject one as the second person. The service manager and the administrator only."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from core.views import service_errors

from ..forms.staff import StaffChangeForm
from ..models import StaffChange
from ..services import staff as services

RECENT = 50


def _allowed(request) -> None:
    """404 for anyone but the service manager and the administrator (the header link's permission)."""
    if not rules.has_perm("cases.manage_staff", request.user):
        raise Http404("No such page")


def staff_changes(request):
    """Changes waiting for a second person, the recent decisions, and the form to ask for one."""
    _allowed(request)
    form = StaffChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.staff_change_request(requested_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404("No such page") from exc
        else:
            messages.success(request, f"Change to {change.user} asked for: a second person must approve it")
            return redirect("staff_changes")
    pending = StaffChange.objects.filter(status=StaffChange.Status.PENDING).select_related(
        "user", "team", "line_manager", "requested_by"
    )
    decided = (
        StaffChange.objects.exclude(status=StaffChange.Status.PENDING)
        .select_related("user", "team", "line_manager", "requested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "cases/staff_changes.html",
        {"form": form, "pending": list(pending), "decided": list(decided)},
    )


@require_POST
def staff_change_decide(request, pk):
    """Approve or reject a change, as the second person."""
    _allowed(request)
    change = get_object_or_404(StaffChange, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.staff_change_decide(change=change, decided_by=request.user, approve=approve)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        raise Http404("No such page") from exc
    else:
        messages.success(
            request, f"{'Approved and made' if approve else 'Rejected'}: change to {change.user}"
        )
    return redirect("staff_changes")


urlpatterns = [
    path("staff/changes/", staff_changes, name="staff_changes"),
    path("staff/changes/<int:pk>/decide/", staff_change_decide, name="staff_change_decide"),
]
