"""Thin views: fetch with an access check, call a service, render or redirect (architecture.md)."""

import rules
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from core.audit import child_view_audit, list_view_audit
from core.keyset import keyset_page
from core.models import AuditChain
from core.views import audit_get

from .. import selectors, services
from ..forms import AuditFilterForm, CaseloadFilterForm, EventCorrectionForm, EventForm
from ..forms.core import EVENT_TYPE_CHOICES
from ..models import Obligation, Role
from ..rules import policy_table
from ..rules.durations import durations
from ..services.requests import with_requests
from ..worklinks import action_url

PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50


def caseload(request):
    """My caseload: the children a worker holds, filterable and paginated; managers can widen to the team."""
    user = request.user
    scopes = [("mine", "Children I hold")]
    if user.team_id and user.role != Role.SERVICE_MANAGER:
        scopes.append(("team", "My team's children" if user.is_manager else "Children I can see"))
    if user.role == Role.SERVICE_MANAGER:
        scopes.append(("team", "Every child in the service"))
    default_scope = "team" if (user.is_manager or user.is_service_wide) else "mine"
    form = CaseloadFilterForm(request.GET or None, scopes=scopes)
    scope, query, risk = default_scope, "", ""
    if form.is_bound and form.is_valid():
        scope = form.cleaned_data["scope"] or default_scope
        query = form.cleaned_data["q"]
        risk = form.cleaned_data["risk"]
    elif not form.is_bound:
        form = CaseloadFilterForm(initial={"scope": default_scope}, scopes=scopes)
    children = selectors.caseload_for_worker(user=user, scope=scope, query=query, risk=risk)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    list_view_audit(
        user=user,
        page="caseload",
        shown=len(page.object_list),
        filters={"scope": scope, "risk": risk, "search": query, "page": page.number},
        path=request.path,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/caseload.html",
        {"form": form, "page": page, "scope": scope, "querystring": params.urlencode()},
    )


def child_detail(request, pk):
    """A child's record: identity bar, sub-navigation and the events timeline."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="timeline", path=request.path)
    events = selectors.timeline_for_child(child=child)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/child_timeline.html",
        {"child": child, "page": page, "tab": "timeline"},
    )


def child_details(request, pk):
    """A child's details: who holds the case, programmes, levels."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="details", path=request.path)
    return render(
        request,
        "cases/child_details.html",
        {
            "child": child,
            "co_workers": child.co_workers.select_related("team").all(),
            "programmes": child.programmes.all(),
            "tab": "details",
        },
    )


def child_obligations(request, pk):
    """What is due for a child, when, and under which policy section (from the stored obligations)."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    child_view_audit(user=request.user, child=child, page="what is due", path=request.path)
    obligations = list(selectors.obligations_for_child(child=child))
    # Overdue first, then by due date (the rules module's order), each linked to where it is done.
    outstanding = sorted(
        (o for o in obligations if o.is_outstanding), key=lambda o: o.status != Obligation.Status.OVERDUE
    )
    # A CMM already booked for a due item is shown against it, so nobody books it twice (001 §6.2).
    booked = {
        m.for_obligation: m
        for m in child.meetings.filter(status="booked").exclude(for_obligation="").order_by("-starts_at")
    }
    for o in with_requests(outstanding, user=request.user, child=child):
        o.action_url = action_url(o.code, child.pk, user=request.user, child=child)
        o.booked = booked.get(o.code)
    done = [o for o in obligations if o.status in Obligation.DONE]
    tasks = list(
        child.tasks.filter(done_on__isnull=True).select_related("assignee", "child").order_by("due", "pk")
    )
    return render(
        request,
        "cases/child_obligations.html",
        {
            "child": child,
            "outstanding": outstanding,
            "done": done,
            "tasks": tasks,
            "as_of": obligations[0].as_of if obligations else None,
            "tab": "due",
        },
    )


def event_add(request, pk):
    """Add an event to a child's timeline through a validated form."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "add-event form")
    # A link may preselect the type (e.g. "Record the co-allocation agreement", 003 §5.3).
    wanted = request.GET.get("type", "")
    initial = {"event_type": wanted} if wanted in dict(EVENT_TYPE_CHOICES) else {}
    form = EventForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.event_create(child=child, author=request.user, **form.cleaned_data)
        messages.success(request, "Event added to the timeline")
        return redirect("child_detail", pk=child.pk)
    return render(request, "cases/event_form.html", {"child": child, "form": form, "tab": "timeline"})


def event_correct(request, pk, event_pk):
    """Correct an event: a new version is written and the old one kept."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    event = selectors.event_get_for_user(user=request.user, child=child, pk=event_pk)
    if not event.is_current:
        raise Http404("Only the latest version can be corrected")
    if event.source:
        # Written for a structured record (an assessment, plan...): corrected through that record.
        raise Http404("Correct the record this event was written for")
    audit_get(request, child, f"correction form for event {event.pk}")
    initial = {
        "event_type": event.event_type,
        "occurred_on": event.occurred_on,
        "summary": event.summary,
        "details": event.details,
    }
    form = EventCorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_correct(event=event, author=request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Correction saved; the earlier version is kept")
            return redirect("child_detail", pk=child.pk)
    return render(
        request,
        "cases/event_form.html",
        {"child": child, "form": form, "event": event, "tab": "timeline"},
    )


def event_history(request, pk, event_pk):
    """Every version of an event, so a correction never hides what was first written."""
    child = selectors.child_get_for_user(user=request.user, pk=pk)
    event = selectors.event_get_for_user(user=request.user, child=child, pk=event_pk)
    child_view_audit(user=request.user, child=child, page=f"history of event {event.pk}", path=request.path)
    versions = selectors.event_versions(event=event)
    return render(
        request,
        "cases/event_history.html",
        {"child": child, "versions": versions, "tab": "timeline"},
    )


def audit_log(request):
    """The audit log, for the service manager only; anyone else gets 404."""
    if not rules.has_perm("cases.view_audit_log", request.user):  # the header link's permission too
        raise Http404("Not found")
    form = AuditFilterForm(request.GET or None)
    user_query = case_number = ""
    archive = False
    if form.is_bound and form.is_valid():
        user_query = form.cleaned_data["user"]
        case_number = form.cleaned_data["case_number"]
        archive = form.cleaned_data["archive"]
    entries = selectors.audit_entries(user_query=user_query, case_number=case_number, archive=archive)
    # Newer/Older by (at, id), never counted and never OFFSET (issue 19): as fast at the millionth
    # entry as at the first. A bad cursor shows the first page.
    page = keyset_page(
        entries,
        field_name="at",
        size=AUDIT_PAGE_SIZE,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
    )
    params = request.GET.copy()
    for key in ("page", "before", "after"):
        params.pop(key, None)
    return render(
        request,
        "cases/audit_log.html",
        {
            "form": form,
            "keyset": page,
            "querystring": params.urlencode(),
            "chain": AuditChain.objects.filter(pk=1).first(),
            "archive": archive,
        },
    )


def policy_timescales(request):
    """The active profile's timescales table, from the same data the rules module reads."""
    profile = settings.POLICY_PROFILE
    return render(
        request,
        "cases/policy_timescales.html",
        {
            "profile": profile,
            "rows": policy_table(profile),
            "durations": durations(profile).values(),
        },
    )
