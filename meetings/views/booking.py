"""Booking and preparing meetings: the child's Meetings tab, booking (001 §6.2), invitations, the child's
participation (000 §1.2), the compliance report (000 App. B), cancelling, the further offences and bail
applications that call a CMM (000 §1.3), and "Meetings" in the top navigation. Thin views: access
checks, a form, a service call."""

import datetime

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import Obligation
from cases.selectors.plans_contacts import contact_compliance_default_period, contact_compliance_summary
from cases.views.core import PAGE_SIZE
from cases.worklinks import BOOK_MEETING, action_url

from .. import selectors, services
from ..forms.booking import (
    BailApplicationForm,
    ComplianceReportForm,
    FurtherOffenceForm,
    InvitationAddForm,
    InvitationResponseForm,
    MeetingBookForm,
    MeetingCancelForm,
    ParticipationForm,
    ReportPeriodForm,
)
from ..models import Meeting, MeetingKind
from .common import audit_get, child_and_meeting, service_errors

OUTSTANDING = [Obligation.Status.OPEN, Obligation.Status.OVERDUE]


def _child_context(child, **extra) -> dict:
    """The context every page of the child's Meetings tab shares."""
    return {"child": child, "tab": "meetings", "nav": "caseload", **extra}


def _cmm_due(child) -> list[Obligation]:
    """The child's outstanding CMM and MAPPA meeting obligations, in the rules module's order."""
    return list(
        child.obligations.filter(Q(code__startswith="cmm.") | Q(code__startswith="mappa."))
        .filter(status__in=OUTSTANDING)
        .order_by("position")
    )


# ---------------------------------------------------------------------------------------------------
# The child's Meetings tab


def meeting_list(request, pk):
    """The child's meetings, latest first, and the CMMs due (000 §1.3), each with a link to book it."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    case_services.child_view_audit(user=request.user, child=child, page="meetings", path=request.path)
    page = Paginator(selectors.meetings_for_child(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    booked = {}
    for meeting in (
        child.meetings.filter(status=Meeting.Status.BOOKED).exclude(for_obligation="").order_by("starts_at")
    ):
        booked.setdefault(meeting.for_obligation, meeting)
    held = child.meetings.filter(status=Meeting.Status.HELD).order_by("-held_at", "-pk").first()
    due = []
    for obligation in _cmm_due(child):
        obligation.booked = booked.get(obligation.code)
        obligation.bookable = obligation.code in BOOK_MEETING
        obligation.action_url = action_url(obligation.code, child.pk) if obligation.bookable else ""
        # The actions and minutes rules are met on the held meeting's record (001 §6.2).
        obligation.record = None if obligation.bookable else held
        due.append(obligation)
    return render(
        request,
        "meetings/list.html",
        _child_context(
            child,
            page=page,
            due=due,
            can_manage=selectors.can_manage_meetings(user=request.user, child=child),
        ),
    )


def _obligation_for(child, code: str) -> Obligation | None:
    """The child's outstanding obligation with this code (the soonest), if there is one."""
    if not code:
        return None
    return child.obligations.filter(code=code, status__in=OUTSTANDING).order_by("position").first()


