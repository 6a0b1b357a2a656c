"""My work: what is due across a worker's caseload, tasks and own obligations, and their sign-off queue counts."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from core.audit import list_view_audit
from core.registry import registry

from ..models import Role
from ..selectors import assessments as assessment_selectors
from ..selectors import mywork as mywork_selectors
from ..selectors import today as today_selectors

# Each group shows this many items a page; the counts at the top are always the full totals.
GROUP_PAGE_SIZE = 25
GROUP_LABELS = {"overdue": "Overdue", "this_week": "Due this week", "later": "Later"}
GROUP_ANCHORS = {"overdue": "overdue", "this_week": "due-this-week", "later": "later"}


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


def _group_pages(request, groups: dict) -> list[dict]:
    """Each urgency group as a page of its own (`<group>_page`), keeping the other groups' pages."""
    pages = []
    for key, items in groups.items():
        param = f"{key}_page"
        params = request.GET.copy()
        params.pop(param, None)
        pages.append(
            {
                "key": key,
                "label": GROUP_LABELS[key],
                "anchor": GROUP_ANCHORS[key],
                "total": len(items),
                "page": Paginator(items, GROUP_PAGE_SIZE).get_page(request.GET.get(param)),
                "param": param,
                "querystring": params.urlencode(),
            }
        )
    return pages


def my_work(request):
    """A worker's obligations, tasks and own obligations grouped overdue / due this week / later, each
    linked to where it is done (a fixed number of queries, whatever the caseload)."""
    today = timezone.localdate()
    items = mywork_selectors.work_items_for(user=request.user)
    groups = mywork_selectors.group_by_urgency(rows=items, today=today)
    list_view_audit(user=request.user, page="my work", shown=len(items), path=request.path)
    sign_off = assessment_selectors.sign_off_counts(user=request.user)
    # Sections other apps add (meetings: the worker's upcoming meetings), as registered.
    sections = {
        name: section(user=request.user, today=today) for name, section in registry.my_work_sections.items()
    }
    return render(
        request,
        "cases/my_work.html",
        {
            "groups": _group_pages(request, groups),
            "counts": {key: len(rows) for key, rows in groups.items()},
            "total": len(items),
            "today": today,
            "week_end": mywork_selectors.week_end(today),
            "now": timezone.now(),
            "sign_off": sign_off,
            # Today (issue 20): from the reads above, plus who in the team is off.
            "today_panel": today_selectors.today_for_worker(
                user=request.user,
                items=items,
                meetings=sections.get("meetings") or [],
                sign_off=sign_off,
                today=today,
            ),
            **sections,
        },
    )


urlpatterns = [
    path("my-work/", my_work, name="my_work"),
]
