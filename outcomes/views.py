"""The child's Circumstances tab (the KPI facts, issue 21) and the management board's pages. Thin views.

The child first (`child_get_for_user`: 404 outside the user's scope), then the record (404 if not the
child's), a permission check (404 for anyone who may not act, never 403), a form, a service call. Every GET
is audited (against the child, or as a list for the board); every POST is audited by its service.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from cases import selectors as case_selectors
from core.audit import list_view_audit
from core.views import audit_get, audit_get_record, service_errors

from . import selectors, services
from .forms import FORMS, BoardMeetingForm
from .kinds import KINDS

PAGE_SIZE = 25


def _child(request, pk, *, write: bool = False):
    """The child, if the user may see (and, with `write`, record on) their circumstances; 404 otherwise."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not rules.has_perm("outcomes.view_circumstances", request.user):
        raise Http404("No child found")
    if write and not rules.has_perm("cases.do_case_work", request.user):
        raise Http404("You cannot record this child's circumstances")
    return child


def _tab(child, **extra) -> dict:
    return {"child": child, "tab": "circumstances", "nav": "caseload", **extra}


def child_circumstances(request, pk):
    """The child's accommodation, ETE, SEND, health screenings, wider services, offences and victims (the
    latest of each, or one kind's whole list with ?kind=), and the KPI snapshots of their interventions."""
    child = _child(request, pk)
    kind = request.GET.get("kind", "")
    if kind in KINDS:
        audit_get(request, child, f"circumstances: {KINDS[kind].heading.lower()}")
        page = Paginator(selectors.records_for_child(child=child, kind=kind), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "outcomes/child_kind.html", _tab(child, kind=KINDS[kind], page=page))
    audit_get(request, child, "circumstances")
    return render(
        request,
        "outcomes/child_circumstances.html",
        _tab(
            child,
            sections=selectors.circumstances_for_child(child=child),
            snapshots=selectors.snapshots_for_child(child=child),
            can_record=rules.has_perm("cases.do_case_work", request.user),
        ),
    )


def _save(request, child, kind: str, form, record=None):
    """Call the service for the form; a refusal goes on the form. The record, or None when refused."""
    try:
        if record is None:
            return services.record_create(kind=kind, child=child, user=request.user, values=form.values())
        return services.record_correct(record=record, user=request.user, values=form.values())
    except ValidationError as exc:
        service_errors(form, exc, by_field=True)
    return None


def record_add(request, pk, kind):
    """Record one of the child's circumstances of this kind."""
    child = _child(request, pk, write=True)
    spec = KINDS[kind]
    audit_get(request, child, f"record {spec.label} form")
    form = FORMS[kind](request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        record = _save(request, child, kind, form)
        if record is not None:
            messages.success(request, f"{spec.summary(record)}: recorded")
            return redirect(reverse("child_circumstances", args=[child.pk]) + f"#{kind}")
    return render(request, "outcomes/record_form.html", _tab(child, form=form, kind=spec, record=None))


def record_change(request, pk, kind, rpk):
    """Correct one of the child's records (its earlier version is kept)."""
    child = _child(request, pk, write=True)
    spec = KINDS[kind]
    record = selectors.record_get_for_child(child=child, kind=kind, pk=rpk)
    audit_get(request, child, f"change {spec.label} {record.pk} form")
    form_class = FORMS[kind]
    form = form_class(
        request.POST if request.method == "POST" else None,
        child=child,
        initial=form_class.initial_for(record),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, child, kind, form, record)
        if saved is not None:
            messages.success(request, f"{spec.summary(saved)}: corrected")
            return redirect(reverse("child_circumstances", args=[child.pk]) + f"#{kind}")
    return render(request, "outcomes/record_form.html", _tab(child, form=form, kind=spec, record=record))


# ---------------------------------------------------------------------------------------------------
# The management board (KPI 7)


def board_list(request):
    """The management board's meetings, latest first, with how many statutory partners attended."""
    if not selectors.can_view_board(request.user):
        raise Http404("No such page")
    page = Paginator(selectors.board_meetings(), PAGE_SIZE).get_page(request.GET.get("page"))
    if request.method == "GET":
        list_view_audit(
            user=request.user, page="management board", shown=len(page.object_list), path=request.path
        )
    return render(
        request,
        "outcomes/board_list.html",
        {
            "nav": "board",
            "page": page,
            "partners": len(services.PARTNERS),
            "can_record": selectors.can_record_board(request.user),
        },
    )


def _board_form(request, meeting=None):
    """The meeting form, filled from the meeting when correcting one; None saved or the form to show."""
    initial = BoardMeetingForm.initial_for(meeting) if meeting is not None else {}
    form = BoardMeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if meeting is None:
                services.board_meeting_record(
                    user=request.user,
                    held_on=data["held_on"],
                    notes=data["notes"],
                    attendance=form.attendance(),
                )
            else:
                services.board_meeting_correct(
                    meeting=meeting,
                    user=request.user,
                    held_on=data["held_on"],
                    notes=data["notes"],
                    attendance=form.attendance(),
                )
        except ValidationError as exc:
            if "held_on" in getattr(exc, "error_dict", {}):
                form.add_error("held_on", "A meeting is already recorded on this date")
            else:
                service_errors(form, exc)
        else:
            return None
    return form


def board_new(request):
    """Record a management board meeting with each statutory partner's attendance: the service manager."""
    if not selectors.can_record_board(request.user):
        raise Http404("No such page")
    if request.method == "GET":
        list_view_audit(user=request.user, page="management board: record a meeting", path=request.path)
    form = _board_form(request)
    if form is None:
        messages.success(request, "Management board meeting recorded")
        return redirect("board_list")
    return render(request, "outcomes/board_form.html", {"nav": "board", "form": form, "meeting": None})


def board_change(request, mpk):
    """One board meeting: its attendance, and (for the service manager) its correction."""
    meeting = selectors.board_meeting_get(user=request.user, pk=mpk)
    audit_get_record(request, meeting, f"Viewed the management board of {meeting.held_on:%d/%m/%Y}")
    if not selectors.can_record_board(request.user):
        if request.method == "POST":
            raise Http404("No such page")
        return render(request, "outcomes/board_detail.html", {"nav": "board", "meeting": meeting})
    form = _board_form(request, meeting)
    if form is None:
        messages.success(request, "Management board meeting corrected")
        return redirect("board_list")
    return render(request, "outcomes/board_form.html", {"nav": "board", "form": form, "meeting": meeting})