def meeting_book(request, pk):
    """Book a meeting (001 §6.2): managers of the child's team only; from a due item when `obligation` is
    given, with the type preselected by `kind`; `csc=1` offers the combined CSC meeting (000 §1.4)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    if not selectors.can_manage_meetings(user=request.user, child=child):
        raise Http404("Only managers of the child's team can book meetings")
    audit_get(request, child, "book-meeting form")
    obligation = _obligation_for(child, request.GET.get("obligation", "")[:60])
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = BOOK_MEETING.get(obligation.code, "") if obligation else ""
    show_csc = child.open_to_csc and (request.GET.get("csc") == "1" or kind == MeetingKind.RISK_REVIEW)
    candidates = {u.pk for u in selectors.chair_candidates(child=child)}
    initial = {
        "kind": kind or None,
        "chair": request.user.pk if request.user.pk in candidates else None,
        "case_manager": child.case_manager_id,
        "duration_minutes": 60,
    }
    form = MeetingBookForm(
        request.POST if request.method == "POST" else None,
        child=child,
        user=request.user,
        show_csc=show_csc,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(
                child=child,
                user=request.user,
                for_obligation=obligation.code if obligation else "",
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            emailed = sum(1 for i in meeting.invitations.all() if i.email)
            by_hand = meeting.invitations.count() - emailed
            message = f"Meeting booked; {emailed} invitation{'s' if emailed != 1 else ''} sent"
            if by_hand:
                message += f" ({by_hand} without an email address to give by hand)"
            messages.success(request, message)
            return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    chosen = form.data.get("kind") if form.is_bound else kind
    participation = selectors.participation_for(chosen)[1] if chosen in MeetingKind.values else ""
    return render(
        request,
        "meetings/book.html",
        _child_context(
            child,
            form=form,
            obligation=obligation,
            chosen_kind=MeetingKind(chosen).label if chosen in MeetingKind.values else "",
            participation=participation,
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Preparing a meeting


def meeting_invitations(request, pk, mpk):
    """Who is invited and their replies (001 §6.2); the case manager records replies, the chair or a
    manager adds invitees while the meeting is booked."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_prepare(user=request.user, meeting=meeting):
        raise Http404("Not one of this meeting's preparers")
    can_add = meeting.status == Meeting.Status.BOOKED and selectors.can_edit_record(
        user=request.user, meeting=meeting
    )
    can_respond = meeting.status in (Meeting.Status.BOOKED, Meeting.Status.HELD)
    audit_get(request, child, f"invitations for meeting {meeting.pk}")
    invitations = list(meeting.invitations.all())
    step = request.POST.get("step") if request.method == "POST" else None
    add_form = InvitationAddForm(request.POST if step == "add" and can_add else None)
    failed = None
    if step == "add":
        if not can_add:
            raise Http404("Invitees can only be added to a booked meeting by its chair or a manager")
        if add_form.is_valid():
            try:
                invitation = services.invitation_add(
                    meeting=meeting, user=request.user, **add_form.cleaned_data
                )
            except ValidationError as exc:
                service_errors(add_form, exc)
            else:
                sent = "Invitation emailed" if invitation.email else "Invitation added: give it by hand"
                messages.success(request, f"{sent} to {invitation.name}")
                return redirect("meeting_invitations", pk=child.pk, mpk=meeting.pk)
        failed = add_form
    forms_by_pk = {}
    target = request.POST.get("invitation") if step == "respond" else None
    for invitation in invitations:
        bound = can_respond and target == str(invitation.pk)
        forms_by_pk[invitation.pk] = InvitationResponseForm(
            request.POST if bound else None, invitation=invitation
        )
    if step == "respond":
        form = next((f for pk_, f in forms_by_pk.items() if str(pk_) == target), None)
        if form is None or not can_respond:
            raise Http404("No such invitation on this meeting")
        if form.is_valid():
            try:
                services.invitation_response_record(
                    invitation=form.invitation, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, f"Reply from {form.invitation.name} recorded")
                return redirect("meeting_invitations", pk=child.pk, mpk=meeting.pk)
        failed = form
    elif step is not None and step != "add":
        raise Http404("Unknown step")
    return render(
        request,
        "meetings/invitations.html",
        _child_context(
            child,
            meeting=meeting,
            rows=[(i, forms_by_pk[i.pk]) for i in invitations],
            add_form=add_form,
            form=failed,
            can_add=can_add,
            can_respond=can_respond,
        ),
    )


def meeting_participation(request, pk, mpk):
    """The child's and parent/carer's part (000 §1.2): attending, or their views gathered beforehand."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if not selectors.can_prepare(user=request.user, meeting=meeting):
        raise Http404("Not one of this meeting's preparers")
    audit_get(request, child, f"participation for meeting {meeting.pk}")
    closed = meeting.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED)
    form = None
    if not closed:
        form = ParticipationForm(request.POST if request.method == "POST" else None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            try:
                services.participation_record(meeting=meeting, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, "The child's participation is recorded")
                return redirect("meeting_detail", pk=child.pk, mpk=meeting.pk)
    elif request.method == "POST":
        raise Http404("This meeting's record is closed")
    return render(
        request,
        "meetings/participation.html",
        _child_context(
            child,
            meeting=meeting,
            form=form,
            rule=selectors.participation_for(meeting.kind)[1],
        ),
    )


def _frozen(figures: dict) -> dict:
    """The submitted App. B figures with their dates read back, for the template."""
    rows = [
        {**row, "date": datetime.date.fromisoformat(row["date"])} for row in figures.get("non_compliance", [])
    ]
    return {**figures, "non_compliance": rows}


def meeting_compliance_report(request, pk, mpk):
    """The case manager's compliance report for a compliance CMM (000 App. B, 000 §1.3), built live from
    the contact records and frozen when submitted; it can be resubmitted until the record is finalised."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if meeting.kind != MeetingKind.COMPLIANCE or not selectors.can_prepare(
        user=request.user, meeting=meeting
    ):
        raise Http404("No compliance report here")
    audit_get(request, child, f"compliance report for meeting {meeting.pk}")
    closed = meeting.status in (Meeting.Status.FINALISED, Meeting.Status.CANCELLED)
    if closed and request.method == "POST":
        raise Http404("This meeting's record is closed")
    default_start, default_end, _ = contact_compliance_default_period(
        child=child, today=timezone.localdate(meeting.starts_at)
    )
    start = meeting.compliance_period_start or default_start
    end = meeting.compliance_period_end or default_end
    data = request.POST if request.method == "POST" else None
    if data is not None:
        period = ReportPeriodForm(data)
        if period.is_valid():
            start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
    summary = contact_compliance_summary(child=child, start=start, end=end)
    saved = meeting.compliance_actions_taken or {}
    initial = {
        "period_start": start,
        "period_end": end,
        "unacceptable_behaviour": meeting.unacceptable_behaviour,
        "plan_progress": meeting.plan_progress,
        **{f"action_{row['pk']}": saved.get(str(row["pk"]), "") for row in summary["non_compliance"]},
    }
    form = None
    if not closed:
        form = ComplianceReportForm(data, rows=summary["non_compliance"], initial=initial)
        if data is not None and request.POST.get("step") == "refresh":
            # Showing another period's contacts is a view of the child's record: audited like a GET.
            case_services.child_view_audit(
                user=request.user,
                child=child,
                page=f"compliance figures for meeting {meeting.pk}",
                path=request.path,
            )
            # "Show the figures" for another period: nothing is saved, and only the period is checked.
            form.full_clean()
            for name in list(form.errors):
                if name in ("period_start", "period_end"):
                    continue
                if name in form.fields:
                    form.drop_errors(name)
                else:
                    form.errors.pop(name)
        elif data is not None and form.is_valid():
            try:
                meeting = services.compliance_report_submit(
                    meeting=meeting,
                    user=request.user,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    actions_taken=form.actions_taken(),
                    unacceptable_behaviour=form.cleaned_data["unacceptable_behaviour"],
                    plan_progress=form.cleaned_data["plan_progress"],
                )
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                message = "Compliance report submitted to the chair"
                if selectors.compliance_report_late(meeting=meeting):
                    message += (
                        ". It was submitted less than 24 hours before the meeting: the report should "
                        "reach the chair at least 24 hours before (000 §1.3)"
                    )
                messages.success(request, message)
                return redirect("meeting_compliance_report", pk=child.pk, mpk=meeting.pk)
    return render(
        request,
        "meetings/compliance_report.html",
        _child_context(
            child,
            meeting=meeting,
            form=form,
            summary=summary,
            frozen=_frozen(meeting.compliance_figures) if meeting.compliance_report_submitted_at else None,
            late=selectors.compliance_report_late(meeting=meeting),
            deadline=meeting.starts_at - datetime.timedelta(hours=selectors.COMPLIANCE_REPORT_HOURS),
            closed=closed,
        ),
    )


