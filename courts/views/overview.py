"""The court pages that show both kinds of tracking (003 §9-§10): the child's Court tab, and the court
lists (the Magistrates' Court awaiting-hearing list and the Crown Court trackings running).

Thin views: the child first (`child_get_for_user`, 404 outside the user's scope); every GET showing a
child is audited against the child.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Role
from core.audit import audit_record, child_view_audit
from core.models import AuditEntry

from ..models import AwaitingHearing
from ..selectors import tracking as selectors

PAGE_SIZE = 25
CROWN_LIST_LIMIT = 100


def tab_context(child, **extra) -> dict:
    """What every page of the child's Court tab shares."""
    return {"child": child, "tab": "court", **extra}


def _tracking_rows(child, trackings) -> list[dict]:
    """Each tracking with whether it runs and how the case manager's band compares (003 §9.2)."""
    return [
        {
            "tracking": t,
            "open": t.is_open,
            "check": selectors.band_check(tracking=t, worker=child.case_manager),
        }
        for t in trackings
    ]


def child_court(request, pk):
    """The child's Crown Court trackings and Magistrates' Court awaiting-hearing entries, with the buttons
    for those allowed (003 §9-§10)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="court", path=request.path)
    trackings = list(selectors.crown_trackings_for_child(child=child))
    return render(
        request,
        "courts/child_court.html",
        tab_context(
            child,
            trackings=_tracking_rows(child, trackings),
            awaiting=list(selectors.awaiting_for_child(child=child)),
            can_add=selectors.can_add_crown_court(user=request.user, child=child),
            can_screen=selectors.is_court_manager(request.user),
            has_bss=selectors.has_open_bss(child),
            obligations=selectors.court_obligations(child=child),
        ),
    )


def court_home(request):
    """The court lists: children awaiting a Magistrates' Court hearing (not yet screened first, then by
    hearing date, filterable by decision) and the Crown Court trackings running, in the user's scope.
    The Court lead TM/AP (or the service manager) adds and screens; others read."""
    user = request.user
    if user.role == Role.ADMINISTRATOR:
        raise Http404("Administrators see no child records")
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=user,
        child=None,
        description="Viewed the court tracking lists",
        path=request.path,
    )
    decision = request.GET.get("decision", "")
    if decision not in AwaitingHearing.Decision.values:
        decision = ""
    page = Paginator(selectors.awaiting_list(user=user, decision=decision), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    crown = list(selectors.crown_open_list(user=user)[: CROWN_LIST_LIMIT + 1])
    counts = selectors.awaiting_counts(user=user)
    return render(
        request,
        "courts/home.html",
        {
            "page": page,
            "decision": decision,
            "decisions": [(value, label, counts[value]) for value, label in AwaitingHearing.Decision.choices],
            "total": sum(counts.values()),
            "querystring": f"decision={decision}" if decision else "",
            "crown": [
                {"tracking": t, "check": selectors.band_check(tracking=t, worker=t.child.case_manager)}
                for t in crown[:CROWN_LIST_LIMIT]
            ],
            "crown_more": len(crown) > CROWN_LIST_LIMIT,
            "can_screen": selectors.is_court_manager(user),
            "today": timezone.localdate(),
        },
    )
