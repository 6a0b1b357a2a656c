"""My work: what is due across a worker's caseload, their sign-off queue counts and team follow-ups."""

from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from ..models import Role
from ..selectors import mywork as mywork_selectors


def home(request):
    """Each role starts from the page of its own work.

    Team managers and APs start from their team's dashboard, the service manager from the compliance
    dashboard, administrators (who hold no cases) from the caseload page, everyone else from "My work".
    """
    if request.user.role == Role.ADMINISTRATOR:
        return redirect("caseload")
    if request.user.role in (Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER):
        return redirect("team_dashboard")
    if request.user.role == Role.SERVICE_MANAGER:
        return redirect("compliance_dashboard")
    return redirect("my_work")


def my_work(request):
    """A worker's outstanding obligations grouped overdue / due this week / later, each linked to where it is done."""
    from meetings import selectors as meeting_selectors

    from ..selectors import assessments as assessment_selectors  # the sign-off queue's counts

    today = timezone.localdate()
    rows = mywork_selectors.obligations_for_worker(user=request.user)
    groups = mywork_selectors.group_by_urgency(rows=rows, today=today)
    return render(
        request,
        "cases/my_work.html",
        {
            "groups": groups,
            "total": len(rows),
            "today": today,
            "now": timezone.now(),
            "sign_off": assessment_selectors.sign_off_counts(user=request.user),
            "worker_tasks": mywork_selectors.worker_tasks_for_manager(user=request.user),
            # 001 §6.2: agreed CMM actions are tracked tasks for the people named.
            "tasks": meeting_selectors.tasks_for_user(user=request.user),
            "meetings": meeting_selectors.meetings_for_user_upcoming(user=request.user, today=today),
            "nav": "my_work",
        },
    )


urlpatterns = [
    path("my-work/", my_work, name="my_work"),
]
