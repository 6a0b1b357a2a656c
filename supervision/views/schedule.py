"""Supervision home (your supervision and the staff you supervise), the chain report, the service manager's
overdue view and "prepare for supervision" (000 §2, §4, 001 §2, 002). Thin views: an access check, a
selector, render. Every view is audited; anything outside the user's scope is a 404."""

from typing import TYPE_CHECKING, cast

import rules
from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases.models import Role, Team
from cases.views.core import PAGE_SIZE
from core.forms import ModelChoiceField
from core.views import audit_get_record

from ..access import worker_get_for_supervision
from ..chain import chain_report
from ..selectors import schedule as selectors

if TYPE_CHECKING:
    from ..selectors.schedule import OverdueRow


def _is_service_manager(user) -> bool:
    """The top of the chain, who sees every team (000 §2, 001 §2)."""
    return rules.has_perm("supervision.view_service_wide", user)


def supervision_home(request):
    """The supervision home: your own supervision for everyone, the staff you supervise for anyone with
    direct reports (000 §4.1, 002), and for the service manager the overdue count and the chain report."""
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        raise Http404("Administrators are not in the supervision chain")
    today = timezone.localdate()
    audit_get_record(request, user, "Viewed supervision home")
    me = selectors.worker_supervision(worker=user, today=today)
    schedule = selectors.supervision_schedule(manager=user, today=today)
    context = {
        "today": today,
        "me": me,
        "schedule": schedule,
        "schedule_overdue": sum(1 for row in schedule if row.status == selectors.OVERDUE),
        "is_service_manager": _is_service_manager(user),
        "can_see_chain": rules.has_perm("supervision.view_chain", user),
    }
    if context["is_service_manager"]:
        context["overdue_count"] = selectors.overdue_supervisions().count()
    return render(request, "supervision/home.html", context)


def supervision_chain(request):
    """The chain from every member of staff up to the service manager, with its breaks (002 "unbroken
    chain of formal supervision"): the service manager sees every team, a team manager their own team."""
    user = request.user
    if _is_service_manager(user):
        team_id, scope = None, "every team"
    elif user.role == Role.TEAM_MANAGER and user.team_id:
        team_id, scope = user.team_id, str(user.team)
    else:
        raise Http404("No chain report for you")
    audit_get_record(request, user, f"Viewed the supervision chain report ({scope})")
    groups = chain_report(team_id=team_id)
    return render(
        request,
        "supervision/chain.html",
        {
            "groups": groups,
            "scope": scope,
            "rows_with_breaks": sum(group.break_count for group in groups),
            "structural": sum(1 for g in groups for row in g.rows if row.structural_breaks),
        },
    )


class OverdueFilterForm(forms.Form):
    """The overdue view's filter: one team, or all."""

    team = ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams", label="Team"
    )


def supervision_overdue(request):
    """Every worker whose supervision is overdue, across the service (002): the service manager only."""
    if not _is_service_manager(request.user):
        raise Http404("Only the service manager sees overdue supervision across the service")
    today = timezone.localdate()
    form = OverdueFilterForm(request.GET or None)
    team = form.cleaned_data["team"] if form.is_bound and form.is_valid() else None
    audit_get_record(request, request.user, f"Viewed overdue supervision ({team or 'all teams'})")
    queryset = selectors.overdue_supervisions(team_id=team.pk if team else None)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for worker in page.object_list:
        row = cast("OverdueRow", worker)  # the same instance, given its days overdue for the page
        row.days_overdue = (today - row.overdue_since).days
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "supervision/overdue.html",
        {
            "form": form,
            "team": team,
            "page": page,
            "today": today,
            "querystring": params.urlencode(),
        },
    )


def supervision_prepare(request, wpk):
    """Prepare for a worker's supervision (000 §4.3, 002): their cases with levels, what is due, the last
    case discussion and CMM, brief checks and exempt cases; their own supervision and open tasks."""
    worker = worker_get_for_supervision(user=request.user, pk=wpk)
    today = timezone.localdate()
    audit_get_record(
        request, worker, f"Prepared for the supervision of {worker.get_full_name() or worker.username}"
    )
    return render(
        request,
        "supervision/prepare.html",
        {
            "worker": selectors.worker_supervision(worker=worker, today=today),
            "prep": selectors.prepare_for_supervision(worker=worker, today=today, viewer=request.user),
            "today": today,
        },
    )