def meeting_cancel(request, pk, mpk):
    """Cancel a booked meeting with the reason (managers of the child's team); what it was booked for
    stays due."""
    child, meeting = child_and_meeting(request, pk, mpk)
    if meeting.status != Meeting.Status.BOOKED or not selectors.can_manage_meetings(
        user=request.user, child=child
    ):
        raise Http404("Only a booked meeting can be cancelled, by a manager of the child's team")
    audit_get(request, child, f"cancel form for meeting {meeting.pk}")
    form = MeetingCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, f"{meeting.title} on {timezone.localtime(meeting.starts_at):%-d %B %Y} cancelled"
            )
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/cancel.html", _child_context(child, meeting=meeting, form=form))


# ---------------------------------------------------------------------------------------------------
# What calls a CMM (000 §1.3)


def _due_message(child, code: str, label: str) -> str:
    """The CMM now due, read back from the child's obligations after they are recomputed."""
    # The request's transaction commits after the view, so the queued refresh would come too late for
    # this message: recompute now (idempotent; the queued one repeats it on commit).
    case_services.child_obligations_refresh(child_id=child.pk)
    obligation = _obligation_for(child, code)
    if obligation is None or obligation.due is None:
        return ""
    return f" {label} is now due by {obligation.due:%-d %B %Y} (000 §1.3)."


def further_offence_add(request, pk):
    """Record a further offence: a re-offending CMM falls due (000 §1.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "further-offence form")
    form = FurtherOffenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.further_offence_record(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            message = "Further offence recorded." + _due_message(
                child, "cmm.reoffending", "A re-offending CMM"
            )
            messages.success(request, message)
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/further_offence.html", _child_context(child, form=form))


def bail_application_add(request, pk):
    """Record a planned bail application: a bail strategy CMM falls due before it (000 §1.3)."""
    child = case_selectors.child_get_for_user(user=request.user, pk=pk)
    audit_get(request, child, "bail-application form")
    form = BailApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bail_application_record(child=child, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            message = "Bail application recorded." + _due_message(child, "cmm.bail", "A bail strategy CMM")
            messages.success(request, message)
            return redirect("meeting_list", pk=child.pk)
    return render(request, "meetings/bail_application.html", _child_context(child, form=form))


# ---------------------------------------------------------------------------------------------------
# "Meetings" in the top navigation


def meetings_mine(request):
    """The meetings the user chairs or is case manager for in the next two weeks, the records they still
    owe, and for managers the team's booked meetings."""
    today, now = timezone.localdate(), timezone.now()
    days = selectors.NOTICE_DAYS
    mine = selectors.meetings_for_user_upcoming(user=request.user, today=today, days=days)
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    upcoming = [m for m in mine if m.status == Meeting.Status.BOOKED and m.starts_at >= start_of_today]
    owed = [m for m in mine if m not in upcoming]
    return render(
        request,
        "meetings/mine.html",
        {
            "upcoming": upcoming,
            "owed": owed,
            "team": selectors.meetings_for_team_upcoming(user=request.user, today=today, days=days),
            "is_manager": rules.has_perm("meetings.view_team_meetings", request.user),
            "today": today,
            "until": today + datetime.timedelta(days=days),
            "now": now,
            "nav": "meetings",
        },
    )
